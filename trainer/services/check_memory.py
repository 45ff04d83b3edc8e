"""`check`'s scheduling part: each card against its review log, and its FSRS memory state.

What is checked:
- a card's state, step and due date against the outcome its last logged answer stored
  (answers made here, and imported histories that carry outcomes; an Anki package's log
  carries none, its cards' columns come from Anki's own card rows), and its memory state
  too while nothing has changed the card since that answer (an optimiser run or a reset
  changes memory states on purpose);
- that a card which has been answered has a usable memory state (stability > 0,
  difficulty 1-10).

A repair never discards data. A memory state is recomputed only from a complete review
log (the history since the card was last new), with the card's preset and the same
study-day rule as every other computation; where the log is incomplete, the card's own
memory state is kept; a card with none and no complete log gets Anki's estimate from its
interval (fsrs-rs's SM-2 conversion), and the report says so.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import fsrs_rs_python as rs
from sqlalchemy import text
from sqlalchemy.orm import Session

from trainer.core.days import study_days_between
from trainer.core.optimize import Answer, history_steps
from trainer.core.scheduling import Preset, stored_memory
from trainer.store import repo
from trainer.store.models import QUEUE_BURIED, QUEUE_SUSPENDED, from_millis, to_millis

Report = Callable[[str, str, int | None, bool], None]


@dataclass(frozen=True)
class _Last:
    """A card's latest logged answer and what it stored."""

    kind: str
    reviewed_at: int
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: int | None


def check_cards(session: Session, report: Report, repair: bool, zone: tzinfo, now: datetime) -> None:
    """Report (and with `repair`, mend) cards out of step with their log or without memory."""
    presets = repo.presets(session)
    preset_of_deck = {d.id: presets.get(d.preset_id, Preset()) for d in repo.decks(session)}
    histories = _histories(session)
    last = _last_answers(session)
    cards = session.execute(
        text(
            "SELECT id, deck_id, state, step, stability, difficulty, due, last_review, modified_at, queue"
            " FROM cards WHERE state != 0 OR id IN (SELECT card_id FROM reviews)"
        )
    )
    for card_id, deck_id, state, step, stability, difficulty, due, last_review, modified_at, queue in cards:
        preset = preset_of_deck.get(deck_id, Preset())
        row = last.get(card_id)
        if row is not None and row.state is not None and _has_outcome(row):
            reset = state == 0 and stability is None and modified_at >= row.reviewed_at
            # an answer writes the card and its log row together: untouched since, they must agree
            untouched = row.kind == "review" and modified_at == row.reviewed_at
            drifted = untouched and (stability, difficulty) != (row.stability, row.difficulty)
            if not reset and ((state, step, due) != (row.state, row.step, row.due) or drifted):
                _restore(session, report, repair, card_id, row, queue, (stability, difficulty),
                         histories.get(card_id, []), preset, zone, to_millis(now))  # fmt: skip
                continue
        if state != 0 and not _usable(stability, difficulty):
            interval = _days(last_review, due, zone, preset) if state == 2 else 1
            _recompute(session, report, repair, card_id, histories.get(card_id, []), preset, zone, interval)


def _days(last_review: int | None, due: int | None, zone: tzinfo, preset: Preset) -> int:
    """The interval a review card was given, in study days (1 when unknown)."""
    if last_review is None or due is None:
        return 1
    return max(1, study_days_between(from_millis(last_review), from_millis(due), zone, preset.day_start_hour))


def _has_outcome(row: _Last) -> bool:
    """Whether the log row records what the answer stored (an Anki import's rows do not)."""
    return row.kind in ("review", "manual") or row.stability is not None


def _usable(stability: float | None, difficulty: float | None) -> bool:
    if stability is None or difficulty is None:
        return False
    return math.isfinite(stability) and stability > 0 and math.isfinite(difficulty) and 1 <= difficulty <= 10


