"""Deck options in the app: the deck's preset (limits, retention, steps in Anki's units,
day start) and which preset the deck uses. Values are checked by the same validation as
`trainer preset --set` (`PresetService.change`, through the collection)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from trainer.core.validate import format_steps
from trainer.errors import TrainerError
from trainer.tui.screens.dialogs import SaveOrCancel
from trainer.tui.text import literal

if TYPE_CHECKING:
    from trainer.collection import Collection

FIELDS = (
    ("new_per_day", "New cards a day"),
    ("reviews_per_day", "Reviews a day"),
    ("desired_retention", "Desired retention (0.70-0.99)"),
    ("learning_steps", "Learning steps (e.g. 1m 10m 1h 1d)"),
    ("relearning_steps", "Relearning steps (e.g. 10m)"),
    ("day_start_hour", "Next day starts at (hour, 0-23)"),
)


class DeckOptionsDialog(SaveOrCancel, ModalScreen[bool]):
    """The options of `deck`; returns whether anything changed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]
    AUTO_FOCUS = "#opt-new_per_day"

    def __init__(self, col: Collection, deck: str) -> None:
        super().__init__()
        self.col = col
        self.deck = deck
        self.preset = col.presets.of_deck(deck)
        self.names = col.presets.names()

    def compose(self) -> ComposeResult:
        users = next((i.decks for i in self.col.presets.all() if i.preset.name == self.preset.name), ())
        with VerticalScroll(classes="dialog", id="deck-options"):
            yield Static(literal(f"Options of {self.deck}", "bold"))
            yield Label("Preset")
            yield Select(
                [(n, n) for n in self.names], value=self.preset.name, allow_blank=False, id="opt-preset"
            )
            shared = f"Shared by {len(users)} decks: changes apply to all of them." if len(users) > 1 else ""
            yield Static(literal(shared), classes="add-where")
            for key, label in FIELDS:
                value = getattr(self.preset, key)
                shown = format_steps(value) if isinstance(value, tuple) else str(value)
                yield Label(label)
                yield Input(shown, id=f"opt-{key}")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")
        yield Footer(compact=True)

    def action_save(self) -> None:
        """Check every value as `trainer preset --set` does, then store them."""
        name = str(self.query_one("#opt-preset", Select).value)
        assignments = []
        for key, _ in FIELDS:
            value = getattr(self.preset, key)
            shown = format_steps(value) if isinstance(value, tuple) else str(value)
            typed = self.query_one(f"#opt-{key}", Input).value.strip()
            if typed != shown:
                assignments.append(f"{key}={typed}")
        try:  # every value is checked before anything is stored (`PresetService.change`)
            if assignments:
                self.col.presets.set_options(name, assignments, now=self.col.clock())
            if name != self.preset.name:
                self.col.presets.assign(self.deck, name)
        except TrainerError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.dismiss(bool(assignments) or name != self.preset.name)

    def action_cancel(self) -> None:
        """Close without changes."""
        self.dismiss(False)
