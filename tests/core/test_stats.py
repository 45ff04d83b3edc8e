"""The maths of the statistics: classes, days, retention, streaks, buckets, curves."""

from __future__ import annotations

import pytest

from tests.stats_oracle import CardFacts, ReferenceCardPass
from trainer.core.stats import (
    DAY_MS,
    ReviewClass,
    histogram,
    interval_for,
    retrievability,
    review_class,
    sparkline,
    streaks,
    true_retention,
)

NDS = 1_000 * DAY_MS


def test_review_class_uses_21_day_maturity() -> None:
    assert review_class(0, None) is ReviewClass.LEARN
    assert review_class(1, None) is ReviewClass.LEARN
    assert review_class(3, 30) is ReviewClass.RELEARN
    assert review_class(2, 20.9) is ReviewClass.YOUNG
    assert review_class(2, 21) is ReviewClass.MATURE


def test_true_retention_periods() -> None:
    counts = true_retention(
        [(0, False, 3, 1), (0, True, 1, 1), (-1, False, 1, 1), (-10, True, 4, 1), (-400, True, 1, 1)]
    )
    assert (counts["today"].young_passed, counts["today"].mature_failed) == (1, 1)
    assert counts["yesterday"].young_failed == 1
    assert counts["week"].young == pytest.approx(0.5)
    assert counts["month"].mature == pytest.approx(0.5)
    assert counts["year"].total == pytest.approx(0.5)
    assert true_retention([])["today"].total is None


def test_streaks_current_and_longest() -> None:
    assert streaks([]) == (0, 0)
    assert streaks([0, -1, -2, -5, -6, -7, -8]) == (3, 4)
    # today not studied yet: yesterday's run still counts
    assert streaks([-1, -2]) == (2, 2)
    assert streaks([-2, -3]) == (0, 2)


def test_retrievability_curve() -> None:
    decay = 0.1542
    assert retrievability(10.0, 0.0, decay) == pytest.approx(1.0)
    assert retrievability(10.0, 10.0, decay) == pytest.approx(0.9)
    assert interval_for(10.0, 0.9, decay) == pytest.approx(10.0)
    assert interval_for(10.0, 0.8, decay) > 10.0


def test_histogram_and_sparkline() -> None:
    hist = histogram([0, 0.5, 1, 3, 1000], (0, 1, 2))
    assert hist.counts == (2, 1, 2)
    assert sparkline([0, 1, 2]) == " ▄█"
    assert sparkline([0, 0]) == "  "


def card(**values: object) -> CardFacts:
    base: dict[str, object] = dict(
        id=1, deck_id=1, tags=" a ", group_id="", state=2, queue=2, stability=10.0, difficulty=5.0,
        last_review=NDS - 5 * DAY_MS, due=NDS + 5 * DAY_MS, created_at=NDS - 2 * DAY_MS,
    )  # fmt: skip
    base.update(values)
    return CardFacts(**base)  # type: ignore[arg-type]


def test_card_pass_counts_and_forecast() -> None:
    cards = [
        card(id=1),
        card(id=2, last_review=NDS - 40 * DAY_MS, due=NDS - DAY_MS),  # mature, overdue
        card(id=3, state=0, queue=0, stability=None, difficulty=None, last_review=None, due=None),
        card(id=4, queue=-1),
        card(id=5, state=3, queue=3, due=NDS + 60_000),
    ]
    result = ReferenceCardPass(NDS - 3600_000, NDS, 7, {1: 0.1542})
    result.feed(cards, {1: "Deck"})
    counts = result.card_counts()
    assert (counts.new, counts.young, counts.mature, counts.suspended, counts.relearning) == (1, 1, 1, 1, 1)
    assert counts.total == 5
    assert result.future_due[0] == 1  # the overdue card is due today
    assert result.future_due[1] == 1  # relearning card due early tomorrow
    assert result.added[-2] == 5  # created at the start of yesterday
    assert len(result.rs) == 4
    deck = result.topics[("deck", "Deck")]
    assert deck.cards == 5 and deck.studied == 4
    weakest = deck.weakest_first()
    assert weakest[0][0] == 2 and weakest[0][1] == min(r for _, r in weakest)


def test_memory_over_time_from_history() -> None:
    from dataclasses import dataclass
    from datetime import UTC, datetime, timedelta

    from trainer.core.stats import retrievability
    from trainer.core.stats.memory import memory_over_time

    @dataclass(frozen=True)
    class Row:
        reviewed_at: datetime
        stability_after: float | None
        difficulty_after: float | None

    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    rows = [
        Row(start, 2.0, 5.0),
        Row(start + timedelta(days=2), 6.0, 4.8),
        Row(start + timedelta(days=3), None, None),  # reset: memory forgotten
        Row(start + timedelta(days=4), 1.5, 6.0),
    ]
    points = memory_over_time(rows, 0.1542)
    assert [p.stability for p in points] == [2.0, 6.0, None, 1.5]
    assert [p.difficulty for p in points] == [5.0, 4.8, None, 6.0]
    assert points[0].retrievability is None
    assert points[1].retrievability == pytest.approx(retrievability(2.0, 2.0, 0.1542))
    assert points[1].retrievability == pytest.approx(0.9)  # R(S) = 0.9 at elapsed = stability
    assert points[2].retrievability == pytest.approx(retrievability(6.0, 1.0, 0.1542))
    assert points[3].retrievability is None


def test_histogram_equals_bucketing_one_value_at_a_time() -> None:
    """The sorted-counting histogram puts every value where `bisect_right` on the edges does,
    including edges themselves, values below the first edge, infinities and NaN."""
    import bisect
    import random

    from trainer.core.stats import INTERVAL_EDGES, RETRIEVABILITY_EDGES, histogram

    rng = random.Random(5)
    for _ in range(2000):
        edges = rng.choice([INTERVAL_EDGES, RETRIEVABILITY_EDGES, (1.0,), (0, 1)])
        pool = [*edges, float("inf"), -float("inf"), float("nan"), -3.0]
        values = [
            rng.choice([rng.uniform(-5, 800), rng.choice(pool), 0.05 * rng.randint(0, 20)])
            for _ in range(rng.randint(0, 30))
        ]
        expected = [0] * len(edges)
        for v in values:
            expected[max(bisect.bisect_right(edges, v) - 1, 0)] += 1
        assert histogram(values, edges).counts == tuple(expected)
        assert histogram(iter(values), edges).counts == tuple(expected)
