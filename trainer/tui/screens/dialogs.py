"""Modal dialogs: edit a card, card info, confirm; and the end-of-session summary."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Input, Label, Static, TextArea

from trainer.core.cards import CardContent, CardKind, clean_text
from trainer.core.scheduling import Preset, format_interval, retrievability
from trainer.core.stats import sparkline
from trainer.core.stats.memory import memory_over_time
from trainer.tui.text import assemble, literal
from trainer.views import CardView, ReviewEntry

EditResult = tuple[CardContent, list[str]]


def _fields(kind: CardKind) -> list[tuple[str, str]]:
    """(attribute, label) pairs a kind is edited through."""
    if kind is CardKind.CLOZE:
        return [("text", "Text ({{c1::answer}} or {{c1::answer::hint}})"), ("note", "Note")]
    if kind is CardKind.TYPED:
        return [("front", "Question"), ("answers", "Accepted answers (one a line, canonical first)"),
                ("note", "Note")]  # fmt: skip
    if kind is CardKind.CHOICE:
        return [("front", "Question"), ("back", "Right answer"),
                ("distractors", "Wrong options (one a line)"), ("note", "Note")]  # fmt: skip
    return [("front", "Front"), ("back", "Back"), ("note", "Note")]


class SaveOrCancel:
    """A dialog whose buttons are Save (id `save`) and Cancel: each runs its action."""

    def action_save(self) -> None:  # each dialog defines its own
        raise NotImplementedError

    def action_cancel(self) -> None:
        raise NotImplementedError

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()


class EditDialog(SaveOrCancel, ModalScreen[EditResult | None]):
    """Edit a card's text and tags; returns the new content or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, card: CardView) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        content = self.card.content
        with VerticalScroll(classes="dialog"):
            yield Static(literal(f"Edit card {self.card.external_id}", "bold"))
            for name, label in _fields(content.kind):
                value = getattr(content, name)
                text = clean_text("\n".join(value) if isinstance(value, tuple) else str(value))
                yield Label(label)
                yield TextArea(text, id=f"field-{name}", soft_wrap=True)
            yield Label("Tags (space separated)")
            yield Input(clean_text(" ".join(self.card.tags)), id="tags")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")
        yield Footer(compact=True)

    AUTO_FOCUS = "TextArea"

    def on_mount(self) -> None:
        # The first field has the keyboard: typing goes into the card at once.
        first = self.query(TextArea).first()
        first.focus()
        first.move_cursor(first.document.end)

    def action_save(self) -> None:
        """Validate and return the edited content."""
        values: dict[str, object] = {}
        for name, _ in _fields(self.card.content.kind):
            raw = self.query_one(f"#field-{name}", TextArea).text.strip()
            if name in ("answers", "distractors"):
                values[name] = tuple(line.strip() for line in raw.splitlines() if line.strip())
            else:
                values[name] = raw
        content = replace(self.card.content, **values)  # type: ignore[arg-type]
        problem = _problem(content)
        if problem:
            self.notify(problem, severity="error", markup=False)
            return
        tags = self.query_one("#tags", Input).value.split()
        self.dismiss((content, tags))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


def _problem(content: CardContent) -> str | None:
    from trainer.core.cards import cloze_numbers

    if content.kind is CardKind.CLOZE:
        if content.cloze_ord not in cloze_numbers(content.text):
            return f"The text must keep cloze {{{{c{content.cloze_ord}::...}}}}."
        return None
    if not content.front:
        return "The question cannot be empty."
    if content.kind is CardKind.TYPED and not content.answers:
        return "A typed card needs at least one accepted answer."
    if content.kind is CardKind.CHOICE and not content.distractors:
        return "A multiple-choice card needs at least one wrong option."
    if content.kind is not CardKind.TYPED and not content.back:
        return "The answer cannot be empty."
    return None


def _when(value: datetime | None, zone: tzinfo | None = None) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "-"


