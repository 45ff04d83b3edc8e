"""Bulk database work for import and export: driver-level executemany and a paused collector."""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, DropIndex

from trainer.core.cards import CardContent, CardKind

_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_STR = json.encoder.encode_basestring  # the C string encoder `json.dumps(ensure_ascii=False)` uses
_SHA256 = hashlib.sha256
_KIND_JSON = {kind: f'"kind": {_STR(kind.value)}' for kind in CardKind}
REBUILD_MIN = 1000  # rows: fewer are inserted into the indexes as they are
KIND_VALUE = {kind: kind.value for kind in CardKind}  # `kind.value` is a Python-level property


def bulk_insert(session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """One driver-level executemany of raw column values (times as epoch ms), no per-row processing.

    On SQLite, when the rows outnumber those already in the table, the table's secondary
    indexes are dropped first and built again after, in the same transaction (building an
    index from sorted rows is cheaper than as many random inserts; a failure rolls back both).
    """
    if not rows:
        return
    with _indexes_rebuilt(session, table, len(rows)):
        _insert(session, table, columns, rows)


@contextmanager
def _indexes_rebuilt(session: Session, table: Table, count: int) -> Iterator[None]:
    """Drop `table`'s secondary indexes (from the models) for a large insert and create them after."""
    connection = session.connection()
    indexes = sorted(table.indexes, key=lambda index: str(index.name))
    if connection.dialect.name != "sqlite" or not indexes or count <= REBUILD_MIN:
        yield
        return
    existing = connection.execute(select(func.count()).select_from(table)).scalar() or 0
    if count <= existing:
        yield
        return
    for index in indexes:
        connection.execute(DropIndex(index, if_exists=True))
    yield
    for index in indexes:
        connection.execute(CreateIndex(index))


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


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk import or export.

    These loops allocate hundreds of thousands of small acyclic objects; the collector's
    repeated full passes over them cost more than the work itself (2x on 20,000 cards).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def content_json(content: CardContent) -> tuple[str, str]:
    """`content.to_json()` and `content.content_hash()` (equal to them), built without a dict per card.

    The JSON is assembled in `to_dict`'s sorted key order from C-encoded strings; anything
    unusual (a value that is not exactly a str, an int that is not exactly an int) takes the
    general encoder.
    """
    try:
        raw = _fast_json(content)
    except TypeError:
        raw = _ENCODE(content.to_dict())
    return raw, _SHA256(raw.encode()).hexdigest()[:16]


def _fast_json(c: CardContent) -> str:
    """Canonical content JSON; TypeError when a value is not of its declared type."""
    parts: list[str] = []
    if c.answers:
        parts.append(f'"answers": [{", ".join([_STR(a) for a in c.answers])}]')
    if c.back:
        parts.append(f'"back": {_STR(c.back)}')
    if c.cloze_ord:
        if type(c.cloze_ord) is not int:
            raise TypeError("cloze_ord")
        parts.append(f'"cloze_ord": {int.__repr__(c.cloze_ord)}')
    if c.distractors:
        parts.append(f'"distractors": [{", ".join([_STR(d) for d in c.distractors])}]')
    if c.front:
        parts.append(f'"front": {_STR(c.front)}')
    if c.group_title:
        parts.append(f'"group_title": {_STR(c.group_title)}')
    if c.hint:
        parts.append(f'"hint": {_STR(c.hint)}')
    parts.append(_KIND_JSON.get(c.kind) or f'"kind": {_STR(c.kind.value)}')
    if c.media:
        parts.append(f'"media": [{", ".join([_STR(m) for m in c.media])}]')
    if c.note:
        parts.append(f'"note": {_STR(c.note)}')
    if c.text:
        parts.append(f'"text": {_STR(c.text)}')
    return "{" + ", ".join(parts) + "}"
