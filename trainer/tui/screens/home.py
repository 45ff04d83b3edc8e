"""Home: the deck tree with new / learning / due counts, and the way to every other screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static

from trainer.tui.text import literal

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp

ALL_DECKS = "\x00all"
EMPTY_MESSAGE = (
    "No decks yet. Press i to import a deck file (.toml, .apkg, .csv), "
    "or load a folder from the shell: trainer load PATH"
)


class DeckTable(DataTable[Any], inherit_bindings=False):
    """The deck table: Enter studies the highlighted deck (shown in the footer)."""

    # The focused table's keys lead the footer, the base table's Enter first: own list, so that
    # ? Help comes first as on every screen (the table's moving keys are kept, after it).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.help", "Help"),
        Binding("enter", "select_cursor", "Study"),
        *(b for b in DataTable.BINDINGS if not (isinstance(b, Binding) and b.key == "enter")),
    ]


class HomeScreen(Screen[None]):
    """The deck list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # first: the footer is cut on the right at 80 columns, and ? Help must always show
        Binding("question_mark", "app.help", "Help"),
        # Not a priority binding: the table handles Enter after the arrow keys queued before it
        # (a priority binding would run first and open the deck highlighted before them).
        Binding("enter", "study", "Study"),
        Binding("z", "quiz", "Quiz"),
        Binding("a", "add", "Add", tooltip="Add a card"),
        Binding("o", "options", "Options", show=False),  # in ? and ctrl+p: the footer fits 80 columns
        Binding("b", "browse", "Browse"),
        Binding("t", "stats", "Stats"),
        Binding("i", "import", "Import"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        if not self.trainer.ready:  # opened already: no indicator to mount, animate and hide
            yield LoadingIndicator(id="loading")
        yield Static("", id="home-message", classes="message hidden", markup=False)
        table = DeckTable(id="decks", cursor_type="row", zebra_stripes=True)
        table.add_column("Deck", key="deck")
        for label in ("New", "Learn", "Due", "Total"):
            table.add_column(label, key=label.lower())
        yield table
        if not self.trainer.ready:
            yield Footer(compact=True)

    def on_mount(self) -> None:
        if not self.query(Footer):
            # The deck list comes first: the footer's key widgets are mounted one frame later
            # (Textual's footer fills in on the next bindings update anyway).
            self.call_after_refresh(self._mount_footer)

    async def _mount_footer(self) -> None:
        await self.mount(Footer(compact=True))
        self.refresh_bindings()

    @property
    def trainer(self) -> TrainerApp:
        """The app, typed."""
        from trainer.tui.app import TrainerApp

        assert isinstance(self.app, TrainerApp)
        return self.app

    def on_screen_resume(self) -> None:
        # also when first shown: a collection opened before the app started is in the first frame
        if self.trainer.ready:
            self.refresh_decks()

    def show_error(self, message: str) -> None:
        """Tell the learner the collection could not be opened."""
        self._hide_loading()
        box = self.query_one("#home-message", Static)
        box.update(literal(f"Could not open the collection: {message}"))
        box.remove_class("hidden")

    def _hide_loading(self) -> None:
        for indicator in self.query("#loading"):
            indicator.display = False

    def refresh_decks(self) -> None:
        """Reload the deck list with today's counts."""
        self._hide_loading()
        from trainer.core.decknames import deck_sort_key

        decks = sorted(self.trainer.col.decks(), key=lambda d: deck_sort_key(d.name))
        table = self.query_one("#decks", DataTable)
        selected = self._selected()
        table.clear()
        message = self.query_one("#home-message", Static)
        message.set_class(bool(decks), "hidden")
        message.update(EMPTY_MESSAGE)
        table.display = bool(decks)
        if not decks:
            return
        for deck in decks:
            name = literal("  " * deck.depth + deck.short_name)
            table.add_row(name, *_counts(deck.new, deck.learning, deck.due, deck.total), key=deck.name)
        top = [d for d in decks if d.depth == 0]
        totals = (sum(d.new for d in top), sum(d.learning for d in top), sum(d.due for d in top))
        table.add_row(
            Text("All decks", style="bold"), *_counts(*totals, sum(d.total for d in top)), key=ALL_DECKS
        )
        if selected is not None:
            keys = [d.name for d in decks] + [ALL_DECKS]
            if selected in keys:
                table.move_cursor(row=keys.index(selected))

    def _selected(self) -> str | None:
        table = self.query_one("#decks", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key

    def selected_deck(self) -> str | None:
        """The highlighted deck's name (None for every deck)."""
        key = self._selected()
        return None if key in (None, ALL_DECKS) else key

    def action_study(self) -> None:
        """Study the highlighted deck."""
        self.trainer.action_study(self.selected_deck())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a row: study that deck."""
        event.stop()
        key = event.row_key.value
        self.trainer.action_study(None if key in (None, ALL_DECKS) else key)

    def action_quiz(self) -> None:
        """Quiz on the highlighted deck, after choosing the mode and the length."""
        from trainer.tui.screens.quiz_setup import QuizSetupDialog

        deck = self.selected_deck()

        def start(settings: tuple[str, int] | None) -> None:
            if settings is not None:
                mode, count = settings
                self.trainer.open_quiz(deck, count, mode)

        if self.trainer.ready:
            self.app.push_screen(QuizSetupDialog(deck), start)

    def action_browse(self) -> None:
        """Browse the highlighted deck."""
        deck = self.selected_deck()
        self.trainer.action_browse(f'deck:"{deck}"' if deck else "")

    def action_options(self) -> None:
        """The highlighted deck's options (limits, retention, steps, day start, preset)."""
        from trainer.tui.screens.deck_options import DeckOptionsDialog

        deck = self.selected_deck()
        if deck is None or not self.trainer.ready:
            self.notify("Highlight a deck first.")
            return

        def done(changed: bool | None) -> None:
            if changed:
                self.notify("Options saved.")
                self.refresh_decks()

        self.app.push_screen(DeckOptionsDialog(self.trainer.col, deck), done)

    def action_add(self) -> None:
        """Add a card to the highlighted deck."""
        self.trainer.add_card(self.selected_deck(), self.refresh_decks)

    def action_stats(self) -> None:
        """Statistics."""
        self.trainer.action_stats()

    def action_import(self) -> None:
        """Import a file."""
        self.trainer.action_import()

    def action_refresh(self) -> None:
        """Recount."""
        if self.trainer.ready:
            self.refresh_decks()


def _counts(new: int, learning: int, due: int, total: int) -> list[Text]:
    styles = ("blue", "red", "green", "")
    return [
        Text(str(value), style=style if value else "", justify="right")
        for value, style in zip((new, learning, due, total), styles, strict=True)
    ]
