"""Triage of draft cards from `trainer build --review`: accept, edit or reject, one key each.

The draft is shown beside its whole source document, scrolled to the passage it came from
and with that passage highlighted. Skipped passages can be shown (`s`) and turned into cards
(`e`). Leaving asks before anything is lost: `q` with decisions made, `w` with drafts left
undecided. Everything shown is literal text (`trainer.tui.text.literal`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from trainer.core.build import BuildResult, DraftCard, DraftCompare, Skipped, SourceDoc, TriageDecision
from trainer.core.build.model import FieldValue
from trainer.tui.text import assemble, literal

Draft = DraftCard | DraftCompare


@dataclass(frozen=True)
class TriageItem:
    """One draft (or one skipped passage) with its source document's lines."""

    draft: Draft | Skipped
    lines: tuple[str, ...]

    @property
    def passage(self) -> str:
        """The draft's own lines with two lines of context either side."""
        start, end = self.draft.lines
        return "\n".join(self.lines[max(0, start - 3) : end + 2])


@dataclass
class TriageOutcome:
    """What the reviewer decided: per-draft decisions, cards made from skipped passages, and
    whether drafts left undecided are written too."""

    decisions: dict[str, TriageDecision]
    keep_undecided: bool = False
    created: list[DraftCard] = field(default_factory=list)


def triage_items(
    result: BuildResult, docs: Sequence[SourceDoc], *, skipped: bool = False
) -> list[TriageItem]:
    """Drafts in order (or the skipped passages), each with its document's lines."""
    lines_by_source = {_source_id(result, d.name): tuple(d.text.splitlines()) for d in docs}
    entries: list[Draft | Skipped]
    if skipped:
        entries = [s for s in result.skipped if not s.reason.startswith("duplicate of ")]
    else:
        entries = [*result.cards, *result.compares]
    return [TriageItem(entry, lines_by_source.get(entry.source, ())) for entry in entries]


def _source_id(result: BuildResult, file_name: str) -> str:
    return next((s.id for s in result.sources if s.file == file_name), file_name)


def describe(draft: Draft | Skipped, fields: dict[str, FieldValue] | None = None) -> list[tuple[str, str]]:
    """The draft's fields (or the edited ones) as (label, text) pairs for display."""
    if isinstance(draft, Skipped):
        return [("Skipped passage", draft.text), ("Why", draft.reason), ("Make a card", "press e")]
    if isinstance(draft, DraftCompare):
        rows = [("Compare set", draft.title), ("Items", ", ".join(draft.items))]
        rows += [(facet, " | ".join(values)) for facet, values in draft.facets.items()]
        return rows
    rows = [("Kind", draft.kind)]
    rows += [(name, _as_text(value)) for name, value in (fields or draft.fields).items()]
    if draft.note:
        rows.append(("note", draft.note))
    return rows


def passage_text(lines: Sequence[str], start: int, end: int) -> Text:
    """The whole document, one numbered line each, lines `start`-`end` (1-based) highlighted."""
    text = Text(no_wrap=True)
    width = len(str(len(lines)))
    for number, line in enumerate(lines, start=1):
        style = "reverse" if start <= number <= end else ""
        text.append(f"{number:>{width}} ", style="dim")
        text.append(literal(line, style))
        text.append("\n")
    return text


def card_from_skipped(skipped: Skipped, fields: dict[str, FieldValue]) -> DraftCard:
    """A new basic card the reviewer wrote from a skipped passage."""
    digest = hashlib.sha256(f"{skipped.source}\x1f{skipped.lines}\x1f{skipped.text}".encode()).hexdigest()[:8]
    return DraftCard(
        id=f"manual-{digest}",
        kind="basic",
        fields=fields,
        tags=["draft", "manual"],
        source=skipped.source,
        section=skipped.section,
        lines=skipped.lines,
        confidence=1.0,
        rule="manual",
    )


def _as_text(value: FieldValue) -> str:
    return value if isinstance(value, str) else " | ".join(value)


