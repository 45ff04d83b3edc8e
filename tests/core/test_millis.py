"""Stored times convert exactly: no millisecond drifts, however far from 1970."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from trainer.core.millis import from_millis, to_millis

MS_RANGE = st.integers(min_value=-62_135_596_800_000, max_value=253_402_300_799_999)  # years 1-9999


@given(MS_RANGE)
def test_millis_survive_a_round_trip(ms: int) -> None:
    assert to_millis(from_millis(ms)) == ms


@given(MS_RANGE)
def test_repeated_round_trips_never_drift(ms: int) -> None:
    value = from_millis(ms)
    for _ in range(3):
        value = from_millis(to_millis(value))
    assert to_millis(value) == ms


def test_a_due_date_after_2038_keeps_its_last_millisecond() -> None:
    # Through float seconds (`timestamp() * 1000`) this one came back as ...106.
    due = datetime(2039, 2, 24, 19, 17, 35, 107_000, tzinfo=UTC)
    assert to_millis(due) == 2_182_187_855_107
    assert from_millis(to_millis(due)) == due


@given(MS_RANGE)
def test_arithmetic_on_datetimes_stays_exact(ms: int) -> None:
    assert to_millis(datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)) == ms


def test_offsets_and_sub_milliseconds() -> None:
    paris = timezone(timedelta(hours=1))
    assert to_millis(datetime(1970, 1, 1, 1, tzinfo=paris)) == 0
    assert to_millis(datetime(1970, 1, 1, 0, 0, 0, 1_999, tzinfo=UTC)) == 1  # floored
    assert to_millis(datetime(1969, 12, 31, 23, 59, 59, 999_500, tzinfo=UTC)) == -1
