"""Rows to domain values and back, shared by the ORM queries and the raw SQL paths (no SQLAlchemy)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from trainer.core.scheduling import CardState, Preset, SchedulingState
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


def scheduling_state(row: Any) -> SchedulingState:
    """The scheduling columns of a card row."""
    return SchedulingState(
        state=CardState(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=from_millis(row.due) if isinstance(row.due, int) else row.due,
        last_review=from_millis(row.last_review) if isinstance(row.last_review, int) else row.last_review,
        reps=row.reps,
        lapses=row.lapses,
    )


def state_values(state: SchedulingState) -> dict[str, Any]:
    """Column values for a scheduling state, times as stored (epoch ms; `UtcMillis` takes them too)."""
    return {
        "state": int(state.state),
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": None if state.due is None else to_millis(state.due),
        "last_review": None if state.last_review is None else to_millis(state.last_review),
        "reps": state.reps,
        "lapses": state.lapses,
    }


def split_tags(raw: str) -> tuple[str, ...]:
    """Stored tags (space separated) as a tuple."""
    return tuple(raw.split())


def join_tags(tags: Iterable[str]) -> str:
    """Tags as stored: space separated with a space on each side, for `LIKE '% tag %'`."""
    clean = [t.strip().replace(" ", "_") for t in tags if t.strip()]
    return f" {' '.join(dict.fromkeys(clean))} " if clean else ""
