"""Browse: search the collection, open a card to edit, suspend/unsuspend, reset."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from trainer.core.search import QueryError
from trainer.tui.screens.dialogs import ConfirmDialog, EditDialog, InfoDialog
from trainer.tui.text import literal

if TYPE_CHECKING:
    from trainer.collection import Collection
    from trainer.views import CardView

QUERY_HELP = (
    "text  deck:NAME  tag:TAG  is:due|new|learning|review|suspended|leech|buried  kind:KIND  -negates"
)


def _short(text: str, width: int = 60) -> Text:
    line = " ".join(text.split())
    return literal(line if len(line) <= width else line[: width - 1] + "…")


class BrowseScreen(Screen[None]):
    """A search box over a table of cards."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_query", "Search"),
        Binding("e", "edit", "Edit"),
        Binding("s", "toggle_suspend", "Suspend/unsuspend"),
        Binding("r", "reset", "Reset"),
        Binding("i", "info", "Info"),
        Binding("escape", "leave", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.cards: list[CardView] = []

    @property
    def col(self) -> Collection:
        """The collection."""
        from trainer.tui.app import TrainerApp

        assert isinstance(self.app, TrainerApp)
        return self.app.col

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.initial, placeholder=QUERY_HELP, id="query")
        table: DataTable[Any] = DataTable(id="results", cursor_type="row", zebra_stripes=True)
        for label in ("Question", "Deck", "Kind", "State", "Due"):
            table.add_column(label, key=label.lower())
        yield table
        yield Static("", id="status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Browse"
        self.run_search(self.initial)
        self.query_one("#results", DataTable).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.run_search(event.value)
        self.query_one("#results", DataTable).focus()

    def run_search(self, query: str) -> None:
        """Search and fill the table."""
        status = self.query_one("#status", Static)
        try:
            self.cards = self.col.search(query)
        except QueryError as exc:
            status.update(literal(str(exc)))
            return
        self._fill()
        status.update(Text(f"{len(self.cards)} cards" + (" (first 2000)" if len(self.cards) >= 2000 else "")))

    def _fill(self) -> None:
        table = self.query_one("#results", DataTable)
        row = table.cursor_row
        table.clear()
        width = max(20, self.app.size.width - 48)
        zone = self.col.zone
        for card in self.cards:
            table.add_row(*self._cells(card, width, zone), key=str(card.id))
        if self.cards:
            table.move_cursor(row=min(row, len(self.cards) - 1))

    @staticmethod
    def _cells(card: CardView, width: int, zone: tzinfo) -> list[Text]:
        state = "suspended" if card.suspended else "buried" if card.buried else card.state.state.name.lower()
        due = card.state.due.astimezone(zone).strftime("%Y-%m-%d") if card.state.due else "-"
        return [_short(card.question, width), _short(card.deck_name, 16), Text(card.content.kind.value),
                Text(state, style="dim" if card.suspended else ""), Text(due)]  # fmt: skip

    def selected(self) -> CardView | None:
        """The highlighted card."""
        table = self.query_one("#results", DataTable)
        if not self.cards or table.cursor_row >= len(self.cards):
            return None
        return self.cards[table.cursor_row]

    def _replace(self, card_id: int) -> None:
        fresh = self.col.card(card_id)
        self.cards = [fresh if c.id == card_id else c for c in self.cards]
        self._fill()

    def on_data_table_row_selected(self) -> None:
        self.action_edit()

    def action_focus_query(self) -> None:
        """Go to the search box."""
        self.query_one("#query", Input).focus()

    def action_edit(self) -> None:
        """Edit the highlighted card."""
        card = self.selected()
        if card is None:
            return

        def done(result: tuple[object, list[str]] | None) -> None:
            if result is None:
                return
            from trainer.core.cards import CardContent

            content, tags = result
            assert isinstance(content, CardContent)
            self.col.edit_card(card.id, content, tags=tags)
            self._replace(card.id)
            self.notify("Card saved.")

        self.app.push_screen(EditDialog(card), done)

    def action_info(self) -> None:
        """Card info."""
        card = self.selected()
        if card is not None:
            self.app.push_screen(
                InfoDialog(card, self.col.history(card.id), self.col.deck_preset(card.deck_name))
            )

    def action_toggle_suspend(self) -> None:
        """Suspend or unsuspend the highlighted card."""
        card = self.selected()
        if card is None:
            return
        self.col.set_suspended([card.id], not card.suspended)
        self._replace(card.id)
        self.notify("Card unsuspended." if card.suspended else "Card suspended.")

    def action_reset(self) -> None:
        """Forget the highlighted card (after confirmation)."""
        card = self.selected()
        if card is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.col.reset_card(card.id)
                self._replace(card.id)
                self.notify("Card reset to new.")

        self.app.push_screen(ConfirmDialog("Reset this card to new? Its memory state is cleared."), done)

    def action_leave(self) -> None:
        """Back home."""
        self.dismiss(None)
