"""Help: what the counts mean and every key of the screen it was opened from.

`?`, Esc or q close it. The keys come from the screen's own bindings, so the list is the
real one (including keys the footer leaves out, such as 1-4).
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

COUNTS = [
    ("New", "cards never studied, up to the deck's new-cards-a-day limit (blue)"),
    ("Learn", "cards in (re)learning steps, due again within minutes or hours (red)"),
    ("Due", "review cards due today, up to the deck's reviews-a-day limit (green)"),
]
GLOSSARY: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "HomeScreen": (
        "Each deck shows what is left to study today, as in Anki. A parent deck counts its "
        "subdecks. Enter studies the highlighted deck.",
        [*COUNTS, ("Total", "every card of the deck and its subdecks")],
    ),
    "ReviewScreen": (
        "Space or Enter shows the answer, then answers Good (or the rating proposed after a "
        "typed or multiple-choice answer). 1-4 rate Again, Hard, Good or Easy; each button shows "
        "when the card comes back. u takes back the last answer, suspension, burial, flag, "
        "edit, added card or reposition, newest first. The top line counts what is left today:",
        COUNTS,
    ),
    "QuizScreen": (
        "A quiz asks cards whether due or not and leaves their schedule alone (unless started "
        "with --schedule). Pick an option with 1-9, or type the answer and press Enter. After "
        "a verdict, r counts a wrong answer as right.",
        [],
    ),
    "BrowseScreen": (
        'Search with Anki\'s syntax: words, "exact phrase", deck:Name::*, tag:topic (matches '
        "topic::sub), is:due, is:new, is:learn, is:review, is:suspended, is:buried, flag:1, "
        "prop:ivl>=10, rated:7, added:7, a OR b, (parentheses), -negation and * wildcards. "
        "New cards show their place in the queue (New #12); Space marks cards and R repositions "
        "the marked ones (or the highlighted one), as Anki's Reposition; u undoes it.",
        [],
    ),
}


def key_label(binding: Binding) -> str:
    """How a key is written for people: `space`, `ctrl+s`, `?`."""
    names = {"question_mark": "?", "escape": "Esc", "enter": "Enter", "space": "Space",
             "pageup": "PgUp", "pagedown": "PgDn", "up": "↑", "down": "↓"}  # fmt: skip
    return ", ".join(names.get(key, key) for key in binding.key.split(","))


def keys_table(screen: Screen[object]) -> Table:
    """Every key of `screen` and the app, with what it does."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    rows: dict[str, tuple[list[str], str]] = {}  # action -> keys, what it does
    for raw in getattr(type(screen), "BINDINGS", []):
        binding = raw if isinstance(raw, Binding) else Binding(*raw)
        description = binding.tooltip or binding.description
        if binding.action in rows:
            rows[binding.action][0].append(key_label(binding))
        elif description:
            rows[binding.action] = ([key_label(binding)], description)
    for keys, description in rows.values():
        table.add_row(", ".join(keys), Text(description))
    table.add_row("ctrl+p", Text("Commands (every screen and action by name)"))
    table.add_row("ctrl+q", Text("Quit"))
    return table


class HelpScreen(ModalScreen[None]):
    """The keys and counts of one screen."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("question_mark,escape,q", "close", "Close help")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            intro, terms = GLOSSARY.get(type(self.for_screen).__name__, ("", []))
            if intro:
                yield Static(Text(intro), classes="help-intro")
            if terms:
                table = Table.grid(padding=(0, 2))
                table.add_column(style="bold", no_wrap=True)
                table.add_column()
                for term, meaning in terms:
                    table.add_row(term, Text(meaning))
                yield Static(table, classes="help-terms")
            yield Static(Text("Keys", style="bold underline"))
            yield Static(keys_table(self.for_screen))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()  # arrows and PgUp/PgDn scroll it

    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)
