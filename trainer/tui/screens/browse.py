"""Browse: search the collection, open a card to edit, suspend/unsuspend, reset, reposition."""

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

QUERY_HELP = "Anki search: text deck:NAME tag:TAG is:due flag:1 prop:ivl>=10 a OR b -(...)  (? for help)"
PAGE = 500
COLUMNS = (("Question", "question"), ("Card", None), ("Deck", "deck"), ("State", None), ("Due", "due"),
           ("Ivl", "interval"), ("Reps", "reps"), ("Lapses", "lapses"))  # fmt: skip


def _short(text: str, width: int = 60) -> Text:
    line = " ".join(text.split())
    return literal(line if len(line) <= width else line[: width - 1] + "…")


def sibling_label(card: CardView) -> str:
    """What tells a card from its siblings: its kind, a cloze's number, a reversed card's side,
    a compare-set card's direction."""
    content = card.content
    if content.kind.value == "cloze":
        return f"cloze c{content.cloze_ord}"
    if content.kind.value == "reversed":
        return "reversed back" if card.external_id.endswith("#rev") else "reversed front"
    tail = card.external_id.rsplit("/", 1)[-1]
    if content.group_title and tail in ("what", "which"):
        return f"{content.kind.value} {tail}"
    return content.kind.value


class BrowseScreen(Screen[None]):
    """A search box over a table of cards."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # first: the footer is cut on the right at 80 columns, and ? Help must always show
        Binding("question_mark", "app.help", "Help"),
        Binding("slash", "focus_query", "Search"),
        Binding("down", "focus_results", "Results", show=False),  # from the search box
        Binding("e", "edit", "Edit"),
        Binding("s", "toggle_suspend", "Suspend", tooltip="Suspend or unsuspend"),
        Binding("r", "reset", "Reset", show=False),  # in ? and ctrl+p: the footer fits 80 columns
        Binding("space", "mark", "Mark", show=False),
        Binding("R", "reposition", "Reposition", show=False),
        Binding("u", "undo", "Undo", show=False),
        Binding("delete", "delete", "Delete"),
        Binding("i", "info", "Info"),
        Binding("escape", "leave", "Back"),
        Binding("o", "sort", "Sort"),
        Binding("O", "reverse", "Reverse sort", show=False),
        Binding("n", "page(1)", "Next page", show=False),
        Binding("p", "page(-1)", "Previous page", show=False),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.query_text = query
        self.cards: list[CardView] = []
        self.total = 0
        self.page_start = 0
        self.sort = "deck"
        self.descending = False
        self.positions: dict[int, int] = {}
        self.marked: set[int] = set()
        """Cards marked with Space (for reposition)."""

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
        for label, _ in COLUMNS:
            table.add_column(label, key=label.lower())
        yield table
        yield Static("", id="status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Browse"
        self.run_search(self.initial)
        self.query_one("#results", DataTable).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # The search box keeps the keyboard (as in Anki's browser): letters typed to refine the
        # query must never reach the results' one-key actions (s suspends, e edits ...).
        # Down or Tab moves to the results.
        self.run_search(event.value)

    def run_search(self, query: str, offset: int = 0) -> None:
        """Search and fill the table (one page of `PAGE` cards from `offset`)."""
        status = self.query_one("#status", Static)
        try:
            page = self.col.search_page(
                query, offset=offset, limit=PAGE, sort=self.sort, descending=self.descending
            )
        except QueryError as exc:
            status.update(literal(str(exc)))
            return
        if query != self.query_text:
            self.marked.clear()
        self.query_text, self.cards, self.total, self.page_start = query, page.cards, page.total, page.offset
        self.positions = page.positions
        self._fill()
        self._status()

    def _status(self) -> None:
        from trainer.views import plural

        text = plural(self.total, "card")
        if self.marked:
            text += f", {len(self.marked)} marked"
        if self.total > PAGE:
            last = min(self.page_start + PAGE, self.total)
            text += f", showing {self.page_start + 1}-{last} (n/p: next/previous page)"
        arrow = "descending" if self.descending else "ascending"
        text += f"   sorted by {self.sort} ({arrow}; o: sort by another column, O: reverse)"
        self.query_one("#status", Static).update(Text(text))

    def action_sort(self, column: str | None = None) -> None:
        """Sort by the next sortable column (or `column`)."""
        sorts = [key for _, key in COLUMNS if key]
        self.sort = column or sorts[(sorts.index(self.sort) + 1) % len(sorts) if self.sort in sorts else 0]
        self.run_search(self.query_text)

    def action_reverse(self) -> None:
        """Reverse the sort order."""
        self.descending = not self.descending
        self.run_search(self.query_text)

    def action_page(self, step: int) -> None:
        """The next or previous page of results."""
        offset = self.page_start + step * PAGE
        if 0 <= offset < self.total:
            self.run_search(self.query_text, offset)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column header sorts by it (again: reverses)."""
        key = dict(COLUMNS).get(str(event.label))
        if key is None:
            return
        if key == self.sort:
            self.descending = not self.descending
        self.sort = key
        self.run_search(self.query_text)

    def _fill(self) -> None:
        table = self.query_one("#results", DataTable)
        row = table.cursor_row
        table.clear()
        width = max(20, self.app.size.width - 72)
        zone = self.col.zone
        for card in self.cards:
            cells = self._cells(card, width, zone, self.positions.get(card.id))
            if card.id in self.marked:
                cells[0] = Text("● ", style="bold") + cells[0]
            table.add_row(*cells, key=str(card.id))
        if self.cards:
            table.move_cursor(row=min(row, len(self.cards) - 1))

    @staticmethod
    def _cells(card: CardView, width: int, zone: tzinfo, position: int | None = None) -> list[Text]:
        state = "suspended" if card.suspended else "buried" if card.buried else card.state.state.name.lower()
        due = card.state.due.astimezone(zone).strftime("%Y-%m-%d %H:%M") if card.state.due else "-"
        if int(card.state.state) == 0 and position is not None:
            due = f"New #{position}"  # as Anki's browser shows a new card's place in the queue
        interval = "-"
        if card.state.due and card.state.last_review and int(card.state.state) == 2:
            interval = f"{round((card.state.due - card.state.last_review).total_seconds() / 86400)}d"
        right = [Text(interval, justify="right"), Text(str(card.state.reps), justify="right"),
                 Text(str(card.state.lapses), justify="right")]  # fmt: skip
        return [_short(card.question, width), literal(sibling_label(card)), _short(card.deck_name, 16),
                Text(state, style="dim" if card.suspended else ""), Text(due), *right]  # fmt: skip

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

    def action_focus_results(self) -> None:
        """Go to the results (Down from the search box)."""
        self.query_one("#results", DataTable).focus()

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
                InfoDialog(card, self.col.history(card.id), self.col.presets.of_deck(card.deck_name))
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

    def action_delete(self) -> None:
        """Delete the highlighted collection card (after confirmation); a deck-file card is
        deleted from its file, so here it is refused with where to do it."""
        card = self.selected()
        if card is None:
            return
        path = self.col.card_file(card.id)
        if path is not None:
            self.notify(f"This card comes from {path}: delete it there (or suspend it with s).", markup=False)
            return

        def done(yes: bool | None) -> None:
            if yes:
                from trainer.views import plural

                removed = self.col.delete_card(card.id)
                self.run_search(self.query_text, self.page_start)
                self.notify(f"Card deleted with {plural(removed, 'review')}.")

        self.app.push_screen(
            ConfirmDialog("Delete this card and its review history? This cannot be undone."), done
        )

    def action_mark(self) -> None:
        """Mark or unmark the highlighted card (Reposition acts on the marked cards)."""
        card = self.selected()
        if card is None:
            return
        self.marked ^= {card.id}
        self._fill()
        self._status()

    def action_reposition(self) -> None:
        """Reposition the marked new cards (or the highlighted one), as Anki's Cards > Reposition."""
        from trainer.errors import TrainerError
        from trainer.tui.screens.reposition import RepositionDialog, RepositionRequest
        from trainer.views import plural

        card = self.selected()
        shown = [c.id for c in self.cards if c.id in self.marked]  # in the order on screen, as Anki
        ids = shown + sorted(self.marked - set(shown)) if self.marked else [card.id] if card else []
        if not ids:
            return
        top, bottom = self.col.new_queue_ends()

        def done(request: RepositionRequest | None) -> None:
            if request is None:
                return
            try:
                result = self.col.reposition(
                    ids, request.start, step=request.step, randomize=request.randomize, shift=request.shift
                )
            except TrainerError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.marked.clear()
            self.run_search(self.query_text, self.page_start)
            skipped = f" ({plural(result.skipped, 'card')} not new, left alone)" if result.skipped else ""
            self.notify(f"{plural(len(result.moved), 'card')} repositioned{skipped}. u undoes it.")

        self.app.push_screen(RepositionDialog(len(ids), top, bottom), done)

    def action_undo(self) -> None:
        """Take back the last action or answer (the one undo stack) and show the results again."""
        from trainer.views import UndoResult

        undone = self.col.undo()
        if undone is None:
            self.notify("Nothing to undo.")
            return
        label = undone.rating.label if isinstance(undone, UndoResult) else undone.label
        self.run_search(self.query_text, self.page_start)
        self.notify(f"Undid {label}.")

    def action_leave(self) -> None:
        """Back home."""
        self.dismiss(None)
