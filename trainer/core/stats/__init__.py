"""The maths of the statistics: review classes, retention, streaks, buckets, knowledge.

Definitions follow Anki's so that the numbers can be checked against it:
- a study day is a fixed 86,400 s span counted back from the next day start
  (0 is today, -1 yesterday), as Anki's graphs count them;
- a review card is *mature* when its interval is 21 days or more;
- true retention counts every answer of a card with an interval of at least a day (a
  review card), same-day repeats included, as Anki does; Again is a fail, every other button
  a pass. The report keeps a first-answer-of-the-day figure under its own name.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

MATURE_DAYS = 21
DAY_MS = 86_400_000
# A review card is mature when due - last review spans 20.5 days or more: its interval in
# whole days (as stored by Anki, rounded) is then 21 or more. The one threshold in ms.
MATURE_SPAN_MS = MATURE_DAYS * DAY_MS - DAY_MS // 2
PERIODS: tuple[tuple[str, int, int], ...] = (
    ("today", 0, 0),
    ("yesterday", -1, -1),
    ("week", -6, 0),
    ("month", -29, 0),
    ("year", -364, 0),
)


class ReviewClass(IntEnum):
    """What kind of answer a review was, by the card's state before it."""

    LEARN = 0
    YOUNG = 1
    MATURE = 2
    RELEARN = 3


def review_class(state_before: int, interval_days: float | None) -> ReviewClass:
    """Learning (new or learning), young / mature review, or relearning."""
    if state_before == 3:
        return ReviewClass.RELEARN
    if state_before == 2:
        mature = interval_days is not None and interval_days >= MATURE_DAYS
        return ReviewClass.MATURE if mature else ReviewClass.YOUNG
    return ReviewClass.LEARN


@dataclass
class RetentionCounts:
    """Passes and fails of young and mature cards."""

    young_passed: int = 0
    young_failed: int = 0
    mature_passed: int = 0
    mature_failed: int = 0

    def add(self, mature: bool, passed: bool, count: int = 1) -> None:
        """Count reviews."""
        if mature:
            if passed:
                self.mature_passed += count
            else:
                self.mature_failed += count
        elif passed:
            self.young_passed += count
        else:
            self.young_failed += count

    @property
    def young(self) -> float | None:
        """Young pass rate, None without reviews."""
        return rate(self.young_passed, self.young_passed + self.young_failed)

    @property
    def mature(self) -> float | None:
        """Mature pass rate, None without reviews."""
        return rate(self.mature_passed, self.mature_passed + self.mature_failed)

    @property
    def total(self) -> float | None:
        """Pass rate of young and mature together."""
        passed = self.young_passed + self.mature_passed
        return rate(passed, passed + self.young_failed + self.mature_failed)


def rate(passed: int, total: int) -> float | None:
    """passed / total, None when nothing was counted."""
    return passed / total if total else None


def true_retention(first_reviews: Iterable[tuple[int, bool, int, int]]) -> dict[str, RetentionCounts]:
    """Counts per period from (day index, mature, rating, count) of review answers."""
    result = {name: RetentionCounts() for name, _, _ in PERIODS}
    for day, mature, rating, count in first_reviews:
        for name, start, end in PERIODS:
            if start <= day <= end:
                result[name].add(mature, rating > 1, count)
    return result


def streaks(active_days: Iterable[int]) -> tuple[int, int]:
    """(current, longest) run of consecutive study days from day indexes (0 = today).

    The current streak still counts when today has no review yet but yesterday has.
    """
    days = sorted(set(active_days))
    longest = run = 0
    previous: int | None = None
    for day in days:
        run = run + 1 if previous is not None and day == previous + 1 else 1
        longest = max(longest, run)
        previous = day
    present = set(days)
    start = 0 if 0 in present else -1
    current = 0
    while start - current in present:
        current += 1
    return current, longest


def fsrs_factor(decay: float) -> float:
    """FSRS-6 forgetting-curve factor, chosen so that R(S) = 0.9."""
    return float(0.9 ** (-1.0 / decay) - 1.0)


def retrievability(stability: float, elapsed_days: float, decay: float) -> float:
    """Probability of recall after `elapsed_days` (FSRS-6 power curve)."""
    if stability <= 0:
        return 0.0
    return float((1.0 + fsrs_factor(decay) * max(elapsed_days, 0.0) / stability) ** -decay)


def interval_for(stability: float, desired_retention: float, decay: float) -> float:
    """Days until retrievability falls to `desired_retention` (no rounding or fuzz)."""
    return float(stability / fsrs_factor(decay) * (desired_retention ** (-1.0 / decay) - 1.0))


@dataclass(frozen=True)
class Histogram:
    """Counts in buckets `[edges[i], edges[i+1])`; the last bucket is open on the right."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]

    def to_dict(self) -> dict[str, list[float] | list[int]]:
        """JSON-ready."""
        return {"edges": list(self.edges), "counts": list(self.counts)}


def histogram(values: Iterable[float], edges: Sequence[float]) -> Histogram:
    """Bucket values; values below the first edge go to the first bucket."""
    data = values if isinstance(values, list) else list(values)
    total = sum(data)
    if total != total:  # a NaN (or opposite infinities): sorting is undefined, bucket one by one
        counts = [0] * len(edges)
        for index, n in Counter(map(functools.partial(bisect.bisect_right, edges), data)).items():
            counts[max(index - 1, 0)] += n
        return Histogram(tuple(float(e) for e in edges), tuple(counts))
    ordered = sorted(data)
    below = [bisect.bisect_left(ordered, e) for e in edges[1:]]  # values under each upper edge
    counts = [b - a for a, b in zip([0, *below], [*below, len(ordered)], strict=True)]
    return Histogram(tuple(float(e) for e in edges), tuple(counts))


INTERVAL_EDGES = (0, 1, 2, 3, 5, 7, 14, 21, 30, 60, 90, 180, 365, 730)
STABILITY_EDGES = INTERVAL_EDGES
DIFFICULTY_EDGES = tuple(float(x) for x in range(1, 11))
RETRIEVABILITY_EDGES = tuple(round(0.05 * i, 2) for i in range(20))


def sparkline(values: Sequence[float]) -> str:
    """A one-line chart of block characters."""
    blocks = " ▁▂▃▄▅▆▇█"
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(blocks[min(8, math.ceil(v / top * 8))] if v > 0 else blocks[0] for v in values)


def bar(value: float, top: float, width: int = 30) -> str:
    """A horizontal bar of `width` cells at most."""
    if top <= 0 or value <= 0:
        return ""
    cells = max(1, round(value / top * width))
    return "█" * cells
