"""Stored value conventions shared by the ORM models and the raw SQL paths (no SQLAlchemy here).

Times are UTC epoch milliseconds; `queue` is a card's state while active, or one of the
two inactive markers below.
"""

from __future__ import annotations

from datetime import UTC, datetime

HEAD_REVISION = "0004"  # the schema this code writes: the newest revision in db/versions (a test checks)
QUEUE_SUSPENDED = -1
QUEUE_BURIED = -2


def to_millis(value: datetime) -> int:
    """Aware datetime -> epoch milliseconds."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given where UTC is required")
    return int(value.timestamp() * 1000)


def from_millis(value: int) -> datetime:
    """Epoch milliseconds -> aware UTC datetime."""
    return datetime.fromtimestamp(value / 1000, tz=UTC)
