"""Pure checks for what enters the collection: numbers, times, presets, card states, text, decks.

Every reader and the `preset --set` command pass what they read through these checks, so
nothing that is stored can break scheduling later. A check returns the problems it finds
as `field: what is wrong` strings (empty when valid); `Invalid` carries one of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import fsrs.scheduler as _fsrs

from trainer.core.cards import CardContent, CardKind
from trainer.core.limits import (
    MAX_CARDS_PER_NOTE as MAX_CARDS_PER_NOTE,
)
from trainer.core.limits import (
    MAX_DECK_DEPTH as MAX_DECK_DEPTH,
)
from trainer.core.limits import (
    MAX_DECK_NAME_CHARS as MAX_DECK_NAME_CHARS,
)
from trainer.core.limits import (
    MAX_FIELD_CHARS as MAX_FIELD_CHARS,
)
from trainer.core.limits import (
    MAX_LIST_ITEMS as MAX_LIST_ITEMS,
)
from trainer.core.limits import (
    deck_name_problem as deck_name_problem,
)
from trainer.core.scheduling import CardState, Preset, SchedulingState
from trainer.errors import InvalidInputError

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_STEP_SECONDS = 10 * 365 * 86_400  # a learning step: ten years at most
MAX_STEPS = 100
MAX_INTERVAL_DAYS = 36_500
MAX_DAILY_LIMIT = 1_000_000
MAX_LEECH_THRESHOLD = 9_999
MAX_COUNT = 2**31 - 1  # reps, lapses, durations, positions fit a C int
MIN_STABILITY, MAX_STABILITY = _fsrs.STABILITY_MIN, 1e9  # days
MIN_DIFFICULTY, MAX_DIFFICULTY = _fsrs.MIN_DIFFICULTY, _fsrs.MAX_DIFFICULTY
PARAMETER_BOUNDS: tuple[tuple[float, float], ...] = tuple(
    zip(_fsrs.LOWER_BOUNDS_PARAMETERS, _fsrs.UPPER_BOUNDS_PARAMETERS, strict=True)
)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)  # times outside leave room for date arithmetic
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
MS = timedelta(milliseconds=1)


class Invalid(InvalidInputError):
    """One value that cannot be accepted: `field: what is wrong`."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.problem = message
        super().__init__(f"{field}: {message}" if field else message)


def number(value: Any, field: str, low: float, high: float, *, integer: bool = False) -> Any:
    """`value` when it is a finite number (an integer if asked) within [low, high], else `Invalid`.

    Floats that are whole numbers count as integers (JSON and SQLite may give `3.0`)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(field, f"{show(value)} is not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid(field, f"{show(value)} is not a finite number")
        if integer:
            if not value.is_integer():
                raise Invalid(field, f"{show(value)} is not a whole number")
            if not low <= value <= high:
                raise Invalid(field, f"{show(value)} is out of range ({show(low)} to {show(high)})")
            return int(value)
    if not low <= value <= high:
        raise Invalid(field, f"{show(value)} is out of range ({show(low)} to {show(high)})")
    return value


def integer(value: Any, field: str, low: int = INT64_MIN, high: int = INT64_MAX) -> int:
    """A whole number within [low, high] (64-bit by default)."""
    return int(number(value, field, low, high, integer=True))


def optional(value: Any, field: str, low: float, high: float, *, whole: bool = False) -> Any:
    """None, or a number as `number` checks it."""
    return None if value is None else number(value, field, low, high, integer=whole)


def text(value: Any, field: str, limit: int = MAX_FIELD_CHARS) -> str:
    """`value` when it is a string of at most `limit` characters."""
    if not isinstance(value, str):
        raise Invalid(field, f"{show(value)} is not text")
    if len(value) > limit:
        raise Invalid(field, f"too long ({len(value)} characters, at most {limit})")
    return value


def moment(value: Any, field: str) -> datetime:
    """An aware datetime between 1900 and 3000."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise Invalid(field, f"{show(value)} is not a time with a zone")
    if not EARLIEST <= value < LATEST:
        raise Invalid(field, f"{value.isoformat()} is outside the years 1900-2999")
    return value


