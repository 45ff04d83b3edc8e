"""FSRS scheduling over the `fsrs` package: presets, previews, fuzz, leeches.

Everything here is pure: `now` is always an argument and must be an aware datetime.
"""

from __future__ import annotations

import hashlib
import math
import struct
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import IntEnum
from functools import lru_cache

import fsrs
import fsrs_rs_python as rs

from trainer.core import days
from trainer.core.intervals import (
    hard_step,
    minimum_after_review,
    review_fuzz,
    round_half_up,
)
from trainer.errors import InvalidInputError

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.Scheduler().parameters)
MAX_DURATION_MS = 60_000
LEARN_AHEAD = timedelta(minutes=20)


class Rating(IntEnum):
    """The four answer buttons."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @classmethod
    def parse(cls, text: str) -> Rating:
        """`again|hard|good|easy` or `1`-`4`, case-insensitive."""
        value = text.strip().lower()
        if value.isdigit() and 1 <= int(value) <= 4:
            return cls(int(value))
        try:
            return cls[value.upper()]
        except KeyError:
            raise InvalidInputError(f"unknown rating '{text}' (use again, hard, good, easy or 1-4)") from None

    @property
    def label(self) -> str:
        """`Again`, `Hard`, `Good`, `Easy`."""
        return self.name.capitalize()


class CardState(IntEnum):
    """Where a card is in its life; stored as an integer."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True)
class Preset:
    """Deck options shared by the decks that use them."""

    name: str = "Default"
    parameters: tuple[float, ...] = DEFAULT_PARAMETERS
    desired_retention: float = 0.9
    learning_steps: tuple[int, ...] = (60, 600)  # seconds
    relearning_steps: tuple[int, ...] = (600,)
    maximum_interval: int = 36500  # days
    new_per_day: int = 20
    reviews_per_day: int = 200
    leech_threshold: int = 8
    bury_siblings: bool = True
    day_start_hour: int = 4

    def validate(self) -> list[str]:
        """Problems with this preset (types, finite numbers, sensible bounds), empty when valid."""
        from trainer.core.validate import preset_problems  # validate builds on this module

        return preset_problems(self)


@dataclass(frozen=True)
class SchedulingState:
    """A card's scheduling columns."""

    state: CardState = CardState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0


@dataclass(frozen=True)
class Outcome:
    """What answering with `rating` at `now` would store."""

    rating: Rating
    state: SchedulingState
    interval: timedelta  # as the answer button shows it: whole days for a review, else the step
    is_leech: bool = False


@dataclass(frozen=True)
class Preview:
    """The four outcomes, computed once (with one fuzz draw) when the answer is shown."""

    now: datetime
    outcomes: dict[Rating, Outcome] = field(default_factory=dict)

    def __getitem__(self, rating: Rating) -> Outcome:
        return self.outcomes[rating]


@lru_cache(maxsize=64)
def _model(parameters: tuple[float, ...]) -> rs.FSRS:
    return rs.FSRS(list(parameters))


@lru_cache(maxsize=64)
def _py_scheduler(parameters: tuple[float, ...], desired_retention: float) -> fsrs.Scheduler:
    return fsrs.Scheduler(parameters=parameters, desired_retention=desired_retention, enable_fuzzing=False)


def fill_parameters(values: Sequence[float]) -> tuple[float, ...]:
    """FSRS-6 parameters from FSRS-4.5/5 (17), FSRS-5 (19) or FSRS-6 (21) weights, converted as
    Anki does (fsrs-rs `check_and_fill_parameters`). Raises ValueError for any other count."""
    try:
        filled = rs.check_and_fill_parameters([float(v) for v in values])
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the Rust side raises an error, or panics (not an Exception)
        raise InvalidInputError(f"{len(values)} FSRS parameters cannot be used (17, 19 or 21 are)") from exc
    return tuple(float(v) for v in filled)


