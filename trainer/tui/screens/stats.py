"""Statistics: card counts per deck, and the charts of the whole collection or the chosen deck.

The report is computed in a thread worker (a large collection takes most of a second) while a
loading indicator covers the chart area; keys 1 / 3 / y choose 30, 90 or 365 days, Enter on a
deck row shows that deck with its subdecks, `a` the whole collection again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trainer.tui.screens.stats_charts import StatsCharts
from trainer.tui.text import literal
from trainer.views import plural

if TYPE_CHECKING:
    from trainer.collection import Collection
    from trainer.core.stats.report import StatsReport

PERIODS = {"1": 30, "3": 90, "y": 365}


class StatsScreen(Screen[None]):
    """Counts per deck above, the charts of the chosen scope and period below."""

    DEFAULT_CSS = """
    StatsScreen #stats-decks { height: auto; max-height: 8; }
    StatsScreen #stats-body { height: 1fr; min-height: 5; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # first: the footer is cut on the right at 80 columns, and ? Help must always show
        Binding("question_mark", "app.help", "Help"),
        Binding("escape,q", "leave", "Back"),
        Binding("1", "period(30)", "30 days", id="stats.period.30"),
        Binding("3", "period(90)", "90 days", id="stats.period.90"),
        Binding("y", "period(365)", "1 year", id="stats.period.365"),
        Binding("a", "whole", "All decks", id="stats.whole"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.deck: str | None = None
        """The deck shown (with its subdecks); None: the whole collection."""
        self.days = 30
        """The period in days."""
        self.deck_names: list[str] = []
        """Full deck names in table row order."""

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
        yield Vertical(id="stats-body")
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
        self.deck_names = [deck.name for deck in decks]
        top = [d for d in decks if d.depth == 0]
        total = sum(d.total for d in top)
        self.query_one("#stats-total", Static).update(
            Text(
                f"{plural(total, 'card')} in {plural(len(decks), 'deck')}; "
                f"{sum(d.due + d.learning for d in top)} to review today."
            )
        )
        self.reload()

    def reload(self) -> None:
        """Recompute the report for the current deck and period, in a worker."""
        self.query_one("#stats-body", Vertical).loading = True
        self._compute(self.deck, self.days)

    @work(thread=True, exclusive=True, group="stats")
    def _compute(self, deck: str | None, days: int) -> None:
        try:
            report = self.col.stats_report(deck, days=days)
        except Exception as exc:  # shown to the learner, never a crash of the screen
            self.app.call_from_thread(self.call_next, self._failed, str(exc))
            return
        self.app.call_from_thread(self.call_next, self._show, report)

    async def _show(self, report: StatsReport) -> None:
        body = self.query_one("#stats-body", Vertical)
        await body.remove_children()
        await body.mount(StatsCharts(report, id="stats-charts"))
        body.loading = False

    async def _failed(self, message: str) -> None:
        body = self.query_one("#stats-body", Vertical)
        await body.remove_children()
        await body.mount(Static(Text(f"Statistics unavailable: {message}"), id="stats-error"))
        body.loading = False

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a deck: that deck with its subdecks."""
        if 0 <= event.cursor_row < len(self.deck_names):
            self.deck = self.deck_names[event.cursor_row]
            self.reload()

    def action_period(self, days: int) -> None:
        """Show the last `days` days."""
        self.days = days
        self.reload()

    def action_whole(self) -> None:
        """Back to the whole collection."""
        self.deck = None
        self.reload()

    def action_leave(self) -> None:
        """Back home."""
        self.dismiss(None)