def _restore(
    session: Session,
    report: Report,
    repair: bool,
    card_id: int,
    row: _Last,
    queue: int,
    memory: tuple[float | None, float | None],
    history: list[Answer],
    preset: Preset,
    zone: tzinfo,
    now: int,
) -> None:
    """Put a card's state, step and due date back to its last answer's; keep or rebuild its memory."""
    computed = memory_from_log(history, preset, zone)
    new_memory: tuple[float | None, float | None]
    if computed is not None:
        new_memory, how = computed, "memory state recomputed from its complete review log"
    elif _usable(*memory):
        new_memory, how = (memory[0], memory[1]), "memory state kept (its review log is incomplete)"
    elif _usable(row.stability, row.difficulty):
        new_memory, how = (row.stability, row.difficulty), "memory state taken from its last answer"
    else:
        new_memory, how = (memory[0], memory[1]), "memory state left as it is (no complete log)"
    message = f"card {card_id}'s schedule disagrees with its last review"
    report("log", message + (f": state and due date restored, {how}" if repair else ""), card_id, repair)
    if not repair:
        return
    values: dict[str, Any] = {
        "state": row.state, "step": row.step, "due": row.due, "last_review": row.reviewed_at,
        "stability": new_memory[0], "difficulty": new_memory[1], "id": card_id, "now": now,
    }  # fmt: skip
    assignments = "state = :state, step = :step, due = :due, last_review = :last_review, "
    assignments += "stability = :stability, difficulty = :difficulty, modified_at = :now"
    if queue not in (QUEUE_SUSPENDED, QUEUE_BURIED):
        assignments += ", queue = :state"
    session.execute(text(f"UPDATE cards SET {assignments} WHERE id = :id"), values)


def _recompute(
    session: Session,
    report: Report,
    repair: bool,
    card_id: int,
    history: list[Answer],
    preset: Preset,
    zone: tzinfo,
    interval: int,
) -> None:
    computed = memory_from_log(history, preset, zone)
    how = "recomputed from its complete review log"
    if computed is None:  # Anki's way for a card without a complete history: from its interval
        computed = memory_from_interval(interval, preset)
        how = f"its review log is incomplete: estimated from its {interval}-day interval, as Anki does"
    message = f"card {card_id} has been answered but has no usable memory state"
    report("memory", message + (f": {how}" if repair else ""), card_id, repair)
    if repair:
        session.execute(
            text("UPDATE cards SET stability = :s, difficulty = :d WHERE id = :id"),
            {"s": computed[0], "d": computed[1], "id": card_id},
        )


def memory_from_interval(interval: int, preset: Preset) -> tuple[float, float]:
    """Anki's memory state for a card known only by its interval (fsrs-rs's SM-2 conversion,
    with Anki's starting ease of 2.5)."""
    state = rs.FSRS(list(preset.parameters)).memory_state_from_sm2(2.5, float(max(1, interval)), 0.9)
    stability, difficulty = stored_memory(state.stability, state.difficulty)
    return stability, min(10.0, max(1.0, difficulty))


def memory_from_log(history: list[Answer], preset: Preset, zone: tzinfo) -> tuple[float, float] | None:
    """The memory state from a card's complete history (since it was last new), or None when the
    log does not begin with the card's first answer."""
    if not history or not _starts_new(history):
        return None
    steps = history_steps(history, zone, preset.day_start_hour)
    if not steps:
        return None
    item = rs.FSRSItem([rs.FSRSReview(s.rating, s.delta_t) for s in steps])
    state = rs.FSRS(list(preset.parameters)).memory_state(item)
    return stored_memory(state.stability, state.difficulty)


def _starts_new(history: list[Answer]) -> bool:
    """Whether the history since the last reset begins with an answer to a new card."""
    start = max((i for i, a in enumerate(history) if a.reset_before), default=0)
    return history[start].new_before


def _histories(session: Session) -> dict[int, list[Answer]]:
    out: dict[int, list[Answer]] = defaultdict(list)
    rows = session.execute(
        text(
            "SELECT card_id, reviewed_at, rating, state_before FROM reviews"
            " WHERE kind IN ('review', 'import') AND rating BETWEEN 1 AND 4 ORDER BY card_id, reviewed_at, id"
        )
    )
    for card_id, at, rating, state_before in rows:
        answers = out[int(card_id)]
        new = state_before == 0
        answers.append(Answer(from_millis(int(at)), int(rating), bool(answers) and new, new))
    return out


def _last_answers(session: Session) -> dict[int, _Last]:
    rows = session.execute(
        text(
            "SELECT r.card_id, r.kind, r.reviewed_at, r.state_after, r.step_after, r.stability_after,"
            " r.difficulty_after, r.due_after FROM reviews r JOIN (SELECT card_id, max(id) AS last_id"
            " FROM reviews WHERE kind IN ('review', 'manual', 'import') GROUP BY card_id) l"
            " ON r.id = l.last_id"
        )
    )
    return {int(row[0]): _Last(*row[1:]) for row in rows}
