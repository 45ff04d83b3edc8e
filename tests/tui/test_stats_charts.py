"""The statistics charts view, mounted in a bare app with a real report."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tests.conftest import Clock
from tests.services.test_stats import write_log
from trainer.collection import Collection
from trainer.core.stats.report import StatsReport
from trainer.tui.screens.stats_charts import StatsCharts


class ChartsApp(App[None]):
    def __init__(self, report: StatsReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        yield StatsCharts(self.report, id="charts")


def test_charts_mount_and_show_literal_text(col: Collection, clock: Clock, tmp_path: Path) -> None:
    col.optimizer.import_review_log(write_log(tmp_path / "log.csv", clock.now, cards=20), deck="[b]Deck[/b]")
    report = col.stats_report("[b]Deck[/b]", days=30)
    app = ChartsApp(report)
    started = time.perf_counter()
    asyncio.run(_check(app))
    assert time.perf_counter() - started < 10


async def _check(app: ChartsApp) -> None:
    async with app.run_test(size=(140, 60)) as pilot:
        await pilot.pause()
        charts = app.query(PlotextPlot)
        assert {c.id for c in charts} >= {"chart-reviews", "chart-due", "chart-r", "chart-hours"}
        summary = app.query_one("#stats-summary", Static)
        text = str(summary.render())
        assert (
            "[b]Deck[/b] · last 30 days" in text and "Cards: 20" in text and "True retention (month)" in text
        )
        reviews = app.query_one("#chart-reviews", PlotextPlot)
        assert reviews.size.height > 5 and reviews.size.width > 20


def test_statistics_screen_mounts_charts_per_deck_and_period(demo: Collection) -> None:
    from trainer.tui.app import Start, TrainerApp
    from trainer.tui.screens.stats import StatsScreen

    card = demo.search("")[0]
    demo.answer(card.id, 3)
    app = TrainerApp(demo, start=Start(screen="stats"))

    async def script() -> None:
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StatsScreen)
            charts = screen.query_one("#stats-charts", StatsCharts)
            assert charts.report.deck is None and charts.report.days == 30
            assert charts.report.today.reviews == 1
            assert {c.id for c in screen.query(PlotextPlot)} >= {"chart-reviews", "chart-due", "chart-r"}
            await pilot.press("y")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.query_one("#stats-charts", StatsCharts).report.days == 365
            assert not screen.query_one("#stats-body").loading
            await pilot.press("enter")  # the first deck row
            await app.workers.wait_for_complete()
            await pilot.pause()
            chosen = screen.query_one("#stats-charts", StatsCharts).report
            assert chosen.deck == screen.deck_names[0] and chosen.days == 365
            assert "· last 365 days" in str(screen.query_one("#stats-summary", Static).render())
            await pilot.press("a")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.query_one("#stats-charts", StatsCharts).report.deck is None

    asyncio.run(script())


def test_card_info_shows_memory_state_after_each_review(demo: Collection) -> None:
    from tests.tui.conftest import screen_text
    from trainer.core.scheduling import Rating
    from trainer.tui.app import Start, TrainerApp
    from trainer.tui.screens.dialogs import InfoDialog

    card = demo.search("")[0]
    demo.answer(card.id, Rating.GOOD)
    demo.clock.advance(days=3)  # type: ignore[attr-defined]
    demo.answer(card.id, Rating.HARD)
    history = demo.history(card.id)
    app = TrainerApp(demo, start=Start(screen="stats"))

    async def script() -> None:
        async with app.run_test(size=(120, 50)) as pilot:
            await pilot.pause()
            app.push_screen(InfoDialog(demo.card(card.id), history, demo.presets.of_deck(card.deck_name)))
            await pilot.pause()
            text = screen_text(app)
            assert "recall  stability  difficulty" in text and "stability, oldest first" in text
            second = history[1]
            assert second.stability_after is not None and second.difficulty_after is not None
            when = second.reviewed_at.astimezone(demo.zone).strftime("%Y-%m-%d %H:%M")
            rows = [row for row in text.splitlines() if when in row and "%" in row]
            assert len(rows) == 1, text
            assert f"{second.stability_after:.1f}d" in rows[0] and f"{second.difficulty_after:.1f}" in rows[0]

    asyncio.run(script())


def test_count_ticks_are_whole_numbers_and_the_heatmap_has_a_cell_a_day() -> None:
    from datetime import date

    from trainer.tui.widgets.charts import count_ticks
    from trainer.tui.widgets.heatmap import heatmap

    assert (
        count_ticks(3) == [0, 1, 2, 3] and count_ticks(0) == [0, 1] and count_ticks(17) == [0, 5, 10, 15, 20]
    )
    counts = [0] * 181 + [4]  # today: 4 reviews
    grid = heatmap(counts, date(2026, 12, 7), weeks=26).plain.splitlines()
    assert grid[0].split() == ["Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert grid[1].startswith("Mon") and grid[1].rstrip().endswith("■")  # 2026-12-07 is a Monday
    assert "most in a day: 4" in grid[-1]