@lru_cache(maxsize=256)  # the preview and then the answer of a card draw the same
def fuzz_draw(card_id: int, reps: int) -> float:
    """A reproducible fuzz draw in [0, 1) for one answer of one card."""
    digest = hashlib.blake2b(f"{card_id}:{reps}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def preview(
    state: SchedulingState, preset: Preset, now: datetime, *, zone: tzinfo, draw: float | None = None
) -> Preview:
    """All four outcomes of answering now, as Anki's FSRS scheduler computes them.

    `zone` and the preset's day start define the study day: elapsed time for the memory
    state is the number of study days crossed, and a review due in N days is due from the
    start of study day (today + N). `draw` is the fuzz draw (None: no fuzz).
    """
    return Preview(now=now.astimezone(UTC), outcomes=_outcomes(state, preset, now, zone, draw))


def outcome(
    state: SchedulingState,
    preset: Preset,
    now: datetime,
    rating: Rating,
    *,
    zone: tzinfo,
    draw: float | None = None,
) -> Outcome:
    """What answering `rating` now stores: exactly `preview(...)[rating]` (the same code path)."""
    return _outcomes(state, preset, now, zone, draw)[rating]


def replay_outcome(
    state: SchedulingState, preset: Preset, now: datetime, rating: Rating, *, zone: tzinfo
) -> Outcome:
    """The outcome of one past answer without fuzz (for replaying an imported history)."""
    return outcome(state, preset, now, rating, zone=zone)


def _outcomes(
    state: SchedulingState, preset: Preset, now: datetime, zone: tzinfo, draw: float | None
) -> dict[Rating, Outcome]:
    """The one code path for previews, answers, replays and checks."""
    now = now.astimezone(UTC)
    hour = preset.day_start_hour
    memory = None
    elapsed = 0
    if state.state is not CardState.NEW and state.stability is not None and state.difficulty is not None:
        memory = rs.MemoryState(state.stability, state.difficulty)
    today = days.study_date(now, zone, hour)
    if state.state is not CardState.NEW and state.last_review is not None:
        elapsed = max(0, (today - days.study_date(state.last_review, zone, hour)).days)
    nexts = _model(preset.parameters).next_states(memory, preset.desired_retention, elapsed)
    items = {
        Rating.AGAIN: nexts.again,
        Rating.HARD: nexts.hard,
        Rating.GOOD: nexts.good,
        Rating.EASY: nexts.easy,
    }
    ctx = _Context(state, preset, now, zone, draw, items, today)
    memories = [x for item in items.values() for x in (item.memory.stability, item.memory.difficulty)]
    ctx.stored = dict(zip(items, _stored_batch(memories), strict=True))
    if state.state is CardState.REVIEW:
        return ctx.from_review()
    return ctx.from_learning(relearning=state.state is CardState.RELEARNING)


