"""Anki's rules for turning FSRS's intervals into the days and steps a card is given.

Pure arithmetic on numbers, written from the behaviour of Anki's scheduler (rslib
`scheduler/states`): the fuzz range and how bounds narrow it, the floor that keeps a
passing review from shrinking below the interval the card already had, and the Hard
delay of a first learning step. Intervals are in days (floats, as FSRS returns them),
steps in seconds.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence

DAY = 86400

# (from day, to day, share of the days in that range added to the fuzz on each side)
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))  # as fuzz_delta spells out


def round_half_up(value: float) -> int:
    """Round as Rust's `f32::round` does for the non-negative values used here (2.5 -> 3)."""
    rounded = math.floor(value + 0.5)
    return rounded if rounded > 0 else 0


# These run several times for every card shown (the four previews), so they are written
# with conditional expressions rather than min()/max() calls and loops: same arithmetic, in
# the same order, as the ranges in _FUZZ_RANGES.


def fuzz_delta(interval: float) -> float:
    """How many days the fuzz may move an interval either way (none below 2.5 days)."""
    if interval < 2.5:
        return 0.0
    delta = 1.0 + 0.15 * ((interval if interval < 7.0 else 7.0) - 2.5)
    if interval > 7.0:
        delta += 0.1 * ((interval if interval < 20.0 else 20.0) - 7.0)
        if interval > 20.0:
            delta += 0.05 * (interval - 20.0)
    return delta


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The lowest and highest fuzzed interval, kept within [minimum, maximum]; a range of one
    day is widened to two where the bounds allow it (so fuzz still spreads short intervals)."""
    if minimum > maximum:
        minimum = maximum
    if interval < minimum:
        interval = float(minimum)
    if interval > maximum:
        interval = float(maximum)
    delta = fuzz_delta(interval)
    lower = _within(round_half_up(interval - delta), minimum, maximum)
    upper = _within(round_half_up(interval + delta), minimum, maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def _within(value: int, minimum: int, maximum: int) -> int:
    """`min(max(value, minimum), maximum)`."""
    if value < minimum:
        value = minimum
    return value if value < maximum else maximum


def review_fuzz(interval: float, minimum: int, maximum: int, draw: float | None) -> int:
    """The days a review is given: `interval` fuzzed by `draw` in [0, 1) (None: no fuzz), within
    [minimum, maximum] where the minimum is at least 1 and at most the maximum."""
    if maximum < 1:
        maximum = 1
    minimum = _within(minimum, 1, maximum)
    if draw is None:
        return _within(round_half_up(interval), minimum, maximum)
    lower, upper = fuzz_bounds(interval, minimum, maximum)
    return math.floor(lower + draw * (1 + upper - lower))


def learning_fuzz(seconds: int, draw: float | None) -> int:
    """The delay a (re)learning step of `seconds` is given, as Anki's v3 scheduler fuzzes it
    (rslib `learning_ivl_with_fuzz`): up to a quarter longer, at most 5 minutes longer, the
    extra whole seconds chosen by `draw` in [0, 1) (None: no fuzz). Only for steps that
    end within the study day; one that reaches past it is due at a later day's start."""
    if draw is None:
        return seconds
    extra = math.floor(min(_f32(seconds) * 0.25, 300.0))  # Anki computes in single precision
    if extra <= 0:
        return seconds
    return seconds + math.floor(draw * extra)  # uniform over [seconds, seconds + extra)


def _f32(value: float) -> float:
    return float(_SINGLE.unpack(_SINGLE.pack(value))[0])


_SINGLE = struct.Struct("f")


def minimum_after_review(interval: float, previous: int, maximum: int) -> int:
    """The least a passing review may give a card last given `previous` days.

    A grown interval stays above the previous one; one that barely moved (the previous
    interval still in its fuzz range) keeps at least the previous; one that truly shrank
    (new parameters or retention) has no floor. So an early review never shrinks it.
    """
    if round_half_up(interval) > previous:
        return previous + 1
    _, upper = fuzz_bounds(interval, 1, maximum)
    return previous if previous <= upper else 0


def hard_step(steps: Sequence[int], index: int) -> int:
    """Seconds until a (re)learning card answered Hard on step `index` comes back.

    On the first step: halfway to the second step, or with a single step 1.5 times it but
    at most a day longer; beyond a day, rounded to whole days. Later steps repeat.
    """
    if index > 0:
        return steps[index]
    first = steps[0]
    seconds = (first + steps[1]) // 2 if len(steps) > 1 else min(first * 3 // 2, first + DAY)
    if seconds > DAY:
        return round_half_up(seconds / DAY) * DAY
    return seconds
