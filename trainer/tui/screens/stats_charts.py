"""A statistics view that any screen can mount: numbers and charts from a `StatsReport`."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from trainer.core.cards import clean_text
from trainer.core.stats.report import CLASS_NAMES, StatsReport
from trainer.tui.widgets.charts import BarChart, LineChart
from trainer.tui.widgets.heatmap import heatmap


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def summary_lines(report: StatsReport) -> list[str]:
    """The headline numbers, as plain text."""
    t, c = report.today, report.card_counts
    month = report.retention["month"]
    return [
        f"{clean_text(report.deck) if report.deck else 'Whole collection'} · last {report.days} days",
        f"Today: {t.reviews} answers on {t.cards} cards in {t.time_ms / 60000:.1f} min · "
        f"again {t.again} · correct {_pct(t.correct)}",
        f"Cards: {c.total} · new {c.new} · learning {c.learning + c.relearning} · young {c.young} · "
        f"mature {c.mature} · suspended {c.suspended} · buried {c.buried}",
        f"True retention (month): young {_pct(month.young)} · mature {_pct(month.mature)} · "
        f"desired {_pct(report.desired_retention)}",
        f"Knowledge: {report.knowledge:.0f} of {report.studied} studied cards · "
        f"streak {report.streak_current} d (longest {report.streak_longest} d) · "
        f"daily load {report.daily_load:.1f}",
    ]


class StatsCharts(VerticalScroll):
    """Summary text and charts for one report (card text and deck names shown literally)."""

    DEFAULT_CSS = """
    StatsCharts { height: 1fr; }
    StatsCharts #stats-summary { height: auto; padding: 0 1; }
    StatsCharts Grid { grid-size: 2; grid-rows: 16; height: auto; }
    StatsCharts PlotextPlot { height: 16; }
    StatsCharts #heatmap, StatsCharts .heatmap-title { height: auto; padding: 0 1; }
    """

    def __init__(self, report: StatsReport, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report

    def compose(self) -> ComposeResult:
        r = self.report
        yield Static("\n".join(summary_lines(r)), id="stats-summary", markup=False)
        days = [d.day.strftime("%m-%d") for d in r.reviews]
        with Grid():
            yield BarChart(
                "Reviews per day",
                days,
                [[d.counts[i] for d in r.reviews] for i in range(4)],
                CLASS_NAMES,
                id="chart-reviews",
            )
            yield BarChart(
                "Future due (30 days)", [str(i) for i in range(30)], [r.future_due[:30]], id="chart-due"
            )
            yield BarChart(
                "Retrievability",
                [f"{e:.0%}" for e in r.retrievability.edges],
                [r.retrievability.counts],
                id="chart-r",
            )
            yield BarChart(
                "Intervals (days)",
                [f"{e:g}" for e in r.intervals.edges],
                [r.intervals.counts],
                id="chart-ivl",
            )
            yield LineChart(
                "Hourly success % (hours without reviews blank)",
                [f"{h:02d}" for h in range(24)],
                [[100 * p / n if n else None for n, p in r.hours]],
                id="chart-hours",
            )
        yield Static(Text("Reviews per day, last 26 weeks", style="bold"), classes="heatmap-title")
        yield Static(heatmap(r.calendar, r.today_date), id="heatmap")
