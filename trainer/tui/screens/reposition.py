"""Reposition new cards (Anki's browser, Cards > Reposition): start, step, shuffle, shift."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static

from trainer.tui.screens.dialogs import SaveOrCancel
from trainer.tui.text import literal


@dataclass(frozen=True)
class RepositionRequest:
    """What the learner asked for."""

    start: int
    step: int
    randomize: bool
    shift: bool


class RepositionDialog(SaveOrCancel, ModalScreen[RepositionRequest | None]):
    """Ask where the chosen new cards go; returns the request, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Reposition", priority=True),
    ]
    AUTO_FOCUS = "#start"

    def __init__(self, count: int, top: int, bottom: int) -> None:
        super().__init__()
        self.count = count
        self.top = top
        self.bottom = bottom

    def compose(self) -> ComposeResult:
        from trainer.views import plural

        with VerticalScroll(classes="dialog", id="reposition"):
            yield Static(literal(f"Reposition {plural(self.count, 'new card')}", "bold"))
            yield Static(literal(f"Queue top: {self.top}   Queue bottom: {self.bottom}"), classes="add-where")
            with Horizontal(classes="reposition-row"):  # compact rows: the dialog fits 80x24
                yield Label("Start position")
                yield Input(str(self.top), id="start", type="integer", compact=True)
            with Horizontal(classes="reposition-row"):
                yield Label("Step")
                yield Input("1", id="step", type="integer", compact=True)
            yield Checkbox("Randomize order", id="randomize", compact=True)
            yield Checkbox("Shift position of existing cards", id="shift", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Reposition (Enter)", id="save", variant="primary")
        yield Footer(compact=True)

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Check the numbers and return the request."""
        try:
            start = int(self.query_one("#start", Input).value)
            step = int(self.query_one("#step", Input).value)
        except ValueError:
            self.notify("The start position and the step are whole numbers.", severity="error")
            return
        if start < 0 or step < 1:
            self.notify("The start position is 0 or more, the step 1 or more.", severity="error")
            return
        self.dismiss(
            RepositionRequest(
                start=start,
                step=step,
                randomize=self.query_one("#randomize", Checkbox).value,
                shift=self.query_one("#shift", Checkbox).value,
            )
        )

    def action_cancel(self) -> None:
        """Close without repositioning."""
        self.dismiss(None)
