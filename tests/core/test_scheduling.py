"""Golden scheduling tests: fixed UTC clocks, fuzz off unless stated."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import fsrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.core.scheduling import (
    CardState,
    Preset,
    Rating,
    SchedulingState,
    cap_duration,
    format_interval,
    fuzz_draw,
    fuzzed_days,
    is_leech,
    outcome,
    preview,
    retrievability,
)

NOW = datetime(2026, 1, 10, 9, 30, tzinfo=timezone.utc)
PRESET = Preset()


def test_new_card_outcomes_follow_learning_steps() -> None:
    p = preview(SchedulingState(), PRESET, NOW)
    assert p[Rating.AGAIN].interval == timedelta(minutes=1)
    assert p[Rating.HARD].interval == timedelta(minutes=5, seconds=30)
    assert p[Rating.GOOD].interval == timedelta(minutes=10)
    assert p[Rating.GOOD].state.state is CardState.LEARNING
    assert p[Rating.GOOD].state.step == 1
    easy = p[Rating.EASY]
    assert easy.state.state is CardState.REVIEW
    # FSRS-6 initial stability for Easy is w[3]; at 90% retention the interval equals it.
    assert easy.interval == timedelta(days=round(PRESET.parameters[3]))
    assert easy.state.stability == pytest.approx(PRESET.parameters[3])
    assert all(o.state.reps == 1 and o.state.last_review == NOW for o in p.outcomes.values())


def test_matches_py_fsrs_for_a_review_sequence() -> None:
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card()
    state = SchedulingState()
    now = NOW
    for rating in (Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.HARD, Rating.EASY):
        card, _ = scheduler.review_card(card, fsrs.Rating(int(rating)), now)
        state = preview(state, PRESET, now)[rating].state
        assert state.stability == pytest.approx(card.stability)
        assert state.difficulty == pytest.approx(card.difficulty)
        assert int(state.state) == int(card.state)
        assert state.due is not None
        # Review intervals are whole days from the answer; learning steps are exact.
        assert abs((state.due - card.due).total_seconds()) < 86400
        now = state.due


def test_golden_review_after_graduation() -> None:
    state = SchedulingState(
        state=CardState.REVIEW, stability=10.0, difficulty=5.0,
        due=NOW, last_review=NOW - timedelta(days=10), reps=3,
    )  # fmt: skip
    p = preview(state, PRESET, NOW)
    assert p[Rating.AGAIN].state.state is CardState.RELEARNING
    assert p[Rating.AGAIN].interval == timedelta(minutes=10)
    assert p[Rating.AGAIN].state.lapses == 1
    days = [p[r].interval.days for r in (Rating.HARD, Rating.GOOD, Rating.EASY)]
    assert days == sorted(days) and len(set(days)) == 3
    assert p[Rating.GOOD].state.stability > 10.0


def test_fuzz_is_reproducible_and_bounded() -> None:
    state = SchedulingState(
        state=CardState.REVIEW, stability=40.0, difficulty=5.0,
        due=NOW, last_review=NOW - timedelta(days=40), reps=5,
    )  # fmt: skip
    plain = preview(state, PRESET, NOW)[Rating.GOOD].interval.days
    draws = {preview(state, PRESET, NOW, draw=fuzz_draw(7, 5))[Rating.GOOD].interval for _ in range(5)}
    assert len(draws) == 1  # the same draw gives the same preview every time
    spread = {preview(state, PRESET, NOW, draw=d / 20)[Rating.GOOD].interval.days for d in range(20)}
    assert len(spread) > 1
    delta = 1 + 0.15 * 4.5 + 0.1 * 13 + 0.05 * (plain - 20)  # Anki's fuzz range for this interval
    assert all(abs(d - plain) <= round(delta) + 1 for d in spread)


def test_fuzzed_days_ranges() -> None:
    assert fuzzed_days(2, 0.99, 36500) == 2  # no fuzz under 2.5 days
    assert fuzzed_days(100, 0.0, 36500) < 100 < fuzzed_days(100, 0.999, 36500)
    assert fuzzed_days(100, 0.999, 101) == 101  # never beyond the maximum


def test_hard_good_easy_stay_ordered_with_fuzz() -> None:
    state = SchedulingState(
        state=CardState.REVIEW, stability=3.0, difficulty=9.0,
        due=NOW, last_review=NOW - timedelta(days=3), reps=4,
    )  # fmt: skip
    for i in range(50):
        p = preview(state, PRESET, NOW, draw=i / 50)
        assert p[Rating.HARD].interval < p[Rating.GOOD].interval < p[Rating.EASY].interval


def test_leech_rule() -> None:
    assert not is_leech(7, 8)
    assert is_leech(8, 8)
    assert not is_leech(9, 8)
    assert is_leech(12, 8)


def test_lapse_reaching_threshold_is_a_leech() -> None:
    state = SchedulingState(
        state=CardState.REVIEW, stability=2.0, difficulty=8.0,
        due=NOW, last_review=NOW - timedelta(days=2), reps=20, lapses=7,
    )  # fmt: skip
    assert preview(state, PRESET, NOW)[Rating.AGAIN].is_leech
    assert not preview(state, replace(PRESET, leech_threshold=20), NOW)[Rating.AGAIN].is_leech


def test_retrievability_decays() -> None:
    state = SchedulingState(
        state=CardState.REVIEW, stability=10.0, difficulty=5.0, due=NOW, last_review=NOW, reps=1
    )
    assert retrievability(SchedulingState(), PRESET, NOW) is None
    assert retrievability(state, PRESET, NOW) == pytest.approx(1.0)
    assert retrievability(state, PRESET, NOW + timedelta(days=10)) == pytest.approx(0.9, abs=0.005)


def test_rating_parse() -> None:
    assert Rating.parse("GOOD") is Rating.GOOD
    assert Rating.parse("1") is Rating.AGAIN
    with pytest.raises(ValueError, match="unknown rating"):
        Rating.parse("5")


def test_duration_is_capped_like_anki() -> None:
    assert cap_duration(None) == 0
    assert cap_duration(-5) == 0
    assert cap_duration(125_000) == 60_000


def test_interval_labels() -> None:
    assert format_interval(timedelta(seconds=30)) == "<1m"
    assert format_interval(timedelta(minutes=10)) == "10m"
    assert format_interval(timedelta(hours=5)) == "5h"
    assert format_interval(timedelta(days=3)) == "3d"
    assert format_interval(timedelta(days=60)) == "2mo"
    assert format_interval(timedelta(days=730)) == "2y"


def test_preset_validation() -> None:
    assert Preset().validate() == []
    bad = Preset(desired_retention=0.5, day_start_hour=25, parameters=(1.0,))
    assert len(bad.validate()) == 3


@st.composite
def any_state(draw: st.DrawFn) -> SchedulingState:
    state = draw(st.sampled_from(list(CardState)))
    if state is CardState.NEW:
        return SchedulingState()
    elapsed = timedelta(hours=draw(st.floats(min_value=0.05, max_value=24 * 400)))
    return SchedulingState(
        state=state,
        step=None if state is CardState.REVIEW else draw(st.integers(min_value=0, max_value=2)),
        stability=draw(st.floats(min_value=0.1, max_value=3000)),
        difficulty=draw(st.floats(min_value=1, max_value=10)),
        due=NOW - elapsed + timedelta(days=draw(st.integers(min_value=0, max_value=30))),
        last_review=NOW - elapsed,
        reps=draw(st.integers(min_value=1, max_value=50)),
        lapses=draw(st.integers(min_value=0, max_value=20)),
    )


@settings(max_examples=300, deadline=None)
@given(
    state=any_state(),
    rating=st.sampled_from(list(Rating)),
    fuzz=st.one_of(st.none(), st.floats(min_value=0, max_value=0.999)),
    maximum=st.sampled_from([36500, 30, 3]),
)
def test_answer_outcome_equals_the_previewed_one(
    state: SchedulingState, rating: Rating, fuzz: float | None, maximum: int
) -> None:
    preset = Preset(maximum_interval=maximum, leech_threshold=4)
    assert outcome(state, preset, NOW, rating, draw=fuzz) == preview(state, preset, NOW, draw=fuzz)[rating]
