"""Chart widgets over `textual-plotext`: each takes plain numbers and draws on mount."""

from __future__ import annotations

from collections.abc import Sequence

from textual_plotext import PlotextPlot


class _Chart(PlotextPlot):
    """A titled chart of one or more series over the same x labels."""

    def __init__(
        self,
        title: str,
        labels: Sequence[str],
        series: Sequence[Sequence[float | None]],
        names: Sequence[str] = (),
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.title = title
        self.labels = list(labels)
        self.series = [list(s) for s in series]
        self.names = list(names)


class BarChart(_Chart):
    """A bar chart; with several series, stacked."""

    def on_mount(self) -> None:
        plt = self.plt
        plt.title(self.title)
        positions = [float(i) for i in range(len(self.labels))]
        if not positions:
            return
        if len(self.series) == 1:
            plt.bar(positions, self.series[0], width=0.8)
        else:
            plt.stacked_bar(positions, self.series, labels=self.names or None, width=0.8)  # type: ignore[call-arg]
        step = tick_step(self.labels)
        plt.xticks(positions[::step], self.labels[::step])
        totals = [sum(v or 0.0 for v in values) for values in zip(*self.series, strict=True)]
        ticks = count_ticks(max(totals, default=0))
        plt.yticks([float(t) for t in ticks], [str(t) for t in ticks])


def count_ticks(top: float, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 to at least `top` (counts have no halves)."""
    ceiling = max(1, int(-(-top // 1)))
    step = max(1, -(-ceiling // (most - 1)))
    return list(range(0, ceiling + step, step))


def tick_step(labels: Sequence[str]) -> int:
    """Every how many positions to label: few enough that the labels never overlap in a narrow
    chart (overlapping labels are drawn in no fixed order)."""
    widest = max((len(label) for label in labels), default=1)
    most = max(2, 30 // (widest + 2))
    return max(1, -(-len(labels) // most))


class LineChart(_Chart):
    """One or more lines over the same x labels."""

    def on_mount(self) -> None:
        plt = self.plt
        plt.title(self.title)
        positions = [float(i) for i in range(len(self.labels))]
        for index, values in enumerate(self.series):
            name = self.names[index] if index < len(self.names) else None
            shown = [(x, v) for x, v in zip(positions, values, strict=True) if v is not None]
            if shown:  # no value (None): nothing drawn there, not a zero
                plt.scatter([x for x, _ in shown], [v for _, v in shown], label=name, marker="●")
        if positions:
            step = tick_step(self.labels)
            plt.xticks(positions[::step], self.labels[::step])