def preset_problems(preset: Preset) -> list[str]:
    """Everything wrong with a preset: types, finiteness and sensible bounds."""
    problems: list[str] = []
    for check in _preset_checks(preset):
        try:
            check()
        except Invalid as exc:
            problems.append(str(exc))
    return problems


def _preset_checks(p: Preset) -> Iterator[Callable[[], object]]:
    yield lambda: text(p.name, "name", 200)
    yield lambda: _parameters(p.parameters)
    yield lambda: number(p.desired_retention, "desired_retention", 0.7, 0.99)
    yield lambda: _steps(p.learning_steps, "learning_steps")
    yield lambda: _steps(p.relearning_steps, "relearning_steps")
    yield lambda: integer(p.maximum_interval, "maximum_interval", 1, MAX_INTERVAL_DAYS)
    yield lambda: integer(p.new_per_day, "new_per_day", 0, MAX_DAILY_LIMIT)
    yield lambda: integer(p.reviews_per_day, "reviews_per_day", 0, MAX_DAILY_LIMIT)
    yield lambda: integer(p.leech_threshold, "leech_threshold", 1, MAX_LEECH_THRESHOLD)
    yield lambda: _boolean(p.bury_siblings, "bury_siblings")
    yield lambda: integer(p.day_start_hour, "day_start_hour", 0, 23)


def _parameters(values: Any) -> None:
    if not isinstance(values, tuple | list) or len(values) != len(PARAMETER_BOUNDS):
        count = len(values) if isinstance(values, tuple | list) else 0
        raise Invalid("parameters", f"needs {len(PARAMETER_BOUNDS)} FSRS parameters, has {count}")
    for index, (value, (low, high)) in enumerate(zip(values, PARAMETER_BOUNDS, strict=True)):
        number(value, f"parameters[{index}]", low, high)


def _steps(values: Any, field: str) -> None:
    if not isinstance(values, tuple | list):
        raise Invalid(field, f"{show(values)} is not a list of steps")
    if len(values) > MAX_STEPS:
        raise Invalid(field, f"too many steps ({len(values)}, at most {MAX_STEPS})")
    for index, value in enumerate(values):
        integer(value, f"{field}[{index}]", 1, MAX_STEP_SECONDS)


def _boolean(value: Any, field: str) -> None:
    if not isinstance(value, bool) and value not in (0, 1):
        raise Invalid(field, f"{show(value)} is not true or false")


def state_problems(state: SchedulingState, suffix: str = "") -> list[str]:
    """Everything wrong with a card's scheduling columns that would break a later answer.

    Fields are named as stored, with `suffix` (`_before`, `_after` in the review log)."""
    problems: list[str] = []
    try:
        kind = CardState(state.state) if not isinstance(state.state, bool) else None
    except (ValueError, TypeError):
        kind = None
    if kind is None:
        problems.append(f"state{suffix}: {show(state.state)} is not a known state (0-3)")
    checks: list[Callable[[], object]] = [
        lambda: optional(state.step, f"step{suffix}", 0, MAX_STEPS, whole=True),
        lambda: optional(state.stability, f"stability{suffix}", MIN_STABILITY, MAX_STABILITY),
        lambda: optional(state.difficulty, f"difficulty{suffix}", MIN_DIFFICULTY, MAX_DIFFICULTY),
        lambda: state.due is None or moment(state.due, f"due{suffix}"),
        lambda: state.last_review is None or moment(state.last_review, f"last_review{suffix}"),
        lambda: integer(state.reps, f"reps{suffix}", 0, MAX_COUNT),
        lambda: integer(state.lapses, f"lapses{suffix}", 0, MAX_COUNT),
    ]
    for check in checks:
        try:
            check()
        except Invalid as exc:
            problems.append(str(exc))
    if problems or kind in (None, CardState.NEW):
        return problems
    if kind in (CardState.LEARNING, CardState.RELEARNING) and state.step is None:
        problems.append(f"step{suffix}: a learning card needs a step")
    if (state.stability is None or state.difficulty is None) and state.last_review is not None:
        problems.append(f"stability{suffix}: a reviewed card needs stability and difficulty")
    return problems


