"""Epoch milliseconds, the one stored form of a time, converted exactly both ways.

Integer arithmetic on `timedelta` (no float seconds), so a time survives any number of
round trips: `datetime.timestamp() * 1000` loses the last millisecond after 2038.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MS = timedelta(milliseconds=1)


def to_millis(value: datetime) -> int:
    """Aware datetime -> epoch milliseconds (floored: sub-millisecond parts are dropped)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given where UTC is required")  # a programming error
    return (value - EPOCH) // ONE_MS


def from_millis(value: int) -> datetime:
    """Epoch milliseconds -> aware UTC datetime."""
    return EPOCH + timedelta(
        0, 0, 0, value
    )  # (days, seconds, microseconds, milliseconds): positional is faster


def optional_millis(value: datetime | None) -> int | None:
    """`to_millis`, with None kept as None (an unset time)."""
    return None if value is None else to_millis(value)
