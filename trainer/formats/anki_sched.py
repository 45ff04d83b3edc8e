"""Anki scheduling -> ours: due units, FSRS memory state, and the review log."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs_rs_python

from trainer.core.scheduling import DEFAULT_PARAMETERS, CardState, SchedulingState
from trainer.formats.model import ReviewRecord

DAY = 86400


@dataclass(frozen=True)
class AnkiCard:
    """The scheduling columns of one Anki card row."""

    id: int
    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    odue: int
    odid: int
    data: str
    left: int = 0  # remaining learning steps (v3: left % 1000)


@dataclass(frozen=True)
class AnkiReview:
    """One revlog row."""

    id: int  # epoch ms
    ease: int
    ivl: int  # days (>0) or -seconds
    time_ms: int
    type: int
    last_ivl: int = 0  # the interval before this answer: days (>0) or -seconds
    factor: int = 0  # ease factor in permille (SM-2), or FSRS difficulty as Anki logs it


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


_BEFORE = {0: CardState.LEARNING, 1: CardState.REVIEW, 2: CardState.RELEARNING}  # revlog type -> state


MANUAL_TYPES = (4, 5)  # revlog types of "Forget" / "Set due date" entries (ease 0): Manual, Rescheduled


def review_records(rows: Sequence[AnkiReview]) -> list[ReviewRecord]:
    """Logged answers, and Anki's "Forget" and "Set due date" entries as `manual` rows (rating 0):
    after a forget the card is new again (no due), after a set due date it is due in `ivl` days."""
    out: list[ReviewRecord] = []
    seen = False
    previous: datetime | None = None
    state = CardState.NEW
    for r in rows:
        at = _at(r.id / 1000)
        if r.ease == 0 and r.type in MANUAL_TYPES:
            after = CardState.REVIEW if r.ivl > 0 else CardState.NEW
            due = at + timedelta(days=r.ivl) if r.ivl > 0 else None
            out.append(
                ReviewRecord(
                    reviewed_at=at,
                    rating=0,
                    state_before=state,
                    state_after=after,
                    due_after=due,
                    kind="manual",
                    anki=(r.factor, r.type, r.ivl, r.last_ivl),
                )
            )
            state = after
            seen = seen and after is not CardState.NEW
            continue
        if not 1 <= r.ease <= 4 or r.type == 4:
            continue
        before = _BEFORE.get(r.type, CardState.REVIEW)
        if r.type == 0 and not seen:
            before = CardState.NEW
        seen = True
        last_before = due_before = None
        if before is CardState.REVIEW and r.last_ivl > 0:  # what tells a mature review from a young one
            last_before = previous or at - timedelta(days=r.last_ivl)
            due_before = last_before + timedelta(days=r.last_ivl)
        previous = at
        if r.ivl > 0:
            after, due = CardState.REVIEW, at + timedelta(days=r.ivl)
        else:
            after = CardState.LEARNING if r.type == 0 else CardState.RELEARNING
            due = at + timedelta(seconds=-r.ivl)
        state = after
        out.append(
            ReviewRecord(
                reviewed_at=at, rating=r.ease, duration_ms=max(0, min(r.time_ms, 60_000)),
                state_before=before, state_after=after, due_after=due, due_before=due_before,
                last_review_before=last_before, anki=(r.factor, r.type, r.ivl, r.last_ivl),
            )
        )  # fmt: skip
    return out


def answers(history: Sequence[ReviewRecord]) -> Sequence[ReviewRecord]:
    """The answers that make the card's memory: those after its last "Forget" (manual rows left out)."""
    start = 0
    for i, record in enumerate(history):
        if record.kind == "manual" and record.state_after is CardState.NEW:
            start = i + 1
    chosen = history[start:]
    return [r for r in chosen if r.kind != "manual"] if any(r.kind == "manual" for r in chosen) else chosen


def learning_step(left: int, steps: int) -> int:
    """Our 0-based step from Anki's `left` (remaining steps in `left % 1000`) and the step count."""
    if steps <= 0:
        return 0
    remaining = left % 1000
    return min(steps - 1, max(0, steps - remaining))


