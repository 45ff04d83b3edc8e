"""One pass over the cards: counts, future due, load, distributions, knowledge, mastery."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from trainer.core.stats import (
    DAY_MS,
    DIFFICULTY_EDGES,
    INTERVAL_EDGES,
    MATURE_DAYS,
    RETRIEVABILITY_EDGES,
    STABILITY_EDGES,
    Histogram,
    fsrs_factor,
    histogram,
)
from trainer.core.stats.report import CardCounts

FORECAST_DAYS = 365
DEFAULT_DECAY = 0.1542
WEAKEST = 5


class CardFacts(NamedTuple):
    """The columns of one card the statistics need (times in epoch ms); plain tuples work too."""

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

    def feed(self, cards: Iterable[tuple[Any, ...]], deck_names: dict[int, str]) -> None:
        """Consume every card (tuples in `CardFacts` order), in one tight loop."""
        counts = dict.fromkeys(("new", "learning", "relearning", "young", "mature", "suspended", "buried"), 0)
        factors = {deck: (fsrs_factor(decay), decay) for deck, decay in self.decay_by_deck.items()}
        default = (fsrs_factor(DEFAULT_DECAY), DEFAULT_DECAY)
        now, nds, period = self.now_ms, self.next_day_start_ms, self.period_days
        future, added = self.future_due, self.added
        rs, stabilities, difficulties, intervals = (
            self.rs,
            self.stabilities,
            self.difficulties,
            self.intervals,
        )
        mature_ms = (MATURE_DAYS - 0.5) * DAY_MS
        load = knowledge = 0.0
        for cid, deck_id, tags, group_id, state, queue, stability, difficulty, last, due, created in cards:
            if queue == -1:
                counts["suspended"] += 1
            elif queue == -2:
                counts["buried"] += 1
            elif state == 0:
                counts["new"] += 1
            elif state == 1:
                counts["learning"] += 1
            elif state == 3:
                counts["relearning"] += 1
            elif due is not None and last is not None and due - last >= mature_ms:
                counts["mature"] += 1
            else:
                counts["young"] += 1
            created_day = (created - nds) // DAY_MS + 1
            if -period < created_day <= 0:
                added[created_day + period - 1] += 1
            r = None
            if state != 0 and stability is not None and last is not None:
                factor, decay = factors.get(deck_id, default)
                r = (
                    (1.0 + factor * max(now - last, 0) / DAY_MS / stability) ** -decay
                    if stability > 0
                    else 0.0
                )
                rs.append(r)
                knowledge += r
                stabilities.append(stability)
                if difficulty is not None:
                    difficulties.append(difficulty)
            if due is not None and 0 < queue < 4:
                ahead = (due - nds) // DAY_MS + 1
                if ahead < FORECAST_DAYS:
                    future[max(0, ahead)] += 1
                if state == 2 and last is not None:
                    interval = max(0.0, (due - last) / DAY_MS)
                    intervals.append(interval)
                    load += 1.0 / max(1.0, round(interval))
            self._topic("deck", deck_names.get(deck_id, ""), cid, r)
            if tags.strip():
                for tag in tags.split():
                    self._topic("tag", tag, cid, r)
            if group_id:
                self._topic("set", group_id, cid, r)
        self.counts = counts
        self.load += load
        self.knowledge += knowledge

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
