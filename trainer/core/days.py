"""The study day: it starts at the preset's hour in the learner's local time zone.

Times are stored in UTC; local time is only used here and for display.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trainer.errors import InvalidInputError


def local_zone() -> tzinfo:
    """The learner's time zone: `TZ`, else the system's zone, else the current offset."""
    for name in (os.environ.get("TZ", "").lstrip(":"), _system_zone_name()):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return datetime.now().astimezone().tzinfo or UTC


def _system_zone_name() -> str:
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
    except OSError:
        return ""
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else ""


def study_date(now: datetime, zone: tzinfo, start_hour: int) -> date:
    """The calendar date of the study day `now` falls in."""
    local = now.astimezone(zone)
    if local.hour < start_hour:
        local -= timedelta(days=1)
    return local.date()


def day_start(now: datetime, zone: tzinfo, start_hour: int) -> datetime:
    """When the study day containing `now` began, in UTC (correct across DST changes)."""
    return _at_hour(study_date(now, zone, start_hour), zone, start_hour)


def next_day_start(now: datetime, zone: tzinfo, start_hour: int) -> datetime:
    """When the next study day begins, in UTC."""
    return _at_hour(study_date(now, zone, start_hour) + timedelta(days=1), zone, start_hour)


def study_days_between(earlier: datetime, later: datetime, zone: tzinfo, start_hour: int) -> int:
    """How many study days were crossed from `earlier` to `later` (0 on the same study day).

    This is FSRS's elapsed time, as Anki counts it: whole study days in the learner's zone with
    the preset's day start, not 24-hour periods. Never negative.
    """
    return max(0, (study_date(later, zone, start_hour) - study_date(earlier, zone, start_hour)).days)


def start_of_day_after(now: datetime, count: int, zone: tzinfo, start_hour: int) -> datetime:
    """When study day (the day of `now` + `count`) begins, in UTC: where a review due in
    `count` days becomes due, whatever DST does in between."""
    return _at_hour(study_date(now, zone, start_hour) + timedelta(days=count), zone, start_hour)


def day_start_of(day: date, zone: tzinfo, start_hour: int) -> datetime:
    """When study day `day` begins, in UTC (remembered: previews ask for the same few days)."""
    return _at_hour(day, zone, start_hour)


class StudyDay:
    """One study day (its date in a zone with a day-start hour) and the starts of the days
    around it, each computed once: the study path asks for them for every card shown."""

    __slots__ = ("_next_start_s", "_starts", "date", "hour", "zone")

    def __init__(self, day: date, zone: tzinfo, hour: int) -> None:
        self.date, self.zone, self.hour = day, zone, hour
        self._starts: dict[int, datetime] = {}
        self._next_start_s = (self.start_of(1) - _EPOCH) // _SECOND

    def start_of(self, count: int) -> datetime:
        """When study day (this day + `count`) begins, in UTC."""
        found = self._starts.get(count)
        if found is None:
            found = self._starts[count] = _at_hour(self.date + timedelta(days=count), self.zone, self.hour)
        return found

    def days_since(self, earlier: datetime) -> int:
        """FSRS's elapsed days from `earlier` to now, as Anki counts them: whole 86,400-second
        spans from `earlier` (in whole seconds) to the start of the next study day (rslib:
        `next_day_at.elapsed_days_since(last_review_time)`). That is the number of study days
        crossed, except within an hour of a DST change: in spring a review in the hour
        before the day start counts a day less, in autumn one in the hour after it a day more."""
        return max(0, (self._next_start_s - (earlier - _EPOCH) // _SECOND) // 86400)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)
_last_day: StudyDay | None = None  # one entry: a session studies in one zone, one day at a time


def study_day(now: datetime, zone: tzinfo, start_hour: int) -> StudyDay:
    """The study day `now` falls in (the same object while it lasts, with its day starts)."""
    global _last_day
    today = study_date(now, zone, start_hour)
    day = _last_day
    if day is None or day.date != today or day.hour != start_hour or day.zone is not zone:
        day = _last_day = StudyDay(today, zone, start_hour)
    return day


@lru_cache(maxsize=1024)
def _at_hour(day: date, zone: tzinfo, hour: int) -> datetime:
    local = datetime.combine(day, time(hour), tzinfo=zone)
    # Round-trip through UTC so a non-existent local time (in a DST gap) is normalised.
    return local.astimezone(UTC)


def parse_now(text: str) -> datetime:
    """Parse an ISO 8601 time with offset (as in `TRAINER_NOW`); reject naive times."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise InvalidInputError(f"time '{text}' has no UTC offset (e.g. 2026-01-31T09:00:00+01:00)")
    return value.astimezone(UTC)


def utcnow() -> datetime:
    """The real current time in UTC: the one place that reads the clock."""
    return datetime.now(UTC)
