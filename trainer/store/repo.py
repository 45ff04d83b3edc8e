"""ORM-side helpers over the collection. Functions receive a Session and never commit.

Reads and writes of decks, presets, single cards and collection facts are the plain-SQL
queries of `trainer.store.study_sql`, run here in the session's transaction through
`sql(session)`; what is left here is what the ORM does better (inserts that return ids,
bulk updates, the tables for query building).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Table, select
from sqlalchemy.orm import Session

from trainer.core import columns
from trainer.core.scheduling import Preset
from trainer.store import study_sql
from trainer.store.models import (
    CardRow,
    DeckRow,
    PresetRow,
    ReviewRow,
)
from trainer.store.rawdb import Params
from trainer.store.rows import DeckEntry as DeckEntry
from trainer.store.rows import join_tags as join_tags
from trainer.store.rows import preset_values as preset_values
from trainer.store.rows import scheduling_state as scheduling_state
from trainer.store.rows import split_tags as split_tags
from trainer.store.rows import state_values as state_values
from trainer.store.rows import subtree as subtree

cards_t = cast(Table, CardRow.__table__)
decks_t = cast(Table, DeckRow.__table__)
presets_t = cast(Table, PresetRow.__table__)
reviews_t = cast(Table, ReviewRow.__table__)

CARD_COLUMNS = tuple(
    cards_t.c[name] for name in columns.CARD_COLUMNS
)  # a card read whole, as `card_view` takes it


class SessionSQL:
    """The plain-SQL queries (`trainer.store.study_sql`) on an ORM session's connection, in its
    transaction (`?` placeholders rewritten for drivers that use `%s`)."""

    def __init__(self, session: Session) -> None:
        self._connection = session.connection()
        self._format = self._connection.dialect.paramstyle in ("format", "pyformat")

    def _execute(self, sql: str, params: Params) -> Any:
        text = sql.replace("?", "%s") if self._format else sql
        return self._connection.exec_driver_sql(text, tuple(params))

    def all(self, sql: str, params: Params = ()) -> list[Any]:
        """Every row of a query."""
        return list(self._execute(sql, params).fetchall())

    def one(self, sql: str, params: Params = ()) -> Any:
        """The first row of a query, or None."""
        return self._execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = self._execute(sql, params).fetchone()
        return None if row is None else row[0]

    def run(self, sql: str, params: Params = ()) -> int:
        """Execute a statement; the number of rows it changed."""
        return rowcount(self._execute(sql, params))


def sql(session: Session) -> SessionSQL:
    """`session`'s connection for the queries of `trainer.store.study_sql`."""
    return SessionSQL(session)


def decks(session: Session) -> list[DeckEntry]:
    """Every deck, sorted by name: `study_sql.decks` in this session's transaction."""
    return study_sql.decks(sql(session))


def presets(session: Session) -> dict[int, Preset]:
    """Every preset by id: `study_sql.presets` in this session's transaction."""
    return study_sql.presets(sql(session))


def preset_id(session: Session, name: str, *, create: bool = True) -> int | None:
    """The id of the preset called `name`, created with defaults when missing."""
    found = study_sql.preset_id(sql(session), name)
    if found is not None or not create:
        return found
    return insert_id(session, presets_t, preset_values(Preset(name=name)))


def insert_id(session: Session, table: Table, values: dict[str, Any]) -> int:
    """Insert one row and return its primary key."""
    result = cast(CursorResult[Any], session.execute(table.insert().values(**values)))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def rowcount(result: Any) -> int:
    """Rows matched by an UPDATE or DELETE."""
    return int(cast(CursorResult[Any], result).rowcount)


def ensure_deck(session: Session, name: str, preset: int) -> tuple[int, bool]:
    """The id of deck `name` (and its parents, created as needed); whether it was created."""
    parts = name.split("::")
    created = False
    deck_id = 0
    for depth in range(1, len(parts) + 1):
        path = "::".join(parts[:depth])
        found = session.execute(select(decks_t.c.id).where(decks_t.c.name == path)).scalar()
        if found is None:
            found = insert_id(session, decks_t, {"name": path, "preset_id": preset})
            created = depth == len(parts)
        deck_id = found
    return deck_id, created
