"""Bulk database work for import and export: one driver-level executemany per table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from trainer.core.cards import CardKind

KIND_VALUE = {kind: kind.value for kind in CardKind}  # `kind.value` is a Python-level property


def bulk_insert(session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """One driver-level executemany of raw column values (times as epoch ms), no per-row processing."""
    if rows:
        _insert(session, table, columns, rows)


def _insert(session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    compiled = table.insert().compile(dialect=session.get_bind().dialect, column_keys=list(columns))
    if compiled.positional:
        names = list(compiled.positiontup or ())
        if names == list(columns):
            params: list[Any] = rows
        else:
            order = [columns.index(name) for name in names]
            params = [tuple(row[i] for i in order) for row in rows]
    else:
        params = [dict(zip(columns, row, strict=True)) for row in rows]
    session.connection().exec_driver_sql(compiled.string, params)
