"""Statistics: card counts per deck (charts come with the statistics service)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trainer.tui.text import literal

if TYPE_CHECKING:
    from trainer.collection import Collection


class StatsScreen(Screen[None]):
    """Counts per deck; replaced wholesale by the statistics issue."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "leave", "Back")]

    @property
    def col(self) -> Collection:
        """The collection."""
        from trainer.tui.app import TrainerApp

        assert isinstance(self.app, TrainerApp)
        return self.app.col

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="stats-total", classes="message", markup=False)
        table: DataTable[Any] = DataTable(id="stats-decks", cursor_type="row")
        for label in ("Deck", "New", "Learning", "Due today", "Total"):
            table.add_column(label)
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Statistics"
        decks = self.col.decks()
        table = self.query_one("#stats-decks", DataTable)
        for deck in decks:
            table.add_row(
                literal("  " * deck.depth + deck.short_name),
                *[Text(str(v), justify="right") for v in (deck.new, deck.learning, deck.due, deck.total)],
            )
        top = [d for d in decks if d.depth == 0]
        total = sum(d.total for d in top)
        self.query_one("#stats-total", Static).update(
            Text(
                f"{total} cards in {len(decks)} decks; "
                f"{sum(d.due + d.learning for d in top)} to review today."
            )
        )

    def action_leave(self) -> None:
        """Back home."""
        self.dismiss(None)
