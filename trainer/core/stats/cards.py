"""One pass over the cards: counts, future due, load, distributions, knowledge, mastery."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from trainer.core.stats import (
    DAY_MS,
    DIFFICULTY_EDGES,
    INTERVAL_EDGES,
    MATURE_DAYS,
    RETRIEVABILITY_EDGES,
    STABILITY_EDGES,
    Histogram,
    day_index,
    histogram,
    retrievability,
)
from trainer.core.stats.report import CardCounts

FORECAST_DAYS = 365
WEAKEST = 5


@dataclass(frozen=True)
class CardFacts:
    """The columns of one card the statistics need (times in epoch ms)."""

    id: int
    deck_id: int
    tags: str
    group_id: str
    state: int
    queue: int
    stability: float | None
    difficulty: float | None
    last_review: int | None
    due: int | None
    created_at: int


@dataclass
class TopicAccumulator:
    """Running sums for one topic."""

    cards: int = 0
    studied: int = 0
    r_sum: float = 0.0
    weakest: list[tuple[float, int]] = field(default_factory=list)  # max-heap of (-r, id)

    def add(self, card_id: int, r: float | None) -> None:
        """Count one card (r None: never studied)."""
        self.cards += 1
        if r is None:
            return
        self.studied += 1
        self.r_sum += r
        entry = (-r, card_id)
        if len(self.weakest) < WEAKEST:
            heapq.heappush(self.weakest, entry)
        elif entry > self.weakest[0]:
            heapq.heapreplace(self.weakest, entry)

    def weakest_first(self) -> list[tuple[int, float]]:
        """(card id, r), lowest retrievability first."""
        return [(card_id, -neg) for neg, card_id in sorted(self.weakest, reverse=True)]


@dataclass
class CardPass:
    """Everything computed from the card table in one pass."""

    now_ms: int
    next_day_start_ms: int
    period_days: int
    decay_by_deck: dict[int, float]
    counts: dict[str, int] = field(default_factory=dict)
    future_due: list[int] = field(default_factory=lambda: [0] * FORECAST_DAYS)
    load: float = 0.0
    intervals: list[float] = field(default_factory=list)
    stabilities: list[float] = field(default_factory=list)
    difficulties: list[float] = field(default_factory=list)
    rs: list[float] = field(default_factory=list)
    knowledge: float = 0.0
    added: list[int] = field(default_factory=list)
    topics: dict[tuple[str, str], TopicAccumulator] = field(default_factory=dict)
    members: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.added = [0] * self.period_days

    def feed(self, cards: Iterable[CardFacts], deck_names: dict[int, str]) -> None:
        """Consume every card."""
        for card in cards:
            self._one(card, deck_names.get(card.deck_id, ""))

    def _one(self, card: CardFacts, deck_name: str) -> None:
        interval = None
        if card.due is not None and card.last_review is not None and card.state == 2:
            interval = max(0.0, (card.due - card.last_review) / DAY_MS)
        self._count(card, interval)
        created = day_index(card.created_at, self.next_day_start_ms)
        if -self.period_days < created <= 0:
            self.added[created + self.period_days - 1] += 1
        r = None
        if card.stability is not None and card.last_review is not None and card.state != 0:
            decay = self.decay_by_deck.get(card.deck_id, 0.1542)
            r = retrievability(card.stability, (self.now_ms - card.last_review) / DAY_MS, decay)
            self.rs.append(r)
            self.knowledge += r
            self.stabilities.append(card.stability)
        if card.difficulty is not None and card.state != 0:
            self.difficulties.append(card.difficulty)
        if card.queue in (1, 2, 3) and card.due is not None:
            ahead = max(0, day_index(card.due, self.next_day_start_ms))
            if ahead < FORECAST_DAYS:
                self.future_due[ahead] += 1
        if interval is not None and card.queue >= 0:
            self.intervals.append(interval)
            self.load += 1.0 / max(1.0, round(interval))
        self._topic("deck", deck_name, card.id, r)
        for tag in card.tags.split():
            self._topic("tag", tag, card.id, r)
        if card.group_id:
            self._topic("set", card.group_id, card.id, r)

    def _count(self, card: CardFacts, interval: float | None) -> None:
        if card.queue == -1:
            key = "suspended"
        elif card.queue == -2:
            key = "buried"
        elif card.state == 0:
            key = "new"
        elif card.state == 1:
            key = "learning"
        elif card.state == 3:
            key = "relearning"
        else:
            key = "mature" if interval is not None and round(interval) >= MATURE_DAYS else "young"
        self.counts[key] = self.counts.get(key, 0) + 1

    def _topic(self, kind: str, name: str, card_id: int, r: float | None) -> None:
        key = (kind, name)
        acc = self.topics.get(key)
        if acc is None:
            acc = self.topics[key] = TopicAccumulator()
            self.members[key] = []
        acc.add(card_id, r)
        self.members[key].append(card_id)

    def card_counts(self) -> CardCounts:
        """The counts as a dataclass."""
        return CardCounts(**self.counts)

    def histograms(self) -> tuple[Histogram, Histogram, Histogram, Histogram]:
        """Intervals, stability, difficulty, retrievability."""
        return (
            histogram(self.intervals, INTERVAL_EDGES),
            histogram(self.stabilities, STABILITY_EDGES),
            histogram(self.difficulties, DIFFICULTY_EDGES),
            histogram(self.rs, RETRIEVABILITY_EDGES),
        )
