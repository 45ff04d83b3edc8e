"""The store's `cards` and `reviews` tables have exactly the columns `trainer.core.columns` names."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from trainer.core import columns
from trainer.store.models import CardRow, ReviewRow, UtcMillis, insert_columns


def _table(model: type[CardRow] | type[ReviewRow]) -> Table:
    return cast(Table, model.__table__)


def test_the_models_declare_the_named_columns_in_order() -> None:
    assert tuple(c.name for c in _table(CardRow).columns) == columns.CARD_COLUMNS
    assert tuple(c.name for c in _table(ReviewRow).columns) == columns.REVIEW_COLUMNS
    assert insert_columns(CardRow) == columns.CARD_COLUMNS[1:]
    assert insert_columns(ReviewRow) == columns.REVIEW_COLUMNS[1:]


def test_the_named_times_are_the_time_columns() -> None:
    for model, times in ((CardRow, columns.CARD_TIMES), (ReviewRow, columns.REVIEW_TIMES)):
        assert {c.name for c in _table(model).columns if isinstance(c.type, UtcMillis)} == set(times)


def test_the_schedule_columns_are_card_columns() -> None:
    assert set(columns.SCHEDULE_COLUMNS) <= set(columns.CARD_COLUMNS)


def test_the_export_projections_name_stored_columns() -> None:
    from trainer.services.io_export import RECORD_CARD, RECORD_REVIEW

    assert set(RECORD_CARD) <= set(columns.CARD_COLUMNS)
    assert set(RECORD_REVIEW) <= set(columns.REVIEW_COLUMNS)
