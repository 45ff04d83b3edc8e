"""Stored value conventions shared by the ORM models and the raw SQL paths (no SQLAlchemy here).

Times are UTC epoch milliseconds; `queue` is a card's state while active, or one of the
two inactive markers below.
"""

from __future__ import annotations

from trainer.core.millis import from_millis, to_millis

HEAD_REVISION = "0008"  # the schema this code writes: the newest revision in db/versions (a test checks)
QUEUE_SUSPENDED = -1
QUEUE_BURIED = -2

__all__ = ["HEAD_REVISION", "QUEUE_BURIED", "QUEUE_SUSPENDED", "from_millis", "to_millis"]
