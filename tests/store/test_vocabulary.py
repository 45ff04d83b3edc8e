"""The plain-SQL paths and the row builders use the column names of `trainer.core.columns`."""

from __future__ import annotations

from datetime import UTC, datetime

from trainer.core import columns
from trainer.core.cards import CardContent, CardKind
from trainer.core.scheduling import CardState, SchedulingState
from trainer.store.models import PresetRow, insert_columns
from trainer.store.rows import PRESET_COLUMNS, REVIEW_INSERT_COLUMNS, card_values, review_values

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
STAMP = int(NOW.timestamp() * 1000)
CONTENT = CardContent(kind=CardKind.BASIC, front="q", back="a")


def test_the_row_builders_fill_every_insert_column() -> None:
    assert insert_columns(PresetRow) == PRESET_COLUMNS
    assert columns.REVIEW_COLUMNS[1:] == REVIEW_INSERT_COLUMNS
    assert set(card_values("x/1", 1, CONTENT, created_at=NOW)) == set(columns.CARD_COLUMNS[1:])
    assert len(review_values(7, NOW, 3, 1, "review", SchedulingState(), SchedulingState())) == len(
        REVIEW_INSERT_COLUMNS
    )


def test_the_builders_store_times_as_epoch_ms() -> None:
    state = SchedulingState(
        state=CardState.REVIEW, stability=3.0, difficulty=5.0, due=NOW, last_review=NOW, reps=1
    )
    row = card_values("x/1", 1, CONTENT, created_at=NOW, state=state)
    assert (row["due"], row["created_at"], row["queue"], row["state"]) == (STAMP, STAMP, 2, 2)
    review = dict(
        zip(
            REVIEW_INSERT_COLUMNS,
            review_values(7, NOW, 3, 1200, "review", SchedulingState(), state),
            strict=True,
        )
    )
    assert (review["reviewed_at"], review["due_after"], review["state_before"], review["state_after"]) == (
        STAMP,
        STAMP,
        0,
        2,
    )
