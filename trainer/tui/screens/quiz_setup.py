"""Before a quiz: choose the mode and the number of questions (Enter starts, Esc cancels)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from trainer.tui.text import literal

QuizSettings = tuple[str, int]
MODES = [("Mixed (typed where the answer is short)", "mixed"), ("Multiple choice", "choice"),
         ("Typed answers", "typed")]  # fmt: skip


class QuizSetupDialog(ModalScreen[QuizSettings | None]):
    """Mode and length of a quiz round on `deck`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start", priority=True),
    ]
    AUTO_FOCUS = "#quiz-n"

    def __init__(self, deck: str | None, mode: str = "mixed", count: int = 20) -> None:
        super().__init__()
        self.deck = deck
        self.mode = mode
        self.count = count

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="quiz-setup"):
            yield Static(literal(f"Quiz on {self.deck or 'all decks'}", "bold"))
            yield Label("Questions (1-1000), then Enter")
            yield Input(str(self.count), id="quiz-n", type="integer")
            yield Label("Mode")
            yield Select(MODES, value=self.mode, allow_blank=False, id="quiz-mode")
        yield Footer(compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        """Start with the chosen settings."""
        raw = self.query_one("#quiz-n", Input).value.strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 1000:
            self.notify("Give a number of questions from 1 to 1000.", severity="error")
            return
        mode = self.query_one("#quiz-mode", Select).value
        self.dismiss((str(mode), int(raw)))

    def action_cancel(self) -> None:
        """Back without a quiz."""
        self.dismiss(None)
