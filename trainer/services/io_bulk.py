"""Bulk database work for import and export, at the driver: one executemany per table written,
one fetchall per select read.

This is the one place that goes under SQLAlchemy's result and parameter processing, and only
for whole tables of plain values (ints, floats, text; times as epoch milliseconds): measured on
20,000 cards, an insert of dicts through `session.execute` and a read into `Row` objects cost
a large share of an import or export (see docs/PERFORMANCE.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, Table
from sqlalchemy.orm import Session


def bulk_insert(session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """One driver-level executemany of raw column values (times in epoch ms), no per-row processing."""
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


def driver_rows(session: Session, statement: Select[Any]) -> list[tuple[Any, ...]]:
    """A select's rows as the driver's plain tuples: only for columns that need no result
    processing (ints, floats, text; times selected as their stored integers)."""
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    if compiled.positional:
        args: Any = tuple(params[name] for name in compiled.positiontup or ())
    else:
        args = params
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(compiled.string, args)
        return list(cursor.fetchall())
    finally:
        cursor.close()