def info_table(
    card: CardView, history: list[ReviewEntry], preset: Preset, now: datetime, zone: tzinfo | None = None
) -> Table:
    """The facts about one card, as a Rich table of literal text (times in `zone`)."""
    state = card.state
    recall = retrievability(state, preset, now)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("Card", card.external_id), ("Deck", card.deck_name), ("Kind", card.content.kind.value),
        ("State", state.state.name.lower() + (" (suspended)" if card.suspended else "")
            + (" (buried)" if card.buried else "")),
        ("Due", _when(state.due, zone)),
        ("Stability", f"{state.stability:.2f} days" if state.stability is not None else "-"),
        ("Difficulty", f"{state.difficulty:.2f} / 10" if state.difficulty is not None else "-"),
        ("Retrievability", f"{recall:.0%}" if recall is not None else "-"),
        ("Reviews", str(state.reps)), ("Lapses", str(state.lapses)),
        ("Tags", " ".join(card.tags) or "-"), ("Source", card.source or "-"),
    ]  # fmt: skip
    for label, value in rows:
        table.add_row(label, literal(value))
    table.add_row("", "")
    table.add_row("History", Text("date              rating  time   interval", style="dim"))
    for entry in history[-15:]:
        interval = format_interval(entry.due_after - entry.reviewed_at) if entry.due_after else "-"
        seconds = entry.duration_ms / 1000
        line = f"{_when(entry.reviewed_at, zone)}  {entry.rating.label:<6}  {seconds:4.0f}s  {interval}"
        table.add_row("", line)
    if not history:
        table.add_row("", "never reviewed")
    _memory_rows(table, history, preset, zone)
    return table


def _memory_rows(table: Table, history: list[ReviewEntry], preset: Preset, zone: tzinfo | None) -> None:
    """The memory state over time: recall when answered, stability and difficulty after."""
    memory = memory_over_time(history, preset.parameters[20] if len(preset.parameters) > 20 else 0.5)
    if not any(point.stability is not None for point in memory):
        return
    table.add_row("", "")
    table.add_row("Memory", Text("date              recall  stability  difficulty", style="dim"))
    for point in memory[-15:]:
        recall = f"{point.retrievability:.0%}" if point.retrievability is not None else "-"
        stability = f"{point.stability:.1f}d" if point.stability is not None else "-"
        difficulty = f"{point.difficulty:.1f}" if point.difficulty is not None else "-"
        table.add_row("", f"{_when(point.reviewed_at, zone)}  {recall:>6}  {stability:>9}  {difficulty:>10}")
    if len(memory) > 1:
        trend = sparkline([point.stability or 0.0 for point in memory[-40:]])
        table.add_row("Trend", Text(f"{trend}  stability, oldest first"))


