"""A straightforward, row-by-row statistics pass: the oracle the fast paths are tested against.

`ReferenceCardPass.feed` computes every card-table figure from plain card tuples in one
readable pass; `CardPass.feed_summary` / `feed_studied` (what the app runs) must agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

from trainer.core.stats import DAY_MS, MATURE_DAYS, fsrs_factor
from trainer.core.stats.cards import CATEGORIES, DEFAULT_DECAY, FORECAST_DAYS, CardPass


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


def _category(queue: int, state: int, due: int | None, last: int | None, mature_ms: float) -> int:
    if queue < 0:
        return 5 if queue == -1 else 6
    if state != 2:
        return (0, 1, 2, 2)[state] if state in (0, 1, 3) else 0
    return 4 if due is not None and last is not None and due - last >= mature_ms else 3


class ReferenceCardPass(CardPass):
    """`CardPass` with the reference `feed`."""

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
