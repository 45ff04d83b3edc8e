"""Training items for the FSRS optimiser, built from review histories as Anki builds them.

A card's history is its answers in time order. Each answer gets a day gap (`delta_t`,
in study days, via `trainer.core.days`) from the previous one; same-day answers have a
gap of 0 and stay in the history. One training item is made for every answer after the
first whose gap is at least a day: the history up to and including that answer.
A history restarts at a reset (a `reset_before` answer, e.g. after "forget").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from trainer.core import days

MIN_ITEMS = 400


@dataclass(frozen=True)
class Answer:
    """One answer in a card's history."""

    at: datetime
    rating: int
    reset_before: bool = False
    new_before: bool = False  # given to a new card (a history that starts here is complete)


@dataclass(frozen=True)
class Step:
    """One answer as the optimiser sees it: rating and day gap."""

    rating: int
    delta_t: int


@dataclass(frozen=True)
class TrainingItem:
    """A history to predict its last answer from, with the time of that answer."""

    card_id: int
    steps: tuple[Step, ...]
    at: datetime


def history_steps(answers: Sequence[Answer], zone: tzinfo, start_hour: int) -> list[Step]:
    """The card's current history (since its last reset) as steps with day gaps."""
    steps: list[Step] = []
    previous = None
    for answer in _since_reset(answers):
        if not 1 <= answer.rating <= 4:
            continue
        day = days.study_date(answer.at, zone, start_hour)
        steps.append(Step(answer.rating, 0 if previous is None else (day - previous).days))
        previous = day
    return steps


def items_for_card(
    card_id: int, answers: Sequence[Answer], zone: tzinfo, start_hour: int
) -> list[TrainingItem]:
    """Training items of one card."""
    steps = history_steps(answers, zone, start_hour)
    kept = [a for a in _since_reset(answers) if 1 <= a.rating <= 4]
    return [
        TrainingItem(card_id, tuple(steps[: index + 1]), kept[index].at)
        for index in range(1, len(steps))
        if steps[index].delta_t > 0
    ]


def _since_reset(answers: Sequence[Answer]) -> Sequence[Answer]:
    start = 0
    for index, answer in enumerate(answers):
        if answer.reset_before:
            start = index
    return answers[start:]


def training_items(
    histories: Iterable[tuple[int, Sequence[Answer]]], zone: tzinfo, start_hour: int
) -> list[TrainingItem]:
    """Items of every card, ordered by the time of the answer they predict."""
    items: list[TrainingItem] = []
    for card_id, answers in histories:
        items.extend(items_for_card(card_id, answers, zone, start_hour))
    items.sort(key=lambda item: (item.at, item.card_id))
    return items


def refusal(items: Sequence[TrainingItem], minimum: int = MIN_ITEMS) -> str | None:
    """Why optimising would be unwise, or None when there is enough history."""
    if len(items) < minimum:
        return (
            f"not enough review history to optimise: {len(items)} reviews after a day's gap, "
            f"at least {minimum} are needed"
        )
    return None