class InfoDialog(ModalScreen[None]):
    """Card info."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,i,q", "close", "Close")]

    def __init__(
        self, card: CardView, history: list[ReviewEntry], preset: Preset, now: datetime | None = None
    ) -> None:
        super().__init__()
        self.card = card
        self.history = history
        self.preset = preset
        self.now = now

    def compose(self) -> ComposeResult:
        from trainer.tui.app import TrainerApp

        app = self.app
        ready = isinstance(app, TrainerApp) and app.ready
        now = self.now or (app.col.clock() if ready else datetime.now().astimezone())  # type: ignore[attr-defined]
        zone = app.col.zone if ready else None  # type: ignore[attr-defined]
        with VerticalScroll(classes="dialog"):
            yield Static(info_table(self.card, self.history, self.preset, now, zone))
        yield Footer(compact=True)

    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(literal(self.question))
            with Horizontal(classes="dialog-buttons"):
                yield Button("No (n)", id="no")
                yield Button("Yes (y)", id="yes", variant="error")
        yield Footer(compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        """Answer."""
        self.dismiss(value)


@dataclass(frozen=True)
class SessionSummary:
    """The figures of a finished study session."""

    studied: int
    again: int
    reviews: int  # answers to cards that were in review
    reviews_passed: int
    seconds: float
    next_due: datetime | None
    now: datetime
    finished: bool  # the queue was emptied (not ended early)

    @property
    def true_retention(self) -> float | None:
        """Share of review cards recalled (not Again)."""
        return self.reviews_passed / self.reviews if self.reviews else None

    def lines(self) -> list[str]:
        """The summary as lines of text."""
        head = "Congratulations! You have finished this deck for now." if self.finished else "Session ended."
        minutes, seconds = divmod(round(self.seconds), 60)
        retention = self.true_retention
        kept = f"{retention:.0%} of {self.reviews} reviews" if retention is not None else "-"
        next_due = "-"
        if self.next_due is not None:
            wait = self.next_due - self.now
            next_due = "now" if wait.total_seconds() <= 0 else f"in {format_interval(wait)}"
        return [
            head, "",
            f"Cards studied:   {self.studied}",
            f"Again:           {self.again}",
            f"True retention:  {kept}",
            f"Time:            {minutes}m {seconds:02d}s"
            + (f" ({self.seconds / self.studied:.1f}s a card)" if self.studied else ""),
            f"Next card due:   {next_due}",
        ]  # fmt: skip


class SummaryScreen(Screen[None]):
    """The end of a study session."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # ? Help first and the footer fits 80 columns: the study-more keys are listed on the
        # screen itself (and in ? and ctrl+p)
        Binding("question_mark", "app.help", "Help"),
        Binding("escape,enter,q,space", "close", "Back to decks"),
        Binding("u", "undo", "Undo"),
        Binding("a", "custom('a')", "Study ahead", show=False),
        Binding("n", "custom('n')", "More new", show=False),
        Binding("f", "custom('f')", "Forgotten", show=False),
        Binding("b", "unbury", "Unbury", show=False),
    ]

    def __init__(self, summary: SessionSummary, deck: str | None = None) -> None:
        super().__init__()
        self.summary = summary
        self.deck = deck

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="summary"):
            yield Static(assemble(*[line + "\n" for line in self.summary.lines()]))
            yield Static(self._more(), id="study-more")
        yield Footer(compact=True)

    def action_close(self) -> None:
        """Back home."""
        self.dismiss(None)

    def _counts(self) -> dict[str, int]:
        from trainer.tui.app import TrainerApp
        from trainer.tui.screens.custom import choices

        app = self.app
        if not isinstance(app, TrainerApp) or not app.ready:
            return {}
        found = {c.key: min(app.col.search_page(c.query, limit=1).total, c.limit) for c in choices(self.deck)}
        scope = f'deck:"{self.deck}" ' if self.deck else ""
        found["b"] = app.col.search_page(scope + "is:buried", limit=1).total
        return found

    def _more(self) -> Text:
        from trainer.tui.screens.custom import choices
        from trainer.views import plural

        counts = self._counts()
        text = Text("Study more:\n", style="bold")
        rows = [(c.key, c.label, counts.get(c.key, 0)) for c in choices(self.deck)]
        rows.append(("b", "Unbury the buried cards", counts.get("b", 0)))
        for key, label, count in rows:
            text.append(f"  {key}  ", style="bold" if count else "dim")
            text.append(f"{label} ({plural(count, 'card')})\n", style="" if count else "dim")
        return text

    def action_custom(self, key: str) -> None:
        """Start a custom session (study ahead, more new, forgotten)."""
        from trainer.tui.app import TrainerApp
        from trainer.tui.screens.custom import CustomReviewScreen, choices

        app = self.app
        choice = next(c for c in choices(self.deck) if c.key == key)
        if not isinstance(app, TrainerApp):
            return
        cards = app.col.search_page(choice.query, limit=choice.limit, sort="due").cards
        if not cards:
            self.notify("No card for that.")
            return
        app.switch_screen(CustomReviewScreen(self.deck, [c.id for c in cards], choice.label))

    def action_unbury(self) -> None:
        """Bring the buried cards back today and study on."""
        from trainer.tui.app import TrainerApp
        from trainer.tui.screens.review import ReviewScreen
        from trainer.views import plural

        app = self.app
        if not isinstance(app, TrainerApp):
            return
        scope = f'deck:"{self.deck}" ' if self.deck else ""
        ids = [c.id for c in app.col.search(scope + "is:buried")]
        count = app.col.unbury(ids)
        if not count:
            self.notify("No buried card.")
            return
        app.switch_screen(ReviewScreen(self.deck))
        app.notify(f"{plural(count, 'card')} unburied.")

    def action_undo(self) -> None:
        """Take back the last answer or action and study on (as Anki allows after the end)."""
        from trainer.tui.app import TrainerApp
        from trainer.tui.screens.review import ReviewScreen
        from trainer.views import UndoResult

        app = self.app
        if not isinstance(app, TrainerApp):
            return
        undone = app.col.undo()
        if undone is None:
            self.notify("Nothing to undo.")
            return
        label = undone.rating.label if isinstance(undone, UndoResult) else undone.label
        app.switch_screen(ReviewScreen(self.deck))
        app.notify(f"Undid {label}.")


def plain(text: str) -> str:
    """Card text with controls stripped (for widgets that take plain strings)."""
    return clean_text(text)
