"""Golden scheduling tests: fixed UTC clocks, fuzz off unless stated."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import fsrs_rs_python as rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.core.intervals import fuzz_bounds, hard_step, minimum_after_review, review_fuzz
from trainer.core.scheduling import (
    CardState,
    Outcome,
    Preset,
    Preview,
    Rating,
    SchedulingState,
    cap_duration,
    fill_parameters,
    format_interval,
    fuzz_draw,
    is_leech,
    retrievability,
)
from trainer.core.scheduling import outcome as _outcome
from trainer.core.scheduling import preview as _preview

UTC = timezone.utc
NOW = datetime(2026, 1, 10, 9, 30, tzinfo=UTC)
PRESET = Preset()
DAY_START = datetime(2026, 1, 10, 4, tzinfo=UTC)  # NOW's study day began at 04:00 UTC


def preview(state: SchedulingState, preset: Preset, now: datetime, *, draw: float | None = None) -> Preview:
    return _preview(state, preset, now, zone=UTC, draw=draw)


def outcome(
    state: SchedulingState, preset: Preset, now: datetime, rating: Rating, *, draw: float | None = None
) -> Outcome:
    return _outcome(state, preset, now, rating, zone=UTC, draw=draw)


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
    assert easy.state.stability == pytest.approx(round(PRESET.parameters[3], 4), abs=1e-6)
    assert all(o.state.reps == 1 and o.state.last_review == NOW for o in p.outcomes.values())


def test_memory_states_are_fsrs_rs_fed_study_days() -> None:
    """Each answer's memory state is fsrs-rs's (the engine inside Anki) with elapsed = study days."""
    model = rs.FSRS(list(PRESET.parameters))
    state, memory = SchedulingState(), None
    times = [NOW, NOW + timedelta(minutes=5), NOW + timedelta(hours=11), NOW + timedelta(hours=19),
             NOW + timedelta(days=3, hours=20), NOW + timedelta(days=4, hours=1)]  # fmt: skip
    ratings = [Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.HARD, Rating.EASY]
    previous = None
    for at, rating in zip(times, ratings, strict=True):
        # study days start at 04:00 UTC: 09:30 -> 20:30 is the same day, 04:30 the next is 1 later
        elapsed = 0 if previous is None else ((at - timedelta(hours=4)).date() - previous).days
        nexts = model.next_states(memory, PRESET.desired_retention, elapsed)
        expected = [nexts.again, nexts.hard, nexts.good, nexts.easy][int(rating) - 1].memory
        state = preview(state, PRESET, at)[rating].state
        assert state.stability is not None and state.difficulty is not None
        # stored as Anki stores it: stability to 4 decimals, difficulty to 3
        assert round(state.stability, 4) == round(expected.stability, 4)
        assert round(state.difficulty, 3) == round(expected.difficulty, 3)
        memory = rs.MemoryState(state.stability, state.difficulty)
        previous = (at - timedelta(hours=4)).date()


def test_evening_then_next_afternoon_is_one_day_not_the_same_day() -> None:
    evening = datetime(2026, 1, 10, 21, 0, tzinfo=UTC)
    state = SchedulingState(
        state=CardState.REVIEW, stability=2.0, difficulty=5.0,
        due=datetime(2026, 1, 11, 4, tzinfo=UTC), last_review=evening, reps=3,
    )  # fmt: skip
    nexts = rs.FSRS(list(PRESET.parameters)).next_states(rs.MemoryState(2.0, 5.0), 0.9, 1)
    after = preview(state, PRESET, evening + timedelta(hours=18))[Rating.GOOD].state
    assert after.stability == pytest.approx(nexts.good.memory.stability, abs=5e-5)
    assert after.stability == pytest.approx(5.3809, abs=1e-6)  # stored to 4 decimals, as Anki


def test_review_due_dates_are_study_day_starts() -> None:
    p = preview(SchedulingState(), PRESET, NOW)
    easy = p[Rating.EASY]
    assert easy.state.due == DAY_START + easy.interval  # from 04:00 of day (today + N)
    assert easy.interval.days * 86400 == easy.interval.total_seconds()


def test_learning_step_past_the_day_end_is_due_at_a_day_start() -> None:
    late = datetime(2026, 1, 11, 3, 55, tzinfo=UTC)  # 5 minutes before the next day starts
    p = preview(SchedulingState(), PRESET, late)
    assert p[Rating.AGAIN].state.due == late + timedelta(minutes=1)
    assert p[Rating.GOOD].state.due == datetime(2026, 1, 11, 4, tzinfo=UTC)  # the 10-minute step
    assert p[Rating.GOOD].interval == timedelta(minutes=10)


def test_easy_on_a_learning_card_stays_above_good() -> None:
    """Again, then Easy: Good would graduate at round(S) days, Easy at least one more (Anki: 2d)."""
    again = preview(SchedulingState(), PRESET, NOW)[Rating.AGAIN].state
    p = preview(again, PRESET, NOW + timedelta(minutes=1))
    assert again.stability is not None and again.difficulty is not None
    nexts = rs.FSRS(list(PRESET.parameters)).next_states(
        rs.MemoryState(again.stability, again.difficulty), 0.9, 0
    )
    good_days = max(1, round(nexts.good.interval))
    assert p[Rating.EASY].interval.days >= good_days + 1
    assert p[Rating.EASY].interval.days == 2


def test_early_review_never_shrinks_the_interval() -> None:
    """A card given 40 days, reviewed the next day: FSRS offers 38-41 days, Anki keeps 40/41/42."""
    last = NOW - timedelta(days=1)
    state = SchedulingState(
        state=CardState.REVIEW, stability=36.0, difficulty=5.0,
        due=DAY_START + timedelta(days=39), last_review=last, reps=5,
    )  # fmt: skip
    days = [preview(state, PRESET, NOW)[r].interval.days for r in (Rating.HARD, Rating.GOOD, Rating.EASY)]
    assert days == [40, 41, 42]


def test_interval_rules() -> None:
    assert review_fuzz(2.4, 1, 100, 0.99) == 2  # no fuzz under 2.5 days
    assert review_fuzz(100, 1, 36500, 0.0) < 100 < review_fuzz(100, 1, 36500, 0.999)
    assert review_fuzz(100, 1, 101, 0.999) == 101  # never beyond the maximum
    assert review_fuzz(2.5, 1, 100, None) == 3  # halves round up, as Anki's f32::round
    assert fuzz_bounds(3.0, 1, 100) == (2, 4)
    assert minimum_after_review(36.0, 40, 36500) == 40  # barely shrank: keep the previous
    assert minimum_after_review(45.0, 40, 36500) == 41  # grew: above the previous
    assert minimum_after_review(10.0, 40, 36500) == 0  # truly shrank: no floor
    assert hard_step((60, 600), 0) == 330
    assert hard_step((600,), 0) == 900
    assert hard_step((86400 * 3,), 0) == 86400 * 4  # at most a day more than the step
    assert hard_step((60, 600), 1) == 600


def test_old_parameter_sets_are_filled_to_fsrs6() -> None:
    assert fill_parameters(PRESET.parameters) == pytest.approx(PRESET.parameters, abs=1e-6)
    five = fill_parameters(PRESET.parameters[:19])
    assert len(five) == 21 and five[19:] == pytest.approx((0.0, 0.5))
    four = fill_parameters(PRESET.parameters[:17])
    assert len(four) == 21
    with pytest.raises(ValueError, match="18 FSRS parameters"):
        fill_parameters(PRESET.parameters[:18])


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
    good = p[Rating.GOOD].state.stability
    assert good is not None and good > 10.0


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
    assert is_leech(8, 5) and not is_leech(7, 5) and is_leech(11, 5)  # every ceil(5 / 2) = 3, not 2


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
    assert retrievability(SchedulingState(), PRESET, NOW, zone=UTC) is None
    assert retrievability(state, PRESET, NOW, zone=UTC) == pytest.approx(1.0)
    assert retrievability(state, PRESET, NOW + timedelta(days=10), zone=UTC) == pytest.approx(0.9, abs=0.005)
    # elapsed time is in study days: 19 hours later, across 04:00, is a whole day
    later = retrievability(state, PRESET, NOW + timedelta(hours=19), zone=UTC)
    assert later == retrievability(state, PRESET, NOW + timedelta(days=1), zone=UTC)


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


def test_learning_fuzz_adds_up_to_a_quarter_at_most_five_minutes() -> None:
    from trainer.core.intervals import learning_fuzz

    assert learning_fuzz(600, None) == 600
    assert {learning_fuzz(600, k / 1000) for k in range(1000)} == set(range(600, 750))
    assert max(learning_fuzz(7200, k / 1000) for k in range(1000)) == 7499  # capped at 5 minutes
    assert learning_fuzz(3, 0.99) == 3  # nothing to add below 4 seconds
    p = preview(SchedulingState(), PRESET, NOW, draw=0.5)
    assert p[Rating.GOOD].interval == timedelta(minutes=10)  # the button shows the step
    assert p[Rating.GOOD].state.due == NOW + timedelta(seconds=675)
