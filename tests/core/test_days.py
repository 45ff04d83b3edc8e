"""The study day boundary in local time, across time zones and DST changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from trainer.core.days import day_start, next_day_start, parse_now, study_date

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)


def test_day_starts_at_four_local() -> None:
    # 03:30 in Paris (02:30 UTC in winter) still belongs to the previous study day.
    assert day_start(utc(2026, 1, 10, 2, 30), PARIS, 4) == utc(2026, 1, 9, 3)
    assert day_start(utc(2026, 1, 10, 3, 30), PARIS, 4) == utc(2026, 1, 10, 3)
    assert next_day_start(utc(2026, 1, 10, 3, 30), PARIS, 4) == utc(2026, 1, 11, 3)


@pytest.mark.parametrize(
    ("zone", "now", "expected_start"),
    [
        (NEW_YORK, utc(2026, 1, 10, 5, 0), utc(2026, 1, 9, 9)),  # 00:00 local -> previous day
        (TOKYO, utc(2026, 1, 10, 20, 0), utc(2026, 1, 10, 19)),  # 05:00 local
    ],
)
def test_other_zones(zone: ZoneInfo, now: datetime, expected_start: datetime) -> None:
    assert day_start(now, zone, 4) == expected_start


def test_spring_forward_day_is_23_hours() -> None:
    # Europe switches to summer time on 2026-03-29 at 02:00 local.
    now = utc(2026, 3, 29, 10)
    start, end = day_start(now, PARIS, 4), next_day_start(now, PARIS, 4)
    assert start == utc(2026, 3, 29, 2)  # 04:00 CEST
    assert end == utc(2026, 3, 30, 2)
    previous = day_start(start - timedelta(seconds=1), PARIS, 4)
    assert previous == utc(2026, 3, 28, 3)  # 04:00 CET
    assert start - previous == timedelta(hours=23)


def test_fall_back_day_is_25_hours() -> None:
    now = utc(2026, 10, 25, 12)
    start, end = day_start(now, PARIS, 4), next_day_start(now, PARIS, 4)
    assert end - start == timedelta(hours=24)
    assert start - day_start(start - timedelta(seconds=1), PARIS, 4) == timedelta(hours=25)


def test_start_hour_inside_a_dst_gap_is_normalised() -> None:
    # 02:00 does not exist in New York on 2026-03-08; the day still has one start.
    start = day_start(utc(2026, 3, 8, 12), NEW_YORK, 2)
    assert start.tzinfo is timezone.utc
    assert start <= utc(2026, 3, 8, 12) < next_day_start(utc(2026, 3, 8, 12), NEW_YORK, 2)


def test_study_date() -> None:
    assert str(study_date(utc(2026, 1, 10, 2), PARIS, 4)) == "2026-01-09"


def test_parse_now_needs_an_offset() -> None:
    assert parse_now("2026-01-10T09:00:00+01:00") == utc(2026, 1, 10, 8)
    assert parse_now("2026-01-10T09:00:00Z") == utc(2026, 1, 10, 9)
    with pytest.raises(ValueError, match="no UTC offset"):
        parse_now("2026-01-10T09:00:00")


def test_elapsed_days_count_86400_second_spans_to_the_next_day_start() -> None:
    """Anki's rule (rslib `next_day_at.elapsed_days_since`): the study days crossed, except
    within an hour of a day start next to a DST change."""
    from trainer.core.days import study_day

    paris = ZoneInfo("Europe/Paris")

    def elapsed(earlier: str, now: str) -> int:
        return study_day(datetime.fromisoformat(now), paris, 4).days_since(datetime.fromisoformat(earlier))

    assert elapsed("2026-03-10T21:00:00+01:00", "2026-03-11T15:00:00+01:00") == 1  # a study day crossed
    assert elapsed("2026-03-11T05:00:00+01:00", "2026-03-11T15:00:00+01:00") == 0
    assert elapsed("2026-03-28T03:30:00+01:00", "2026-03-29T12:00:00+02:00") == 1  # 2 study days
    assert elapsed("2026-10-24T04:30:00+02:00", "2026-10-25T12:00:00+01:00") == 2  # 1 study day
    assert elapsed("2026-10-24T04:30:00+02:00", "2026-10-24T03:00:00+02:00") == 0  # never negative
