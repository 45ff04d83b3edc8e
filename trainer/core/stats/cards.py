"""The card table in columns: counts, future due, load, distributions, knowledge, mastery.

Works column-wise (one comprehension per figure over the fetched tuples), never builds
an object per card, and groups cards by their (deck, tags, set) before any per-topic work.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from trainer.core.stats import (
    DAY_MS,
    DIFFICULTY_EDGES,
    INTERVAL_EDGES,
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
CATEGORIES = ("new", "learning", "relearning", "young", "mature", "suspended", "buried")


@dataclass
class TopicAccumulator:
    """Sums for one topic (deck, tag or compare set)."""

    cards: int = 0
    studied: int = 0
    r_sum: float = 0.0
    weakest: list[tuple[float, int]] = field(default_factory=list)  # (r, id), at most WEAKEST

    def merge(self, cards: int, studied: int, r_sum: float, weakest: Iterable[tuple[float, int]]) -> None:
        """Add one group of cards."""
        self.cards += cards
        self.studied += studied
        self.r_sum += r_sum
        self.weakest = heapq.nsmallest(WEAKEST, [*self.weakest, *weakest])

    def weakest_first(self) -> list[tuple[int, float]]:
        """(card id, r), lowest retrievability first."""
        return [(card_id, r) for r, card_id in sorted(self.weakest)]


@dataclass
class CardPass:
    """Everything computed from the card table."""

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
    group_topics: dict[tuple[int, str, str], list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.added = [0] * self.period_days

    def feed_summary(
        self,
        categories: Iterable[tuple[int, int]],
        added: Iterable[tuple[int, int]],
        due_ahead: Iterable[tuple[int, int]],
        review_spans: Iterable[int],
    ) -> None:
        """Counts computed by the database, the same figures `feed` computes per card.

        `categories`: (index in `CATEGORIES`, cards); `added`: (index in `added`, cards);
        `due_ahead`: (days ahead, 0 for due today or overdue, below `FORECAST_DAYS`; cards);
        `review_spans`: due - last review (ms) of scheduled review cards, in card id order.
        """
        self.counts = dict.fromkeys(CATEGORIES, 0)
        for index, n in categories:
            self.counts[CATEGORIES[index]] += n
        for index, n in added:
            self.added[index] += n
        for ahead, n in due_ahead:
            self.future_due[ahead] += n
        self.intervals = [max(0.0, span / DAY_MS) for span in review_spans]
        self.load += sum(1.0 / max(1.0, round(i)) for i in self.intervals)

    def feed_studied(
        self,
        studied: Sequence[tuple[int, int, str, str, float, int, float | None]],
        groups: Iterable[tuple[int, str, str, int, int]],
        deck_names: dict[int, str],
    ) -> None:
        """Memory figures and mastery from the studied cards only, as `feed` computes them.

        `studied`: (id, deck, tags, set, stability, last review, difficulty) of every card
        with a memory state, in id order; `groups`: (deck, tags, set, cards, lowest card id)
        of every (deck, tags, set) among all cards.
        """
        per_group: dict[tuple[int, str, str], list[tuple[float, int]]] = {}
        if studied:
            ids, decks, tags, sets, stabs, lasts, diffs = zip(*studied, strict=True)
            self.rs = self._studied_retrievability(decks, stabs, lasts)
            self.stabilities = list(stabs)
            self.difficulties = [d for d in diffs if d is not None]
            for key, r, card_id in zip(zip(decks, tags, sets), self.rs, ids):  # noqa: B905 (same lengths)
                found = per_group.get(key)
                if found is None:
                    per_group[key] = [(r, card_id)]
                else:
                    found.append((r, card_id))
        self.knowledge += sum(self.rs)
        for deck_id, tag_text, group_id, cards, _first in sorted(groups, key=lambda g: g[4]):
            studied_here = per_group.get((deck_id, tag_text, group_id), [])
            self._merge_group(deck_id, tag_text, group_id, cards, studied_here, deck_names)

    def _studied_retrievability(
        self, decks: tuple[int, ...], stabs: tuple[float, ...], lasts: tuple[int, ...]
    ) -> list[float]:
        """R now of cards that all have a memory state: the arithmetic of `_retrievability`."""
        now = self.now_ms
        curve = {deck: (fsrs_factor(decay) / DAY_MS, decay) for deck, decay in self.decay_by_deck.items()}
        default = (fsrs_factor(DEFAULT_DECAY) / DAY_MS, DEFAULT_DECAY)
        if len({curve.get(d, default) for d in set(decks)}) == 1:
            k, decay = curve.get(decks[0], default)
            return [
                (1.0 + k * (e if (e := now - la) > 0 else 0) / s) ** -decay if s > 0 else 0.0
                for s, la in zip(stabs, lasts)  # noqa: B905 (same lengths)
            ]
        return [
            (1.0 + kd[0] * (e if (e := now - la) > 0 else 0) / s) ** -kd[1] if s > 0 else 0.0
            for s, la, kd in zip(stabs, lasts, [curve.get(d, default) for d in decks])  # noqa: B905
        ]

    def _merge_group(
        self,
        deck_id: int,
        tag_text: str,
        group_id: str,
        cards: int,
        studied: list[tuple[float, int]],
        deck_names: dict[int, str],
    ) -> None:
        """Add one (deck, tags, set) group to its topics."""
        weakest = heapq.nsmallest(WEAKEST, studied)
        r_sum = sum(r for r, _ in studied)
        keys = [("deck", deck_names.get(deck_id, ""))]
        keys += [("tag", tag) for tag in tag_text.split()]
        if group_id:
            keys.append(("set", group_id))
        self.group_topics[(deck_id, tag_text, group_id)] = keys
        for topic in keys:
            acc = self.topics.get(topic)
            if acc is None:
                acc = self.topics[topic] = TopicAccumulator()
            acc.merge(cards, len(studied), r_sum, weakest)

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