def content_problems(content: CardContent, limit: int = MAX_FIELD_CHARS) -> list[str]:
    """Text fields that are not text or too long, lists too long, cloze numbers out of range."""
    problems: list[str] = []
    if not isinstance(content.kind, CardKind):
        problems.append(f"kind: {show(content.kind)} is not a card kind")
    for name in ("front", "back", "text", "hint", "note", "group_title"):
        try:
            text(getattr(content, name), name, limit)
        except Invalid as exc:
            problems.append(str(exc))
    for name in ("answers", "distractors", "media"):
        items = getattr(content, name)
        if len(items) > MAX_LIST_ITEMS:
            problems.append(f"{name}: too many ({len(items)}, at most {MAX_LIST_ITEMS})")
            continue
        for index, item in enumerate(items):
            try:
                text(item, f"{name}[{index}]", limit)
            except Invalid as exc:
                problems.append(str(exc))
    try:
        integer(content.cloze_ord, "cloze_ord", 0, MAX_CARDS_PER_NOTE)
    except Invalid as exc:
        problems.append(str(exc))
    return problems


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_STEP_RE = re.compile(r"(\d+(?:\.\d+)?|\.\d+)([smhd])")


def parse_steps(raw: str, key: str = "learning_steps") -> tuple[int, ...]:
    """Steps written as in Anki's deck options, `1m 10m 1h 1d` (units s, m, h, d; spaces or commas
    between them), as whole seconds. A number without a unit is refused rather than guessed."""
    steps: list[int] = []
    for item in raw.replace(",", " ").split():
        match = _STEP_RE.fullmatch(item.lower())
        if match is None:
            hint = " needs a unit" if item.replace(".", "", 1).isdigit() else " is not a step"
            raise InvalidInputError(f"{key}: '{item[:40]}'{hint} (write steps as in Anki: 1m 10m 1h 1d)")
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
        if seconds > MAX_STEP_SECONDS:
            raise InvalidInputError(f"{key}: '{item[:40]}' is longer than 10 years")
        if round(seconds) < 1:
            raise InvalidInputError(f"{key}: '{item[:40]}' is shorter than one second")
        steps.append(round(seconds))
    return tuple(steps)


def format_steps(steps: tuple[int, ...]) -> str:
    """Steps in seconds as Anki writes them: `1m 10m`, `90s`, `1.5h`; `none` when empty."""
    if not steps:
        return "none"
    out = []
    for seconds in steps:
        unit = next(u for u in ("d", "h", "m", "s") if seconds >= _UNITS[u] or u == "s")
        value = seconds / _UNITS[unit]
        if not value.is_integer() and unit != "s" and not (value * 100).is_integer():
            unit, value = "s", float(seconds)
        out.append(f"{value:g}{unit}")
    return " ".join(out)


def first_problem(problems: Iterable[str]) -> str | None:
    """The first of `problems`, or None."""
    return next(iter(problems), None)


def show(value: Any) -> str:
    """A value for a message: short, never the whole of a huge input."""
    shown = repr(value) if not isinstance(value, int | float) or isinstance(value, bool) else _num(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _num(value: float) -> str:
    if isinstance(value, int) and abs(value) >= 10**15:
        return f"{value:.3g}" if abs(value) < 10**300 else "a number with more than 300 digits"
    return repr(value) if isinstance(value, int) else f"{value:g}"
