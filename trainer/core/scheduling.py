"""FSRS scheduling over the `fsrs` package: presets, previews, fuzz, leeches.

Everything here is pure: `now` is always an argument and must be an aware datetime.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import lru_cache

import fsrs

from trainer.errors import InvalidInputError

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.Scheduler().parameters)
MAX_DURATION_MS = 60_000
LEARN_AHEAD = timedelta(minutes=20)

# Anki's fuzz ranges: (start day, end day, factor)
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, float("inf"), 0.05))


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
        """Problems with this preset, empty when valid."""
        problems = []
        if len(self.parameters) != len(DEFAULT_PARAMETERS):
            problems.append(f"needs {len(DEFAULT_PARAMETERS)} FSRS parameters, has {len(self.parameters)}")
        if not 0.7 <= self.desired_retention <= 0.99:
            problems.append("desired retention must be between 0.70 and 0.99")
        if not 0 <= self.day_start_hour <= 23:
            problems.append("next day starts at must be an hour from 0 to 23")
        if self.maximum_interval < 1:
            problems.append("maximum interval must be at least 1 day")
        if self.new_per_day < 0 or self.reviews_per_day < 0:
            problems.append("daily limits cannot be negative")
        if self.leech_threshold < 1:
            problems.append("leech threshold must be at least 1")
        if any(s <= 0 for s in (*self.learning_steps, *self.relearning_steps)):
            problems.append("learning steps must be positive")
        return problems


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
    interval: timedelta
    is_leech: bool = False


@dataclass(frozen=True)
class Preview:
    """The four outcomes, computed once (with one fuzz draw) when the answer is shown."""

    now: datetime
    outcomes: dict[Rating, Outcome] = field(default_factory=dict)

    def __getitem__(self, rating: Rating) -> Outcome:
        return self.outcomes[rating]


@lru_cache(maxsize=64)
def _scheduler(preset: Preset) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        parameters=preset.parameters,
        desired_retention=preset.desired_retention,
        learning_steps=tuple(timedelta(seconds=s) for s in preset.learning_steps),
        relearning_steps=tuple(timedelta(seconds=s) for s in preset.relearning_steps),
        maximum_interval=preset.maximum_interval,
        enable_fuzzing=False,
    )


def fuzz_draw(card_id: int, reps: int) -> float:
    """A reproducible fuzz draw in [0, 1) for one answer of one card."""
    digest = hashlib.blake2b(f"{card_id}:{reps}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def fuzzed_days(days: int, draw: float, maximum: int) -> int:
    """Anki's fuzz: spread an interval of `days` over a range that grows with it."""
    if days < 2.5:
        return days
    delta = 1.0
    for start, end, factor in _FUZZ_RANGES:
        delta += factor * max(min(float(days), end) - start, 0.0)
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum)
    low = min(low, high)
    return min(int(draw * (high - low + 1)) + low, maximum)


class _Card(fsrs.Card):
    """`fsrs.Card` with a plain attribute copy: `review_card` copies its input, and the generic
    `copy.copy` (via `__reduce_ex__`) was a fifth of a preview's time."""

    def __copy__(self) -> _Card:
        twin = object.__new__(_Card)
        twin.__dict__.update(self.__dict__)
        return twin


def _to_fsrs(s: SchedulingState, now: datetime) -> fsrs.Card:
    # An explicit card_id: without one, fsrs.Card reads the clock and sleeps 1 ms.
    if s.state is CardState.NEW:
        return _Card(card_id=0, state=fsrs.State.Learning, step=0, due=now)
    return _Card(
        card_id=0,
        state=fsrs.State(int(s.state)),
        step=s.step if s.state is not CardState.REVIEW else None,
        stability=s.stability,
        difficulty=s.difficulty,
        due=s.due or now,
        last_review=s.last_review,
    )


def preview(state: SchedulingState, preset: Preset, now: datetime, *, draw: float | None = None) -> Preview:
    """All four outcomes of answering now. `draw` is the fuzz draw (None: no fuzz).

    Review intervals are whole days, fuzzed with `draw`, and kept Hard < Good < Easy
    where they all graduate to review (as Anki does).
    """
    return _outcomes(state, preset, now, draw, _RATINGS)


