"""ORM-side queries over the collection. Functions receive a Session and never commit.

The study path (counts, queue, answer, undo) has its own plain-SQL queries in
`trainer.store.study_sql`; these serve loading, editing, browsing and maintenance.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Table, select
from sqlalchemy.orm import Session

from trainer.core.scheduling import Preset
from trainer.store.models import (
    CardRow,
    DeckRow,
    PresetRow,
    ReviewRow,
)
from trainer.store.rows import DeckEntry as DeckEntry
from trainer.store.rows import join_tags as join_tags
from trainer.store.rows import preset_from_row as preset_from_row
from trainer.store.rows import preset_values as preset_values
from trainer.store.rows import scheduling_state as scheduling_state
from trainer.store.rows import split_tags as split_tags
from trainer.store.rows import state_values as state_values
from trainer.store.rows import subtree as subtree

cards_t = cast(Table, CardRow.__table__)
decks_t = cast(Table, DeckRow.__table__)
presets_t = cast(Table, PresetRow.__table__)
reviews_t = cast(Table, ReviewRow.__table__)

CARD_COLUMNS = (
    cards_t.c.id,
    cards_t.c.external_id,
    cards_t.c.deck_id,
    cards_t.c.content,
    cards_t.c.tags,
    cards_t.c.source,
    cards_t.c.group_id,
    cards_t.c.state,
    cards_t.c.step,
    cards_t.c.stability,
    cards_t.c.difficulty,
    cards_t.c.due,
    cards_t.c.last_review,
    cards_t.c.reps,
    cards_t.c.lapses,
    cards_t.c.queue,
    cards_t.c.flag,
    cards_t.c.buried_until,
)


def presets(session: Session) -> dict[int, Preset]:
    """Every preset by id."""
    return {row.id: preset_from_row(row) for row in session.execute(select(presets_t))}


def preset_id(session: Session, name: str, *, create: bool = True) -> int | None:
    """The id of the preset called `name`, created with defaults when missing."""
    found = session.execute(select(presets_t.c.id).where(presets_t.c.name == name)).scalar()
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


def decks(session: Session) -> list[DeckEntry]:
    """Every deck, sorted by name."""
    rows = session.execute(
        select(decks_t.c.id, decks_t.c.name, decks_t.c.external_id, decks_t.c.preset_id).order_by(
            decks_t.c.name
        )
    )
    return [DeckEntry(r.id, r.name, r.external_id, r.preset_id) for r in rows]


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


def load_card(session: Session, card_id: int) -> Any:
    """One card row (with `CARD_COLUMNS`)."""
    return session.execute(select(*CARD_COLUMNS).where(cards_t.c.id == card_id)).first()
