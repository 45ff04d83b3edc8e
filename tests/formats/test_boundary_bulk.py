"""The column-at-a-time check of the import boundary never passes a card the per-card check refuses."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.core.cards import CardContent, CardKind
from trainer.core.scheduling import CardState, SchedulingState
from trainer.formats.boundary import _all_clean, _card_problems
from trainer.formats.model import CardRecord, ReviewRecord

AT = datetime(2026, 5, 1, 12, tzinfo=UTC)
STATE = SchedulingState(CardState.REVIEW, None, 12.5, 5.0, AT + timedelta(days=9), AT, 3, 1)
REVIEW = ReviewRecord(
    AT, 3, 4000, CardState.REVIEW, CardState.REVIEW, AT + timedelta(days=9), 12.5, 5.0,
    step_before=None, stability_before=4.0, difficulty_before=5.2, due_before=AT, last_review_before=AT,
)  # fmt: skip
CARD = CardRecord(
    "anki/abc/0", "Deck", CardContent(CardKind.BASIC, "front", "back", media=("a.png",)), ("tag",),
    "anki/abc", "source", 3, STATE, flag=2, reviews=[REVIEW],
)  # fmt: skip

values = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            False,
            0,
            1,
            2,
            3,
            4,
            7,
            8,
            -1,
            2**31,
            2**63,
            -(2**63),
            3.0,
            0.5,
            1e9,
            1e10,
            math.nan,
            math.inf,
            -math.inf,
            "",
            "x",
            "x" * 1001,
            "manual",
            "review",
            (),
            ("x",),
            ["x"],
            (1,),
            ("x",) * 1001,
            AT,
            AT.replace(tzinfo=None),
            datetime(1899, 12, 31, tzinfo=UTC),
            datetime(3000, 1, 1, tzinfo=UTC),
            AT.astimezone(timezone(timedelta(hours=5))),
            CardState.LEARNING,
            CardKind.CLOZE,
            "basic",
            b"x",
        ]
    ),
    st.integers(),
    st.floats(),
    st.text(max_size=3),
)
CARD_FIELDS = ("external_id", "group", "source", "position", "flag", "tags")
CONTENT_FIELDS = (
    "kind", "front", "back", "text", "hint", "note", "group_title", "cloze_ord", "answers", "distractors",
    "media",
)  # fmt: skip
STATE_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
REVIEW_FIELDS = (
    "reviewed_at", "rating", "duration_ms", "state_before", "state_after", "due_after", "stability_after",
    "difficulty_after", "kind", "step_before", "stability_before", "difficulty_before", "due_before",
    "last_review_before", "step_after",
)  # fmt: skip
places = st.one_of(
    st.tuples(st.just("card"), st.sampled_from(CARD_FIELDS)),
    st.tuples(st.just("content"), st.sampled_from(CONTENT_FIELDS)),
    st.tuples(st.just("state"), st.sampled_from(STATE_FIELDS)),
    st.tuples(st.just("review"), st.sampled_from(REVIEW_FIELDS)),
)


def spoiled(changes: list[tuple[tuple[str, str], Any]]) -> CardRecord:
    card = replace(CARD, reviews=list(CARD.reviews))
    for (part, name), value in changes:
        if part == "card":
            setattr(card, name, value)
        elif part == "content":
            card.content = replace(card.content, **{name: value})
        elif part == "state" and card.scheduling is not None:
            card.scheduling = replace(card.scheduling, **{name: value})
        elif part == "review":
            card.reviews = [replace(card.reviews[0], **{name: value})]
    return card


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(places, values), min_size=1, max_size=3), st.booleans())
def test_a_clean_column_check_means_every_card_passes(changes: list[Any], scheduling: bool) -> None:
    try:
        card = spoiled(changes)
    except (TypeError, ValueError):
        return  # a value a dataclass itself refuses
    cards = [CARD, card]
    if _all_clean(cards, scheduling):
        assert [list(_card_problems(c, scheduling)) for c in cards] == [[], []]


def test_the_usual_card_takes_the_column_check() -> None:
    assert _all_clean([CARD, CARD], True)
    assert not _all_clean([CARD, spoiled([(("state", "stability"), math.nan)])], True)
    assert not _all_clean([spoiled([(("review", "rating"), 0)])], True)
    assert _all_clean([spoiled([(("review", "rating"), 0), (("review", "kind"), "manual")])], True)
