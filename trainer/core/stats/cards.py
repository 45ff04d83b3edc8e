"""The card table in columns: counts, future due, load, distributions, knowledge, mastery.

Works column-wise (one comprehension per figure over the fetched tuples), never builds
an object per card, and groups cards by their (deck, tags, set) before any per-topic work.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
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
CATEGORIES = ("new", "learning", "relearning", "young", "mature", "suspended", "buried")


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


def _category(queue: int, state: int, due: int | None, last: int | None, mature_ms: float) -> int:
    if queue < 0:
        return 5 if queue == -1 else 6
    if state != 2:
        return (0, 1, 2, 2)[state] if state in (0, 1, 3) else 0
    return 4 if due is not None and last is not None and due - last >= mature_ms else 3


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

    def feed(self, cards: Iterable[tuple[Any, ...]], deck_names: dict[int, str]) -> None:
        """Consume every card (tuples in `CardFacts` order), column by column."""
        rows = cards if isinstance(cards, list) else list(cards)
        self.counts = dict.fromkeys(CATEGORIES, 0)
        if not rows:
            return
        ids, decks, tags, groups, states, queues, stabs, diffs, lasts, dues, created = zip(*rows, strict=True)
        now, nds, period = self.now_ms, self.next_day_start_ms, self.period_days
        mature_ms = (MATURE_DAYS - 0.5) * DAY_MS
        categories = Counter(map(_category, queues, states, dues, lasts, [mature_ms] * len(rows)))
        for index, n in categories.items():
            self.counts[CATEGORIES[index]] += n
        for day, n in Counter((c - nds) // DAY_MS + 1 for c in created).items():
            if -period < day <= 0:
                self.added[day + period - 1] += n
        self._due(queues, states, dues, lasts)
        r_all = self._retrievability(decks, states, stabs, lasts, now)
        self.rs = [r for r in r_all if r is not None]
        self.knowledge += sum(self.rs)
        self.stabilities = [s for s, r in zip(stabs, r_all, strict=True) if r is not None]
        self.difficulties = [d for d, r in zip(diffs, r_all, strict=True) if r is not None and d is not None]
        self._topics(ids, decks, tags, groups, r_all, deck_names)

    def _due(
        self, queues: tuple[int, ...], states: tuple[int, ...], dues: tuple[Any, ...], lasts: tuple[Any, ...]
    ) -> None:
        nds = self.next_day_start_ms
        scheduled = [
            (s, d, la)
            for q, s, d, la in zip(queues, states, dues, lasts, strict=True)
            if d is not None and 0 < q < 4
        ]
        for ahead, n in Counter((d - nds) // DAY_MS + 1 for _, d, _ in scheduled).items():
            if ahead < FORECAST_DAYS:
                self.future_due[max(0, ahead)] += n
        self.intervals = [max(0.0, (d - la) / DAY_MS) for s, d, la in scheduled if s == 2 and la is not None]
        self.load += sum(1.0 / max(1.0, round(i)) for i in self.intervals)

    def _retrievability(
        self,
        decks: tuple[int, ...],
        states: tuple[int, ...],
        stabs: tuple[Any, ...],
        lasts: tuple[Any, ...],
        now: int,
    ) -> list[float | None]:
        """R now of every card (None: never studied), one comprehension per decay value."""
        curve = {deck: (fsrs_factor(decay) / DAY_MS, decay) for deck, decay in self.decay_by_deck.items()}
        default = (fsrs_factor(DEFAULT_DECAY) / DAY_MS, DEFAULT_DECAY)
        if len({curve.get(d, default) for d in set(decks)}) == 1:
            k, decay = curve.get(decks[0], default)
            return [
                None if st == 0 or s is None or la is None else
                (1.0 + k * max(now - la, 0) / s) ** -decay if s > 0 else 0.0
                for st, s, la in zip(states, stabs, lasts, strict=True)
            ]  # fmt: skip
        per_card = [curve.get(d, default) for d in decks]
        return [
            None if st == 0 or s is None or la is None else
            (1.0 + kd[0] * max(now - la, 0) / s) ** -kd[1] if s > 0 else 0.0
            for st, s, la, kd in zip(states, stabs, lasts, per_card, strict=True)
        ]  # fmt: skip

    def _topics(
        self,
        ids: tuple[int, ...],
        decks: tuple[int, ...],
        tags: tuple[str, ...],
        groups: tuple[str, ...],
        r_all: list[float | None],
        deck_names: dict[int, str],
    ) -> None:
        by_key: dict[tuple[int, str, str], list[int]] = {}
        for index, key in enumerate(zip(decks, tags, groups, strict=True)):
            found = by_key.get(key)
            if found is None:
                by_key[key] = [index]
            else:
                found.append(index)
        for (deck_id, tag_text, group_id), indexes in by_key.items():
            studied = [(r, ids[i]) for i in indexes if (r := r_all[i]) is not None]
            self._merge_group(deck_id, tag_text, group_id, len(indexes), studied, deck_names)

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