class _Context:
    """One answer's inputs: the card, its preset, the clock and FSRS's four next states."""

    def __init__(
        self,
        state: SchedulingState,
        preset: Preset,
        now: datetime,
        zone: tzinfo,
        draw: float | None,
        items: dict[Rating, rs.ItemState],
        today: date,
    ) -> None:
        self.state, self.preset, self.now, self.zone, self.draw = state, preset, now, zone, draw
        self.today = today
        self.stored: dict[Rating, tuple[float, float]] = {}
        self.items = items
        self.intervals = {rating: float(item.interval) for rating, item in items.items()}
        self.maximum = max(1, preset.maximum_interval)
        params = preset.parameters
        # Anki lets FSRS schedule within the day only when the short-term parameters are set,
        # and (with its default options) only where no (re)learning steps are configured.
        self.short_term = len(params) >= 19 and params[17] > 0 and params[18] > 0
        self.until_rollover = (self._day_start(1) - now).total_seconds()

    def interval(self, rating: Rating) -> float:
        return self.intervals[rating]

    def fuzzed(self, interval: float, minimum: int) -> int:
        return review_fuzz(interval, minimum, self.maximum, self.draw)

    # -- the four answers by state -------------------------------------------------------

    def from_review(self) -> dict[Rating, Outcome]:
        previous = self._scheduled_days()
        hard = self.fuzzed(
            self.interval(Rating.HARD),
            max(1, minimum_after_review(self.interval(Rating.HARD), previous, self.maximum)),
        )
        good = self.fuzzed(
            self.interval(Rating.GOOD),
            max(hard + 1, minimum_after_review(self.interval(Rating.GOOD), previous, self.maximum)),
        )
        easy = self.fuzzed(self.interval(Rating.EASY), max(good + 1, minimum_after_review(
            self.interval(Rating.EASY), previous, self.maximum)))  # fmt: skip
        steps = self.preset.relearning_steps
        again_interval = self.interval(Rating.AGAIN)
        if steps:
            again = self._step(Rating.AGAIN, CardState.RELEARNING, 0, steps[0])
        elif self.short_term and again_interval < 0.5:
            again = self._step(Rating.AGAIN, CardState.RELEARNING, 0, int(again_interval * 86400))
        else:  # no steps: back to review at once, unfuzzed (fuzz comes when relearning ends)
            again = self._review(Rating.AGAIN, max(1, round_half_up(again_interval)))
        return {
            Rating.AGAIN: again,
            Rating.HARD: self._review(Rating.HARD, hard),
            Rating.GOOD: self._review(Rating.GOOD, good),
            Rating.EASY: self._review(Rating.EASY, easy),
        }

    def from_learning(self, *, relearning: bool) -> dict[Rating, Outcome]:
        steps = self.preset.relearning_steps if relearning else self.preset.learning_steps
        kind = CardState.RELEARNING if relearning else CardState.LEARNING
        index = 0
        if steps and self.state.state is not CardState.NEW:
            index = min(max(self.state.step or 0, 0), len(steps) - 1)
        out: dict[Rating, Outcome] = {}
        if steps:
            out[Rating.AGAIN] = self._step(Rating.AGAIN, kind, 0, steps[0])
            out[Rating.HARD] = self._step(Rating.HARD, kind, index, hard_step(steps, index))
            if index + 1 < len(steps):
                out[Rating.GOOD] = self._step(Rating.GOOD, kind, index + 1, steps[index + 1])
        for rating in (Rating.AGAIN, Rating.HARD, Rating.GOOD):
            if rating not in out:
                out[rating] = self._graduate(rating, kind, 0 if rating is Rating.AGAIN else index)
        # Easy graduates, at least a day beyond what Good would give on graduating.
        good = self.fuzzed(self.interval(Rating.GOOD), 1)
        easy = self.fuzzed(max(1, round_half_up(self.interval(Rating.EASY))), good + 1)
        out[Rating.EASY] = self._review(Rating.EASY, easy)
        return out

    def _graduate(self, rating: Rating, kind: CardState, step: int) -> Outcome:
        """Leaving the steps (or having none): a review in days, or FSRS's own short delay."""
        interval = self.interval(rating)
        if self.short_term and not self._steps(kind) and interval < 0.5:
            return self._step(rating, kind, step, int(interval * 86400))
        return self._review(rating, self.fuzzed(max(1, round_half_up(interval)), 1))

    def _day_start(self, count: int) -> datetime:
        """When study day (today + `count`) begins."""
        return days.day_start_of(self.today + timedelta(days=count), self.zone, self.preset.day_start_hour)

    def _steps(self, kind: CardState) -> tuple[int, ...]:
        return self.preset.relearning_steps if kind is CardState.RELEARNING else self.preset.learning_steps

    def _scheduled_days(self) -> int:
        """The interval the card was last given, in study days."""
        state, hour = self.state, self.preset.day_start_hour
        if state.due is None or state.last_review is None:
            return 0
        return days.study_days_between(state.last_review, state.due, self.zone, hour)

    # -- building an outcome -------------------------------------------------------------

    def _step(self, rating: Rating, kind: CardState, step: int, seconds: int) -> Outcome:
        """A (re)learning step: due in `seconds`, or from the start of a later study day when the
        step reaches past the day's end (as Anki does)."""
        if seconds >= self.until_rollover:
            extra = int((seconds - self.until_rollover) // 86400) + 1
            due = self._day_start(extra)
        else:
            due = self.now + timedelta(seconds=seconds)
        return self._outcome(rating, kind, step, due, timedelta(seconds=seconds))

    def _review(self, rating: Rating, count: int) -> Outcome:
        """A review due from the start of study day (today + `count`)."""
        due = self._day_start(count)
        return self._outcome(rating, CardState.REVIEW, None, due, timedelta(days=count))

    def _outcome(
        self, rating: Rating, kind: CardState, step: int | None, due: datetime, shown: timedelta
    ) -> Outcome:
        before = self.state
        lapse = rating is Rating.AGAIN and before.state is CardState.REVIEW
        lapses = before.lapses + 1 if lapse else before.lapses
        stability, difficulty = self.stored[rating]
        after = SchedulingState(kind, step, stability, difficulty, due, self.now, before.reps + 1, lapses)
        return Outcome(rating, after, shown, lapse and is_leech(lapses, self.preset.leech_threshold))


def stored_memory(stability: float, difficulty: float) -> tuple[float, float]:
    """A memory state as Anki stores it, and so uses at the next answer: stability to 4
    decimals, difficulty to 3, rounded in single precision as Anki's engine computes."""
    return _f32_places(stability, 4), _f32_places(difficulty, 3)


def _stored_batch(values: list[float]) -> list[tuple[float, float]]:
    """`stored_memory` of (stability, difficulty) pairs at once (one conversion to single
    precision per step for all of them: previews are on the study path)."""
    factors = [10_000.0, 1_000.0] * (len(values) // 2)
    scaled = array("f", [v * f for v, f in zip(array("f", values), factors, strict=True)])
    rounded = array("f", [math.floor(abs(x) + 0.5) * (1 if x >= 0 else -1) / f
                          for x, f in zip(scaled, factors, strict=True)])  # fmt: skip
    return [(rounded[i], rounded[i + 1]) for i in range(0, len(rounded), 2)]


def _f32_places(value: float, places: int) -> float:
    factor = 10.0**places  # exact in single precision for these places
    scaled = _f32(_f32(value) * factor)
    rounded = math.floor(abs(scaled) + 0.5) * (1 if scaled >= 0 else -1)  # half away from zero
    return _f32(rounded / factor)


_SINGLE = struct.Struct("f")


def _f32(value: float) -> float:
    return float(_SINGLE.unpack(_SINGLE.pack(value))[0])


def is_leech(lapses: int, threshold: int) -> bool:
    """Anki's rule: a leech at the threshold, then again every half threshold, rounded up."""
    if threshold < 1 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, math.ceil(threshold / 2)) == 0


def retrievability(
    state: SchedulingState, preset: Preset, now: datetime, *, zone: tzinfo | None = None
) -> float | None:
    """Probability of recall now (elapsed time in study days), or None for a card never reviewed.

    `zone` defaults to the learner's local zone.
    """
    if state.stability is None or state.last_review is None:
        return None
    elapsed = days.study_days_between(
        state.last_review, now, zone or days.local_zone(), preset.day_start_hour
    )
    # py-fsrs counts whole 24-hour days between the two times: give it exactly `elapsed`.
    card = fsrs.Card(card_id=0, state=fsrs.State.Review, stability=state.stability,
                     difficulty=state.difficulty, due=_REFERENCE, last_review=_REFERENCE)  # fmt: skip
    scheduler = _py_scheduler(preset.parameters, preset.desired_retention)
    return float(scheduler.get_card_retrievability(card, _REFERENCE + timedelta(days=elapsed)))


_REFERENCE = datetime(2000, 1, 1, tzinfo=UTC)


def cap_duration(duration_ms: int | None) -> int:
    """Answer time as logged: at most 60 s, like Anki, never negative."""
    if duration_ms is None:
        return 0
    return max(0, min(int(duration_ms), MAX_DURATION_MS))


def format_interval(interval: timedelta) -> str:
    """Short interval labels like Anki's buttons: `<1m`, `10m`, `3h`, `4d`, `2.1mo`, `1.5y`."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
