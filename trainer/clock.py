"""The process clock: `TRAINER_NOW` for scripted runs and demos, else the real time.

Kept free of heavy imports: the study app reads it before its first frame.
"""

from __future__ import annotations

import os
from datetime import datetime

from trainer.core.days import parse_now, utcnow
from trainer.errors import InvalidInputError


class ClockError(InvalidInputError):
    """`TRAINER_NOW` is set but is not an ISO 8601 time with an offset."""


def env_clock() -> datetime:
    """`TRAINER_NOW` if set (ISO 8601 with offset), else the real time."""
    fixed = os.environ.get("TRAINER_NOW")
    if fixed:
        try:
            value = parse_now(fixed)
        except (ValueError, OverflowError) as exc:
            raise ClockError(f"TRAINER_NOW: {exc}") from None
        if not 1900 <= value.year < 3000:  # as every stored time (trainer.core.validate)
            raise ClockError(f"TRAINER_NOW: {fixed[:40]} is outside the years 1900-2999")
        return value
    return utcnow()
