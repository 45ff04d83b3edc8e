"""Column-at-a-time forms of `validate`'s checks, for the import boundary's usual case.

Each predicate looks at one column of values (every card's stability, every review's
time, ...) with a few C-level passes (`map`, `min`, `max`, `sum`) instead of a Python call
per value, and answers True only when every value surely passes the per-value check. It
may answer False for values the per-value check would accept (a float `3.0` for a whole
number, a `str` subclass): then the caller runs the per-value checks, which find the
first problem and word it. So a True here never changes what is accepted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import chain
from typing import Any

from trainer.core.validate import EARLIEST, LATEST


def texts(values: Sequence[Any], limit: int) -> bool:
    """Every value a `str` of at most `limit` characters (`validate.text`)."""
    if not values:
        return True
    return set(map(type, values)) == {str} and max(map(len, values)) <= limit


def text_lists(lists: Sequence[Sequence[Any]], count: int, limit: int) -> bool:
    """Every value a tuple or list at most `count` long, every item as `texts` checks it."""
    if not lists:
        return True
    if not set(map(type, lists)) <= {tuple, list}:
        return False
    return max(map(len, lists)) <= count and texts(list(chain.from_iterable(lists)), limit)


def integers(values: Sequence[Any], low: int, high: int) -> bool:
    """Every value an `int` (not a bool) within [low, high] (`validate.integer`)."""
    if not values:
        return True
    return set(map(type, values)) == {int} and low <= min(values) and max(values) <= high


def optional_numbers(values: Iterable[Any], low: float, high: float, *, whole: bool = False) -> bool:
    """Every value None or a finite `int` / `float` (only `int` if `whole`) in [low, high]
    (`validate.optional`)."""
    present = [value for value in values if value is not None]
    if not present:
        return True
    if not set(map(type, present)) <= ({int} if whole else {int, float}):
        return False
    if not whole and not math.isfinite(sum(present)):  # a NaN or an infinity among them
        return False
    return bool(low <= min(present) and max(present) <= high)


def optional_moments(values: Iterable[Any]) -> bool:
    """Every value None or an aware `datetime` from 1900 up to 3000 (`validate.moment`)."""
    present = [value for value in values if value is not None]
    if not present:
        return True
    if set(map(type, present)) != {datetime}:
        return False
    try:  # a naive time cannot be compared with the aware bounds (or with an aware time)
        return bool(min(present) >= EARLIEST and max(present) < LATEST)
    except TypeError:
        return False
