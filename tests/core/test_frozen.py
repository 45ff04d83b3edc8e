"""The fast builders of the study path make the same instances as the dataclasses' own __init__."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from trainer.core.cards import CardContent, CardKind
from trainer.core.frozen import build
from trainer.core.scheduling import CardState, Outcome, Rating, SchedulingState, new_state
from trainer.views import CardView

NOW = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize("cls", [SchedulingState, Outcome, CardContent, CardView])
def test_built_classes_have_no_slots_nor_post_init(cls: type) -> None:
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert not hasattr(cls, "__post_init__")
    assert "__slots__" not in cls.__dict__


def test_build_equals_init_in_fields_equality_hash_and_repr() -> None:
    fields: dict[str, Any] = {
        "state": CardState.REVIEW, "step": None, "stability": 3.5, "difficulty": 5.25, "due": NOW,
        "last_review": NOW - timedelta(days=3), "reps": 4, "lapses": 1,
    }  # fmt: skip
    made, plain = build(SchedulingState, dict(fields)), SchedulingState(**fields)
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert dataclasses.asdict(made) == dataclasses.asdict(plain)
    assert dataclasses.replace(made, reps=5) == SchedulingState(**{**fields, "reps": 5})
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.reps = 9  # type: ignore[misc]
    assert new_state(CardState.REVIEW, None, 3.5, 5.25, NOW, NOW - timedelta(days=3), 4, 1) == plain
    outcome = build(
        Outcome, {"rating": Rating.GOOD, "state": made, "interval": timedelta(days=3), "is_leech": False}
    )
    assert outcome == Outcome(Rating.GOOD, plain, timedelta(days=3))


def test_content_from_dict_gives_every_field() -> None:
    content = CardContent(
        CardKind.TYPED, front="Q", back="A", answers=("a", "b"), media=("x.png",), cloze_ord=2
    )
    parsed = CardContent.from_json(content.to_json())
    assert parsed == content and vars(parsed).keys() == {f.name for f in dataclasses.fields(CardContent)}