def outcome(
    state: SchedulingState, preset: Preset, now: datetime, rating: Rating, *, draw: float | None = None
) -> Outcome:
    """What answering `rating` now stores: exactly `preview(...)[rating]`, computing only the
    buttons it depends on (Hard < Good < Easy spacing needs the ones below it)."""
    needed = (rating,) if rating is Rating.AGAIN else _RATINGS[1 : int(rating)]
    return _outcomes(state, preset, now, draw, needed)[rating]


def _outcomes(
    state: SchedulingState, preset: Preset, now: datetime, draw: float | None, ratings: tuple[Rating, ...]
) -> Preview:
    now = now.astimezone(UTC)
    scheduler = _scheduler(preset)
    base = _to_fsrs(state, now)
    maximum = preset.maximum_interval
    reps = state.reps + 1
    outcomes: dict[Rating, Outcome] = {}
    previous: int | None = None  # the last of Hard, Good, Easy that graduated, in days
    for rating in ratings:
        card, _ = scheduler.review_card(base, _FSRS_RATING[rating], now)
        due = card.due
        if card.state is fsrs.State.Review:
            days = max(1, round((due - now).total_seconds() / 86400))
            if draw is not None:
                days = fuzzed_days(days, draw, maximum)
            if rating is not Rating.AGAIN:
                if previous is not None and days <= previous:
                    days = min(previous + 1, maximum)
                previous = days
            due = now + timedelta(days=days)
        lapse = rating is Rating.AGAIN and state.state is CardState.REVIEW
        lapses = state.lapses + 1 if lapse else state.lapses
        after = SchedulingState(
            _STATE[card.state], card.step, card.stability, card.difficulty, due, now, reps, lapses
        )
        leech = lapse and is_leech(lapses, preset.leech_threshold)
        outcomes[rating] = Outcome(rating, after, due - now, leech)
    return Preview(now=now, outcomes=outcomes)


_RATINGS = tuple(Rating)
_FSRS_RATING = {rating: fsrs.Rating(int(rating)) for rating in Rating}
_STATE = {state: CardState(int(state)) for state in fsrs.State}


def replay_outcome(state: SchedulingState, preset: Preset, now: datetime, rating: Rating) -> Outcome:
    """The outcome of one past answer, without fuzz (for replaying an imported history).

    One scheduler call for the chosen rating: review intervals are whole days as in a
    preview, but Anki's spacing of Hard < Good < Easy (which needs the other buttons) is
    not applied.
    """
    now = now.astimezone(UTC)
    card, _ = _scheduler(preset).review_card(_to_fsrs(state, now), fsrs.Rating(int(rating)), now)
    due = card.due
    if card.state is fsrs.State.Review:
        due = now + timedelta(days=max(1, round((due - now).total_seconds() / 86400)))
    return _outcome(state, rating, card, due, now, preset)


def _outcome(
    before: SchedulingState,
    rating: Rating,
    card: fsrs.Card,
    due: datetime,
    now: datetime,
    preset: Preset,
) -> Outcome:
    lapse = before.state is CardState.REVIEW and rating is Rating.AGAIN
    lapses = before.lapses + (1 if lapse else 0)
    after = SchedulingState(
        state=CardState(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=due,
        last_review=now,
        reps=before.reps + 1,
        lapses=lapses,
    )
    return Outcome(
        rating=rating,
        state=after,
        interval=due - now,
        is_leech=lapse and is_leech(lapses, preset.leech_threshold),
    )


def is_leech(lapses: int, threshold: int) -> bool:
    """Anki's rule: a leech at the threshold, then again every half threshold."""
    if lapses < threshold:
        return False
    return (lapses - threshold) % max(1, threshold // 2) == 0


def retrievability(state: SchedulingState, preset: Preset, now: datetime) -> float | None:
    """Probability of recall now, or None for a card never reviewed."""
    if state.stability is None or state.last_review is None:
        return None
    card = _to_fsrs(state, now)
    return float(_scheduler(preset).get_card_retrievability(card, now.astimezone(UTC)))


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
