"""The statistics report: plain dataclasses that the CLI prints and the TUI draws."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from trainer.core.stats import Histogram, RetentionCounts

CLASS_NAMES = ("learning", "young", "mature", "relearning")


@dataclass(frozen=True)
class TodayStats:
    """What was studied today."""

    cards: int = 0
    reviews: int = 0
    time_ms: int = 0
    again: int = 0
    learn: int = 0
    review: int = 0
    relearn: int = 0

    @property
    def correct(self) -> float | None:
        """Share of answers that were not Again."""
        return (self.reviews - self.again) / self.reviews if self.reviews else None


@dataclass(frozen=True)
class CardCounts:
    """Cards by state, Anki's categories (suspended and buried apart)."""

    new: int = 0
    learning: int = 0
    relearning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0
    buried: int = 0

    @property
    def total(self) -> int:
        """Every card."""
        return sum(asdict(self).values())


@dataclass(frozen=True)
class DayReviews:
    """One day's reviews, stacked by class (`CLASS_NAMES` order)."""

    day: date
    counts: tuple[int, int, int, int]
    time_ms: tuple[int, int, int, int]

    @property
    def total(self) -> int:
        """All reviews that day."""
        return sum(self.counts)


@dataclass(frozen=True)
class WeakCard:
    """A card with low retrievability."""

    card_id: int
    question: str
    retrievability: float


@dataclass(frozen=True)
class TopicMastery:
    """Mastery of a deck, tag or compare set."""

    kind: str  # deck | tag | set
    name: str
    cards: int
    studied: int
    average_retrievability: float | None
    retention: float | None
    reviews: int
    weakest: tuple[WeakCard, ...] = ()


@dataclass(frozen=True)
class Confusion:
    """How often `given` was answered where `expected` was right, in a compare set."""

    group_id: str
    expected: str
    given: str
    count: int


@dataclass(frozen=True)
class StatsReport:
    """Every statistic of a deck (or the whole collection) over a period."""

    deck: str | None
    days: int
    today_date: date
    desired_retention: float
    today: TodayStats
    future_due: tuple[int, ...]  # index 0: due today (overdue included)
    daily_load: float
    calendar: tuple[int, ...]  # reviews per day over the last 365 days, oldest first
    streak_current: int
    streak_longest: int
    reviews: tuple[DayReviews, ...]  # the period, oldest first
    card_counts: CardCounts
    intervals: Histogram
    stability: Histogram
    difficulty: Histogram
    retrievability: Histogram
    knowledge: float  # sum of retrievability over studied cards
    studied: int
    retention: dict[str, RetentionCounts]  # Anki's true retention: every answer of a review card
    buttons: dict[str, tuple[int, int, int, int]]  # learning / young / mature -> Again..Easy
    hours: tuple[tuple[int, int], ...]  # 24 x (reviews, passed), local time
    added: tuple[int, ...]  # cards added per day over the period, oldest first
    mastery: tuple[TopicMastery, ...] = ()
    # the same counted on each card's first answer of the day only (not Anki's definition)
    first_of_day_retention: dict[str, RetentionCounts] = field(default_factory=dict)
    confusion: tuple[Confusion, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def average_retrievability(self) -> float | None:
        """Mean retrievability of studied cards."""
        return self.knowledge / self.studied if self.studied else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with every number."""
        data = asdict(self)
        data["today_date"] = self.today_date.isoformat()
        data["today"]["correct"] = self.today.correct
        data["card_counts"]["total"] = self.card_counts.total
        data["average_retrievability"] = self.average_retrievability
        data["reviews"] = [
            {"day": r.day.isoformat(), "counts": list(r.counts), "time_ms": list(r.time_ms)}
            for r in self.reviews
        ]
        for key in ("retention", "first_of_day_retention"):
            data[key] = {
                name: {**asdict(c), "young": c.young, "mature": c.mature, "total": c.total}
                for name, c in getattr(self, key).items()
            }
        return data