class EditDraft(ModalScreen[dict[str, FieldValue] | None]):
    """Edit a draft card's text fields (lists are edited as `a | b | c`); the first has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, title: str, fields: dict[str, FieldValue]) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(literal(self.title_text))
            for name, value in self.fields.items():
                yield Label(literal(name))
                yield Input(value=_as_text(value), id=f"field-{name}")
            with Horizontal():
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        fields: dict[str, FieldValue] = {}
        for name, old in self.fields.items():
            text = self.query_one(f"#field-{name}", Input).value.strip()
            fields[name] = text if isinstance(old, str) else [p.strip() for p in text.split("|") if p.strip()]
        self.dismiss(fields)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Choose(ModalScreen[str]):
    """A question with one key per answer; escape answers "cancel"."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "choose('cancel')", "Cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = choices  # (key, answer, label)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(literal(self.question))
            for key, answer, label in self.choices:
                yield Button(f"{label} ({key})", id=f"choice-{answer}")

    def on_key(self, event: events.Key) -> None:
        for choice_key, answer, _ in self.choices:
            if event.key == choice_key and choice_key != "escape":
                event.stop()
                self.dismiss(answer)
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "choice-cancel").removeprefix("choice-"))

    def action_choose(self, answer: str) -> None:
        self.dismiss(answer)


