"""Add a card to a deck: pick the kind, fill its fields, ctrl+s adds it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from trainer.core.cards import CardContent, CardKind
from trainer.tui.screens.dialogs import SaveOrCancel, _fields, _problem
from trainer.tui.text import literal

AddResult = tuple[CardContent, list[str]]
KINDS = [("Basic (front / back)", CardKind.BASIC), ("Basic and reversed", CardKind.REVERSED),
         ("Cloze ({{c1::gap}})", CardKind.CLOZE), ("Typed answer", CardKind.TYPED)]  # fmt: skip


class AddDialog(SaveOrCancel, ModalScreen[AddResult | None]):
    """A new card for `deck`; returns its content and tags, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Add", priority=True),
    ]
    AUTO_FOCUS = "TextArea"  # the first field, not the kind selector: typing goes into the card

    def __init__(self, deck: str, where: str) -> None:
        super().__init__()
        self.deck = deck
        self.where = where
        self.kind = CardKind.BASIC

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="add"):
            yield Static(literal(f"Add a card to {self.deck}", "bold"))
            yield Static(literal(self.where), classes="add-where")
            yield Select(KINDS, value=CardKind.BASIC, allow_blank=False, id="kind")
            yield Vertical(*self._field_widgets(), id="fields")
            yield Label("Tags (space separated)")
            yield Input("", id="tags")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Add (ctrl+s)", id="save", variant="primary")
        yield Footer(compact=True)

    def _field_widgets(self) -> list[Label | TextArea]:
        widgets: list[Label | TextArea] = []
        for name, label in _fields(self.kind):
            widgets.append(Label(label))
            widgets.append(TextArea("", id=f"field-{name}", soft_wrap=True))
        return widgets

    def on_mount(self) -> None:
        self.query_one("#field-" + _fields(self.kind)[0][0], TextArea).focus(scroll_visible=False)
        # Focusing may scroll a dialog taller than the terminal (80x24): keep its title, which
        # names the deck, in view; the first field is near the top either way.
        self.call_after_refresh(self.query_one("#add", VerticalScroll).scroll_home, animate=False)

    async def on_select_changed(self, event: Select.Changed) -> None:
        if not isinstance(event.value, CardKind) or event.value is self.kind:
            return
        self.kind = event.value
        fields = self.query_one("#fields", Vertical)
        await fields.remove_children()
        await fields.mount(*self._field_widgets())

    def action_save(self) -> None:
        """Check and return the new card."""
        values: dict[str, object] = {}
        for name, _ in _fields(self.kind):
            raw = self.query_one(f"#field-{name}", TextArea).text.strip()
            if name in ("answers", "distractors"):
                values[name] = tuple(line.strip() for line in raw.splitlines() if line.strip())
            else:
                values[name] = raw
        content = CardContent(kind=self.kind, cloze_ord=1 if self.kind is CardKind.CLOZE else 0, **values)  # type: ignore[arg-type]
        problem = _problem(content)
        if problem:
            self.notify(problem, severity="error", markup=False)
            return
        self.dismiss((content, self.query_one("#tags", Input).value.split()))

    def action_cancel(self) -> None:
        """Close without adding."""
        self.dismiss(None)
