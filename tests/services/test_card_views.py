"""Card views and scheduling states built from store rows (the study path's fast builders)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from trainer.core.cards import CardContent, CardKind
from trainer.core.scheduling import CardState, SchedulingState
from trainer.services.card_views import card_view
from trainer.store.rows import scheduling_state
from trainer.views import CardView


def test_card_view_and_scheduling_state_from_a_row() -> None:
    content = CardContent(CardKind.BASIC, "Q", "A").to_json()
    row = SimpleNamespace(
        id=7, external_id="e7", deck_id=2, content=content, tags=" a b ", source="s", group_id="g",
        state=1, step=0, stability=2.5, difficulty=4.0, due=1_700_000_000_123, last_review=1_699_999_000_000,
        reps=2, lapses=0, queue=1, flag=0, buried_until=None,
    )  # fmt: skip
    state = scheduling_state(row)
    assert state == SchedulingState(CardState.LEARNING, 0, 2.5, 4.0,
                                    datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC),
                                    datetime(2023, 11, 14, 21, 56, 40, tzinfo=UTC), 2, 0)  # fmt: skip
    view = card_view(row, {2: "Deck"})
    assert view == CardView(7, "e7", 2, "Deck", CardContent(CardKind.BASIC, "Q", "A"), ("a", "b"), "s", "g",
                            state, 1, 0, None)  # fmt: skip
    assert vars(view).keys() == {f.name for f in dataclasses.fields(CardView)}
    with pytest.raises(ValueError):
        scheduling_state(SimpleNamespace(**{**vars(row), "state": 9}))
