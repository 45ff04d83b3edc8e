"""FSRS scheduling over the `fsrs` package: presets, previews, fuzz, leeches.

Everything here is pure: `now` is always an argument and must be an aware datetime.
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from enum import IntEnum
from functools import lru_cache

import fsrs
import fsrs_rs_python as rs

from trainer.core import days
from trainer.core.frozen import build
from trainer.core.intervals import (
    hard_step,
    learning_fuzz,
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


# The members as plain module names: on the study path, reading `Rating.GOOD` through the
# enum class costs more than a global (outcomes are built for every card shown).
_AGAIN, _HARD, _GOOD, _EASY = Rating
_NEW, _LEARNING, _REVIEW, _RELEARNING = CardState


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


def _model(parameters: tuple[float, ...]) -> rs.FSRS:
    """FSRS for these parameters. A preset keeps its parameters tuple, so the last one is
    recognised by identity first (hashing 21 floats for the cache costs more than the step)."""
    global _last_model
    last = _last_model
    if last is not None and last[0] is parameters:
        return last[1]
    model = _model_for(parameters)
    _last_model = (parameters, model)
    return model


@lru_cache(maxsize=64)
def _model_for(parameters: tuple[float, ...]) -> rs.FSRS:
    return rs.FSRS(list(parameters))


_last_model: tuple[tuple[float, ...], rs.FSRS] | None = None


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
    state is Anki's count of 86,400-second spans to the next day start (the study days
    crossed, but next to a DST change; `days.StudyDay.days_since`), and a review due in N
    days is due from the start of study day (today + N). `draw` is the fuzz draw (None: no
    fuzz; else it also delays learning steps as Anki does).
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
    """The one code path for previews, answers, replays and checks.

    It runs for every card shown, so it is written lean (measured in
    docs/PERFORMANCE.md): one pass over plain locals, FSRS's four next states read once,
    the study day and its day starts from a per-day cache (`days.StudyDay`), the four
    memory states rounded in one batch. Same arithmetic as the rules it applies.
    """
    now = now.astimezone(UTC)
    hour = preset.day_start_hour
    day = days.study_day(now, zone, hour)
    current = state.state
    memory = None
    elapsed = 0
    if current is not _NEW:
        if state.stability is not None and state.difficulty is not None:
            memory = rs.MemoryState(state.stability, state.difficulty)
        if state.last_review is not None:
            elapsed = day.days_since(state.last_review)
    nexts = _model(preset.parameters).next_states(memory, preset.desired_retention, elapsed)
    items = (nexts.again, nexts.hard, nexts.good, nexts.easy)
    memories = [item.memory for item in items]
    stored = _stored_batch([x for m in memories for x in (m.stability, m.difficulty)])
    build = _Build(state, preset, now, day, draw, stored)
    intervals = [float(item.interval) for item in items]
    if current is _REVIEW:
        return build.from_review(intervals)
    return build.from_learning(intervals, relearning=current is _RELEARNING)


class _Build:
    """Turns FSRS's four next states into the four outcomes, by Anki's rules."""

    __slots__ = ("day", "draw", "maximum", "now", "preset", "short_term", "state", "stored", "until_rollover")

    def __init__(
        self,
        state: SchedulingState,
        preset: Preset,
        now: datetime,
        day: days.StudyDay,
        draw: float | None,
        stored: list[tuple[float, float]],
    ) -> None:
        self.state, self.preset, self.now, self.day, self.draw = state, preset, now, day, draw
        self.stored = stored  # (stability, difficulty) to store, by rating - 1
        self.maximum = max(1, preset.maximum_interval)
        params = preset.parameters
        # Anki lets FSRS schedule within the day only when the short-term parameters are set,
        # and (with its default options) only where no (re)learning steps are configured.
        self.short_term = len(params) >= 19 and params[17] > 0 and params[18] > 0
        self.until_rollover = (day.start_of(1) - now).total_seconds()

    # -- the four answers by state -------------------------------------------------------

    def from_review(self, intervals: list[float]) -> dict[Rating, Outcome]:
        again_interval, hard_interval, good_interval, easy_interval = intervals
        state, maximum, draw = self.state, self.maximum, self.draw
        previous = 0  # the interval the card was last given, in study days
        if state.due is not None and state.last_review is not None:
            previous = days.study_days_between(state.last_review, state.due, self.day.zone, self.day.hour)
        floor = minimum_after_review
        top = maximum
        hard = review_fuzz(hard_interval, max(1, floor(hard_interval, previous, top)), top, draw)
        good = review_fuzz(good_interval, max(hard + 1, floor(good_interval, previous, top)), top, draw)
        easy = review_fuzz(easy_interval, max(good + 1, floor(easy_interval, previous, top)), top, draw)
        steps = self.preset.relearning_steps
        if steps:
            again = self._step(_AGAIN, _RELEARNING, 0, steps[0])
        elif self.short_term and again_interval < 0.5:
            again = self._step(_AGAIN, _RELEARNING, 0, int(again_interval * 86400))
        else:  # no steps: back to review at once, unfuzzed (fuzz comes when relearning ends)
            again = self._review(_AGAIN, max(1, round_half_up(again_interval)))
        return {
            _AGAIN: again,
            _HARD: self._review(_HARD, hard),
            _GOOD: self._review(_GOOD, good),
            _EASY: self._review(_EASY, easy),
        }

    def from_learning(self, intervals: list[float], *, relearning: bool) -> dict[Rating, Outcome]:
        steps = self.preset.relearning_steps if relearning else self.preset.learning_steps
        kind = _RELEARNING if relearning else _LEARNING
        index = 0
        if steps and self.state.state is not _NEW:
            index = min(max(self.state.step or 0, 0), len(steps) - 1)
        out: dict[Rating, Outcome] = {}
        if steps:
            out[_AGAIN] = self._step(_AGAIN, kind, 0, steps[0])
            out[_HARD] = self._step(_HARD, kind, index, hard_step(steps, index))
            if index + 1 < len(steps):
                out[_GOOD] = self._step(_GOOD, kind, index + 1, steps[index + 1])
        for rating in (_AGAIN, _HARD, _GOOD):
            if rating not in out:
                out[rating] = self._graduate(
                    rating, kind, 0 if rating is _AGAIN else index, intervals[rating - 1], steps
                )
        # Easy graduates, at least a day beyond what Good would give on graduating.
        maximum, draw = self.maximum, self.draw
        good = review_fuzz(intervals[_GOOD - 1], 1, maximum, draw)
        easy = review_fuzz(max(1, round_half_up(intervals[_EASY - 1])), good + 1, maximum, draw)
        out[_EASY] = self._review(_EASY, easy)
        return out

    def _graduate(
        self, rating: Rating, kind: CardState, step: int, interval: float, steps: tuple[int, ...]
    ) -> Outcome:
        """Leaving the steps (or having none): a review in days, or FSRS's own short delay."""
        if self.short_term and not steps and interval < 0.5:
            return self._step(rating, kind, step, int(interval * 86400))
        return self._review(rating, review_fuzz(max(1, round_half_up(interval)), 1, self.maximum, self.draw))

    # -- building an outcome -------------------------------------------------------------

    def _step(self, rating: Rating, kind: CardState, step: int, seconds: int) -> Outcome:
        """A (re)learning step: due in `seconds`, or from the start of a later study day when the
        step reaches past the day's end (as Anki does)."""
        if seconds >= self.until_rollover:
            due = self.day.start_of(int((seconds - self.until_rollover) // 86400) + 1)
        else:  # within the day: Anki's learning fuzz delays it a little (the label keeps the step)
            due = self.now + _span(learning_fuzz(seconds, self.draw))
        return self._outcome(rating, kind, step, due, _span(seconds))

    def _review(self, rating: Rating, count: int) -> Outcome:
        """A review due from the start of study day (today + `count`)."""
        return self._outcome(rating, _REVIEW, None, self.day.start_of(count), _span(count * 86400))

    def _outcome(
        self, rating: Rating, kind: CardState, step: int | None, due: datetime, shown: timedelta
    ) -> Outcome:
        before = self.state
        lapses = before.lapses
        leech = False
        if rating is _AGAIN and before.state is _REVIEW:
            lapses += 1
            leech = is_leech(lapses, self.preset.leech_threshold)
        stability, difficulty = self.stored[rating - 1]
        return _new_outcome(rating, new_state(kind, step, stability, difficulty, due, self.now,
                                               before.reps + 1, lapses), shown, leech)  # fmt: skip


def new_state(
    state: CardState,
    step: int | None,
    stability: float | None,
    difficulty: float | None,
    due: datetime | None,
    last_review: datetime | None,
    reps: int,
    lapses: int,
) -> SchedulingState:
    """`SchedulingState(...)` with every field given, built fast (`trainer.core.frozen`): the study
    path builds five for every card shown."""
    return build(SchedulingState, {"state": state, "step": step, "stability": stability,
                                   "difficulty": difficulty, "due": due, "last_review": last_review,
                                   "reps": reps, "lapses": lapses})  # fmt: skip


def _new_outcome(rating: Rating, state: SchedulingState, interval: timedelta, is_leech: bool) -> Outcome:
    return build(Outcome, {"rating": rating, "state": state, "interval": interval, "is_leech": is_leech})


_SPANS: dict[int, timedelta] = {}  # seconds -> timedelta: outcomes show the same few steps and days


def _span(seconds: int) -> timedelta:
    found = _SPANS.get(seconds)
    if found is None:
        if len(_SPANS) > 4096:
            _SPANS.clear()
        found = _SPANS[seconds] = timedelta(0, seconds)
    return found


def stored_memory(stability: float, difficulty: float) -> tuple[float, float]:
    """A memory state as Anki stores it, and so uses at the next answer: stability to 4
    decimals, difficulty to 3, rounded in single precision as Anki's engine computes."""
    return _f32_places(stability, 4), _f32_places(difficulty, 3)


_EIGHT = struct.Struct("8f")  # four (stability, difficulty) pairs in single precision


def _stored_batch(values: list[float]) -> list[tuple[float, float]]:
    """`stored_memory` of the four (stability, difficulty) pairs of a preview at once.

    Previews are on the study path: three pack/unpack round trips through single precision
    for all eight numbers instead of three per number; the same arithmetic as
    `_f32_places` (scale in single precision, round half away from zero, divide, to single).
    """
    s0, d0, s1, d1, s2, d2, s3, d3 = _EIGHT.unpack(_EIGHT.pack(*values))
    scaled = _EIGHT.unpack(_EIGHT.pack(s0 * 10_000.0, d0 * 1_000.0, s1 * 10_000.0, d1 * 1_000.0,
                                       s2 * 10_000.0, d2 * 1_000.0, s3 * 10_000.0, d3 * 1_000.0))  # fmt: skip
    floor = math.floor
    if min(scaled) >= 0:  # always, for FSRS's memory states
        halves = [floor(x + 0.5) for x in scaled]
    else:
        halves = [floor(abs(x) + 0.5) * (1 if x >= 0 else -1) for x in scaled]
    r = _EIGHT.unpack(_EIGHT.pack(halves[0] / 10_000.0, halves[1] / 1_000.0, halves[2] / 10_000.0,
                                  halves[3] / 1_000.0, halves[4] / 10_000.0, halves[5] / 1_000.0,
                                  halves[6] / 10_000.0, halves[7] / 1_000.0))  # fmt: skip
    return [(r[0], r[1]), (r[2], r[3]), (r[4], r[5]), (r[6], r[7])]


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