class TriageApp(App[TriageOutcome | None]):
    """Step through drafts: `a` accept, `A` accept all undecided, `e` edit, `r` reject,
    `s` skipped passages, `w` write, `q` quit."""

    TITLE = "trainer build: triage"
    CSS = """
    #panes { height: 1fr; }
    #draft, #passage { width: 1fr; border: round $primary; padding: 0 1; }
    #passage-text { width: auto; }
    #status { height: 1; padding: 0 1; }
    .dialog { padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('accept')", "Accept"),
        Binding("A", "accept_all", "Accept all undecided"),
        Binding("r", "decide('reject')", "Reject"),
        Binding("e", "edit", "Edit"),
        Binding("n,right", "move(1)", "Next"),
        Binding("p,left", "move(-1)", "Previous"),
        Binding("s", "toggle_skipped", "Skipped passages"),
        Binding("w", "finish", "Write"),
        Binding("q", "cancel", "Quit"),
    ]

    def __init__(self, items: list[TriageItem], skipped: list[TriageItem] | None = None) -> None:
        super().__init__()
        self.drafts = items
        self.skipped = skipped or []
        self.showing_skipped = False
        self.positions = {False: 0, True: 0}
        self.decisions: dict[str, TriageDecision] = {}
        self.created: dict[tuple[int, int, str], DraftCard] = {}

    @property
    def items(self) -> list[TriageItem]:
        """The list being walked: drafts, or skipped passages."""
        return self.skipped if self.showing_skipped else self.drafts

    @property
    def index(self) -> int:
        return self.positions[self.showing_skipped]

    @index.setter
    def index(self, value: int) -> None:
        self.positions[self.showing_skipped] = value

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status")
        with Horizontal(id="panes"):
            with VerticalScroll(id="draft"):
                yield Static(id="draft-text")
            with VerticalScroll(id="passage"):
                yield Static(id="passage-text")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    def _undecided(self) -> list[Draft]:
        return [
            i.draft for i in self.drafts if isinstance(i.draft, Draft) and i.draft.id not in self.decisions
        ]

    def refresh_view(self) -> None:
        """Show the current draft, its highlighted passage and the tally."""
        status = self.query_one("#status", Static)
        if not self.items:
            what = "No skipped passages (s: back to the drafts)." if self.showing_skipped else "No drafts."
            status.update(literal(f"{what} Press q to quit."))
            self.query_one("#draft-text", Static).update("")
            self.query_one("#passage-text", Static).update("")
            return
        item = self.items[self.index]
        draft = item.draft
        kept = sum(d.action != "reject" for d in self.decisions.values())
        tally = f"{kept} kept, {len(self.decisions) - kept} rejected, {len(self._undecided())} undecided"
        if isinstance(draft, Skipped):
            made = self.created.get(self._skip_key(draft))
            state = "made into a card" if made else "skipped"
            status.update(literal(f"Skipped passage {self.index + 1}/{len(self.items)} · {state} · {tally}"))
            fields = made.fields if made else None
        else:
            decision = self.decisions.get(draft.id)
            state = decision.action if decision else "undecided"
            status.update(
                literal(
                    f"Draft {self.index + 1}/{len(self.items)} · {state} · confidence {draft.confidence:.2f}"
                    f" · {tally}"
                )
            )
            fields = decision.fields if decision and decision.fields else None
        rows = describe(draft, fields) if not isinstance(draft, Skipped) else describe(draft)
        if isinstance(draft, Skipped) and fields:
            rows += [(name, _as_text(value)) for name, value in fields.items()]
        text = assemble(*[part for label, value in rows for part in ((f"{label}: ", "bold"), value + "\n")])
        self.query_one("#draft-text", Static).update(text)
        start, end = draft.lines
        where = assemble((f"{draft.source} · {draft.section}\n\n", "italic"))
        self.query_one("#passage-text", Static).update(where + passage_text(item.lines, start, end))
        pane = self.query_one("#passage", VerticalScroll)
        self.call_after_refresh(pane.scroll_to, y=max(0, start - 4), animate=False)

    def action_decide(self, action: str) -> None:
        if not self.items:
            return
        draft = self.items[self.index].draft
        if isinstance(draft, Skipped):
            self.notify("A skipped passage has no draft: press e to write a card from it.")
            return
        self.decisions[draft.id] = TriageDecision("accept" if action == "accept" else "reject")
        self.action_move(1)

    def action_accept_all(self) -> None:
        undecided = self._undecided()
        for draft in undecided:
            self.decisions[draft.id] = TriageDecision("accept")
        self.notify(f"Accepted {len(undecided)} undecided drafts.")
        self.refresh_view()

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = max(0, min(len(self.items) - 1, self.index + step))
        self.refresh_view()

    def action_toggle_skipped(self) -> None:
        self.showing_skipped = not self.showing_skipped
        self.refresh_view()

    @staticmethod
    def _skip_key(skipped: Skipped) -> tuple[int, int, str]:
        return (skipped.lines[0], skipped.lines[1], skipped.text)

    def action_edit(self) -> None:
        if not self.items:
            return
        draft = self.items[self.index].draft
        if isinstance(draft, DraftCompare):
            self.notify("Compare sets can be accepted or rejected; edit them in the deck file.")
            return
        if isinstance(draft, Skipped):
            self._write_from(draft)
            return
        card = draft
        previous = self.decisions.get(card.id)
        current = previous.fields if previous and previous.fields else card.fields

        def done(fields: dict[str, FieldValue] | None) -> None:
            if fields is not None:
                self.decisions[card.id] = TriageDecision("edit", fields=fields)
                self.action_move(1)

        self.push_screen(EditDraft(f"Edit draft {card.id}", dict(current)), done)

    def _write_from(self, skipped: Skipped) -> None:
        """Open the editor on a new card made from a skipped passage."""
        key = self._skip_key(skipped)
        made = self.created.get(key)
        fields: dict[str, FieldValue] = dict(made.fields) if made else {"front": "", "back": skipped.text}

        def done(edited: dict[str, FieldValue] | None) -> None:
            if edited is None:
                return
            if not str(edited.get("front", "")).strip() or not str(edited.get("back", "")).strip():
                self.notify("A card needs a front and a back; nothing made.", severity="warning")
                return
            self.created[key] = card_from_skipped(skipped, edited)
            self.action_move(1)

        self.push_screen(EditDraft("New card from a skipped passage", fields), done)

    def _outcome(self, keep_undecided: bool) -> TriageOutcome:
        return TriageOutcome(dict(self.decisions), keep_undecided, list(self.created.values()))

    def action_finish(self) -> None:
        undecided = self._undecided()
        if not undecided:
            self.exit(self._outcome(False))
            return

        def chosen(answer: str | None) -> None:
            if answer in ("keep", "drop"):
                self.exit(self._outcome(answer == "keep"))

        self.push_screen(
            Choose(
                f"{len(undecided)} drafts are still undecided. Write them too (as drafts to check later),"
                " or leave them out?",
                [
                    ("k", "keep", "Keep them"),
                    ("d", "drop", "Leave them out"),
                    ("escape", "cancel", "Go back"),
                ],
            ),
            chosen,
        )

    def action_cancel(self) -> None:
        if not self.decisions and not self.created:
            self.exit(None)
            return

        def chosen(answer: str | None) -> None:
            if answer == "quit":
                self.exit(None)

        made = len(self.decisions) + len(self.created)
        self.push_screen(
            Choose(
                f"Quit without writing? {made} decisions would be lost.",
                [("y", "quit", "Quit, discard them"), ("escape", "cancel", "Go back")],
            ),
            chosen,
        )


def run_triage(result: BuildResult, docs: Sequence[SourceDoc]) -> TriageOutcome | None:
    """Run the triage app: what the reviewer decided, or None when they quit without writing."""
    app = TriageApp(triage_items(result, docs), triage_items(result, docs, skipped=True))
    return app.run()