def card_state(
    card: AnkiCard, crt: int, reviews: Sequence[ReviewRecord], steps: tuple[int, int] = (2, 1)
) -> tuple[SchedulingState, bool]:
    """Our scheduling state for an Anki card, and whether it had an FSRS memory state.

    `steps` are the number of learning and relearning steps in the card's deck options.
    """
    state = CardState(card.type) if 0 <= card.type <= 3 else CardState.NEW
    if state is CardState.NEW:
        return SchedulingState(), False
    due_value = card.odue if card.odid and card.odue else card.due
    # (re)learning in the intraday queue: epoch seconds; else days since the creation day
    due = _at(due_value) if due_value > 1_000_000_000 else _at(crt + due_value * DAY)
    try:
        data = json.loads(card.data) if card.data else {}
    except (ValueError, RecursionError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    stability, difficulty = data.get("s"), data.get("d")
    lrt = data.get("lrt")
    last_review = None
    if isinstance(lrt, int | float) and lrt > 0:
        last_review = _at(lrt)
    elif answered := answers(reviews):
        last_review = answered[-1].reviewed_at
    elif state is CardState.REVIEW:
        last_review = due - timedelta(days=max(card.ivl, 1))
    has_memory = isinstance(stability, int | float) and isinstance(difficulty, int | float)
    return (
        SchedulingState(
            state=state,
            step=None
            if state is CardState.REVIEW
            else learning_step(card.left, steps[0] if state is CardState.LEARNING else steps[1]),
            stability=float(stability) if has_memory else None,  # type: ignore[arg-type]
            difficulty=float(difficulty) if has_memory else None,  # type: ignore[arg-type]
            due=due,
            last_review=last_review,
            reps=card.reps,
            lapses=card.lapses,
        ),
        has_memory,
    )


def fill_memory_states(
    states: list[SchedulingState],
    histories: list[list[ReviewRecord]],
    cards: list[AnkiCard],
    crt: int,
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> list[SchedulingState]:
    """Memory states for cards with only SM-2 history, computed in one batch by fsrs-rs."""
    model = fsrs_rs_python.FSRS(list(parameters))
    items: list[fsrs_rs_python.FSRSItem] = []
    index: list[int] = []
    out = list(states)
    for i, (history, card) in enumerate(zip(histories, cards, strict=True)):
        reviews = _fsrs_reviews(answers(history), crt)
        if reviews:
            items.append(fsrs_rs_python.FSRSItem(reviews))
            index.append(i)
        else:
            out[i] = _from_sm2(model, out[i], card)
    if items:
        memories: list[fsrs_rs_python.MemoryState | None]
        try:
            memories = list(model.memory_state_batch(items))
        except (ValueError, RuntimeError):
            memories = [None for _ in items]
        for i, memory in zip(index, memories, strict=True):
            if memory is None or not _finite(memory.stability, memory.difficulty):
                out[i] = _from_sm2(model, out[i], cards[i])
            else:
                out[i] = _with(out[i], memory.stability, memory.difficulty)
    return out


def _fsrs_reviews(history: Sequence[ReviewRecord], crt: int) -> list[fsrs_rs_python.FSRSReview]:
    reviews: list[fsrs_rs_python.FSRSReview] = []
    previous: int | None = None
    for record in history:
        day = math.floor((record.reviewed_at.timestamp() - crt) / DAY)
        reviews.append(fsrs_rs_python.FSRSReview(record.rating, 0 if previous is None else day - previous))
        previous = day
    return reviews


def _from_sm2(model: fsrs_rs_python.FSRS, state: SchedulingState, card: AnkiCard) -> SchedulingState:
    ease = card.factor / 1000 if card.factor >= 1300 else 2.5
    memory = model.memory_state_from_sm2(ease, float(max(card.ivl, 1)), 0.9)
    return _with(state, memory.stability, memory.difficulty)


def _with(state: SchedulingState, stability: float, difficulty: float) -> SchedulingState:
    return SchedulingState(
        state=state.state, step=state.step, stability=float(stability),
        difficulty=min(10.0, max(1.0, float(difficulty))), due=state.due,
        last_review=state.last_review, reps=state.reps, lapses=state.lapses,
    )  # fmt: skip


def _finite(*values: float) -> bool:
    return all(math.isfinite(v) and v > 0 for v in values)
