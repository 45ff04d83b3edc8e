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

import fsrs_rs_python as rs

from trainer.core import days

MIN_ITEMS = 400
ANKI_EPOCHS = 8  # Anki trains for 8 epochs (fsrs-rs's default is 5)


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


def fit_as_anki(
    parameters: Sequence[float], items: Sequence[TrainingItem], relearning_steps: int
) -> tuple[float, ...]:
    """New parameters for `items` (in time order) with Anki's training inputs: the card of each
    item, the preset's relearning-step count, short-term scheduling on, Anki's epochs."""
    fitted = rs.FSRS(list(parameters)).compute_parameters(
        [rs.FSRSItem([rs.FSRSReview(s.rating, s.delta_t) for s in item.steps]) for item in items],
        card_ids=[item.card_id for item in items],
        enable_short_term=True,
        num_relearning_steps=relearning_steps,
        training_config=rs.TrainingConfig(num_epochs=ANKI_EPOCHS),
    )
    return tuple(float(w) for w in fitted)


def anki_keeps_current(
    current: Sequence[float], current_loss: float, new_loss: float, relearning_steps: int
) -> bool:
    """Anki's rule for discarding freshly fitted parameters.

    The current ones stay when they predict the history at least as well, except with
    several relearning steps, where they stay only if they make a lapsed card's memory
    shrink over those steps (stability 1 after a lapse two days on, then Good on each step,
    ending below 1); otherwise the fitted ones replace them.
    """
    if current_loss > new_loss:
        return False
    if relearning_steps <= 1:
        return True
    model = rs.FSRS(list(current))
    memory = model.next_states(rs.MemoryState(1.0, 1.0), 0.9, 2).again.memory
    for _ in range(relearning_steps):
        memory = model.next_states(memory, 0.9, 0).good.memory
    return bool(memory.stability < 1.0)
