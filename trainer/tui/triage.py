"""Triage of draft cards from `trainer build --review`: accept, edit or reject, one key each.

The draft is shown beside the source passage it came from; only accepted and edited
drafts are written. Everything shown is literal text (`trainer.tui.text.literal`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from trainer.core.build import BuildResult, DraftCard, DraftCompare, SourceDoc, TriageDecision
from trainer.core.build.model import FieldValue
from trainer.tui.text import assemble, literal

Draft = DraftCard | DraftCompare


@dataclass(frozen=True)
class TriageItem:
    """One draft with the source passage it was made from."""

    draft: Draft
    passage: str


def triage_items(result: BuildResult, docs: Sequence[SourceDoc]) -> list[TriageItem]:
    """Drafts in order, each with its source lines (two lines of context either side)."""
    lines_by_source = {_source_id(result, d.name): d.text.splitlines() for d in docs}
    items = []
    drafts: list[Draft] = [*result.cards, *result.compares]
    for draft in drafts:
        lines = lines_by_source.get(draft.source, [])
        start, end = draft.lines
        items.append(TriageItem(draft, "\n".join(lines[max(0, start - 3) : end + 2])))
    return items


def _source_id(result: BuildResult, file_name: str) -> str:
    return next((s.id for s in result.sources if s.file == file_name), file_name)


def describe(draft: Draft) -> list[tuple[str, str]]:
    """The draft's fields as (label, text) pairs for display."""
    if isinstance(draft, DraftCompare):
        rows = [("Compare set", draft.title), ("Items", ", ".join(draft.items))]
        rows += [(facet, " | ".join(values)) for facet, values in draft.facets.items()]
        return rows
    rows = [("Kind", draft.kind)]
    rows += [(name, _as_text(value)) for name, value in draft.fields.items()]
    if draft.note:
        rows.append(("note", draft.note))
    return rows


def _as_text(value: FieldValue) -> str:
    return value if isinstance(value, str) else " | ".join(value)


class EditDraft(ModalScreen[dict[str, FieldValue] | None]):
    """Edit a draft card's text fields (lists are edited as `a | b | c`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, card: DraftCard) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(literal(f"Edit draft {self.card.id}"))
            for name, value in self.card.fields.items():
                yield Label(literal(name))
                yield Input(value=_as_text(value), id=f"field-{name}")
            with Horizontal():
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        fields: dict[str, FieldValue] = {}
        for name, old in self.card.fields.items():
            text = self.query_one(f"#field-{name}", Input).value.strip()
            fields[name] = text if isinstance(old, str) else [p.strip() for p in text.split("|") if p.strip()]
        self.dismiss(fields)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TriageApp(App[dict[str, TriageDecision] | None]):
    """Step through drafts; `a` accept, `e` edit, `r` reject, `w` write, `q` cancel."""

    TITLE = "trainer build: triage"
    CSS = """
    #panes { height: 1fr; }
    #draft, #passage { width: 1fr; border: round $primary; padding: 0 1; }
    #status { height: 1; padding: 0 1; }
    .dialog { padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('accept')", "Accept"),
        Binding("r", "decide('reject')", "Reject"),
        Binding("e", "edit", "Edit"),
        Binding("n,right", "move(1)", "Next"),
        Binding("p,left", "move(-1)", "Previous"),
        Binding("w", "finish", "Write accepted"),
        Binding("q", "cancel", "Cancel"),
    ]

    def __init__(self, items: list[TriageItem]) -> None:
        super().__init__()
        self.items = items
        self.index = 0
        self.decisions: dict[str, TriageDecision] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status")
        with Horizontal(id="panes"):
            with VerticalScroll(id="draft"):
                yield Static(id="draft-text")
            with Vertical(id="passage"):
                yield Static(id="passage-text")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """Show the current draft, its passage and the tally."""
        status = self.query_one("#status", Static)
        if not self.items:
            status.update(literal("No drafts to review. Press q."))
            return
        item = self.items[self.index]
        draft = item.draft
        decision = self.decisions.get(draft.id)
        state = decision.action if decision else "undecided"
        accepted = sum(d.action != "reject" for d in self.decisions.values())
        status.update(
            literal(
                f"Draft {self.index + 1}/{len(self.items)} · {state} · confidence {draft.confidence:.2f}"
                f" · {accepted} kept, {len(self.decisions) - accepted} rejected"
            )
        )
        text = assemble(
            *[part for label, value in describe(draft) for part in ((f"{label}: ", "bold"), value + "\n")]
        )
        self.query_one("#draft-text", Static).update(text)
        where = f"{draft.source} · {draft.section}\n\n"
        self.query_one("#passage-text", Static).update(assemble((where, "italic"), item.passage))

    def action_decide(self, action: str) -> None:
        if not self.items:
            return
        draft = self.items[self.index].draft
        self.decisions[draft.id] = TriageDecision("accept" if action == "accept" else "reject")
        self.action_move(1)

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = max(0, min(len(self.items) - 1, self.index + step))
        self.refresh_view()

    def action_edit(self) -> None:
        if not self.items:
            return
        draft = self.items[self.index].draft
        if not isinstance(draft, DraftCard):
            self.notify("Compare sets can be accepted or rejected; edit them in the deck file.")
            return

        def done(fields: dict[str, FieldValue] | None) -> None:
            if fields is not None:
                self.decisions[draft.id] = TriageDecision("edit", fields=fields)
                self.action_move(1)

        self.push_screen(EditDraft(draft), done)

    def action_finish(self) -> None:
        self.exit(dict(self.decisions))

    def action_cancel(self) -> None:
        self.exit(None)


def run_triage(
    result: BuildResult, docs: Sequence[SourceDoc]
) -> tuple[dict[str, TriageDecision], bool] | None:
    """Run the triage app: the decisions and whether undecided drafts are kept, or None when cancelled."""
    decisions = TriageApp(triage_items(result, docs)).run()
    return None if decisions is None else (decisions, False)
