"""Rows to domain values and back, shared by the ORM queries and the raw SQL paths (no SQLAlchemy)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainer.core.cards import CardContent, hash_json
from trainer.core.columns import REVIEW_COLUMNS
from trainer.core.scheduling import CardState, Preset, SchedulingState, new_state
from trainer.store.values import from_millis, to_millis


@dataclass(frozen=True)
class DeckEntry:
    """A deck row with its preset id."""

    id: int
    name: str
    external_id: str | None
    preset_id: int


def preset_values(preset: Preset) -> dict[str, Any]:
    """Column values for a presets row (the one preset row builder)."""
    return {
        "name": preset.name,
        "parameters": json.dumps(list(preset.parameters)),
        "desired_retention": preset.desired_retention,
        "learning_steps": json.dumps(list(preset.learning_steps)),
        "relearning_steps": json.dumps(list(preset.relearning_steps)),
        "maximum_interval": preset.maximum_interval,
        "new_per_day": preset.new_per_day,
        "reviews_per_day": preset.reviews_per_day,
        "leech_threshold": preset.leech_threshold,
        "bury_siblings": preset.bury_siblings,
        "day_start_hour": preset.day_start_hour,
    }


PRESET_COLUMNS = tuple(preset_values(Preset()))  # every presets column but the id (a test checks)
_PRESET_JSON = frozenset({"parameters", "learning_steps", "relearning_steps"})


def preset_from_row(row: Sequence[Any]) -> Preset:
    """A core `Preset` from a presets row's values in `PRESET_COLUMNS` order."""
    values = dict(zip(PRESET_COLUMNS, row, strict=True))
    for name in _PRESET_JSON:
        values[name] = tuple(json.loads(values[name]))
    values["bury_siblings"] = bool(values["bury_siblings"])
    return Preset(**values)


def subtree(all_decks: Iterable[DeckEntry], name: str) -> list[DeckEntry]:
    """The deck called `name` and its subdecks."""
    prefix = name + "::"
    return [d for d in all_decks if d.name == name or d.name.startswith(prefix)]


_CARD_STATES = {int(s): s for s in CardState}  # a dict lookup: IntEnum's call is slow, and this is per card


def scheduling_state(row: Any) -> SchedulingState:
    """The scheduling columns of a card row (on the study path: built with `new_state`)."""
    state = _CARD_STATES.get(row.state)
    if state is None:
        state = CardState(row.state)  # raises the usual ValueError
    due, last = row.due, row.last_review
    return new_state(
        state,
        row.step,
        row.stability,
        row.difficulty,
        from_millis(due) if isinstance(due, int) else due,
        from_millis(last) if isinstance(last, int) else last,
        row.reps,
        row.lapses,
    )


def state_values(state: SchedulingState) -> dict[str, Any]:
    """Column values for a scheduling state, times as stored (epoch ms; `UtcMillis` takes them too)."""
    return {
        "state": int(state.state),
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": _ms(state.due),
        "last_review": _ms(state.last_review),
        "reps": state.reps,
        "lapses": state.lapses,
    }


def card_values(
    external_id: str,
    deck_id: int,
    content: CardContent,
    *,
    created_at: datetime,
    tags: str = "",
    position: int = 0,
    state: SchedulingState | None = None,
) -> dict[str, Any]:
    """The one row builder for a card added one at a time (every `trainer.core.columns` card
    column but the id; times in epoch ms): new unless `state` says otherwise, active, unflagged."""
    raw = content.to_json()
    scheduling = state_values(state or SchedulingState())
    stamp = to_millis(created_at)
    return {
        "external_id": external_id, "deck_id": deck_id, "kind": content.kind.value, "content": raw,
        "content_hash": hash_json(raw), "tags": tags, "source": "", "group_id": "", "position": position,
        "queue": scheduling["state"], **scheduling, "flag": 0, "buried_until": None,
        "created_at": stamp, "modified_at": stamp,
    }  # fmt: skip


REVIEW_INSERT_COLUMNS = REVIEW_COLUMNS[1:]  # every reviews column but the generated id
ReviewInsert = tuple[Any, ...]  # a reviews row in `REVIEW_INSERT_COLUMNS` order


def review_values(
    card_id: int,
    reviewed_at: datetime,
    rating: int,
    duration_ms: int,
    kind: str,
    before: SchedulingState,
    after: SchedulingState,
    undo_data: str = "",
) -> ReviewInsert:
    """The one review row builder: an answer (or a replayed one) from the states around it,
    in `REVIEW_INSERT_COLUMNS` order (times in epoch ms)."""
    return (
        card_id, to_millis(reviewed_at), int(rating), duration_ms, kind,
        int(before.state), before.step, before.stability, before.difficulty,
        _ms(before.due), _ms(before.last_review),
        int(after.state), after.step, after.stability, after.difficulty, _ms(after.due),
        undo_data,
    )  # fmt: skip


def _ms(value: datetime | None) -> int | None:
    return None if value is None else to_millis(value)


def split_tags(raw: str) -> tuple[str, ...]:
    """Stored tags (space separated) as a tuple."""
    return tuple(raw.split())


def join_tags(tags: Iterable[str]) -> str:
    """Tags as stored: space separated with a space on each side, for `LIKE '% tag %'`."""
    clean = [t.strip().replace(" ", "_") for t in tags if t.strip()]
    return f" {' '.join(dict.fromkeys(clean))} " if clean else ""
