"""Browsing: run a parsed search query in SQL; reset cards to new."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, false, not_, or_, select, true, update

from trainer.core import days
from trainer.core.search import Query, Term
from trainer.errors import NotFoundError
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import QUEUE_BURIED, QUEUE_SUSPENDED, to_millis
from trainer.views import CardView

cards_t = repo.cards_t
DEFAULT_LIMIT = 2000


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class BrowseService:
    """Search the collection and act on the cards found."""

    def __init__(self, db: Database, zone: tzinfo) -> None:
        self.db = db
        self.zone = zone

    def search(self, query: Query, now: datetime, limit: int = DEFAULT_LIMIT) -> list[CardView]:
        """The cards matching every term, by deck then position (at most `limit`)."""
        with self.db.read() as session:
            all_decks = repo.decks(session)
            presets = repo.presets(session)
            hour = next(iter({p.day_start_hour for p in presets.values()}), 4)
            cutoff = to_millis(days.next_day_start(now, self.zone, hour))
            conditions = [self._condition(t, all_decks, cutoff) for t in query.terms]
            rows = session.execute(
                select(*repo.CARD_COLUMNS)
                .where(and_(true(), *conditions))
                .order_by(cards_t.c.deck_id, cards_t.c.position, cards_t.c.id)
                .limit(limit)
            )
            names = {d.id: d.name for d in all_decks}
            return [repo.card_view(cast(Any, r), names) for r in rows]

    def _condition(self, term: Term, all_decks: list[repo.DeckEntry], cutoff: int) -> ColumnElement[bool]:
        c = cards_t.c
        condition: ColumnElement[bool]
        if term.field == "text":
            pattern = _like(term.value)
            condition = or_(
                c.content.ilike(pattern, escape="\\"),
                c.tags.ilike(pattern, escape="\\"),
                c.source.ilike(pattern, escape="\\"),
            )
        elif term.field == "deck":
            wanted = term.value.lower()
            ids = [
                d.id
                for d in all_decks
                if d.name.lower() == wanted or d.name.lower().startswith(wanted + "::")
            ]
            condition = c.deck_id.in_(ids) if ids else false()
        elif term.field == "tag":
            condition = c.tags.ilike(_like(f" {term.value} "), escape="\\")
        elif term.field == "kind":
            condition = c.kind == term.value
        else:
            condition = _is_condition(term.value, cutoff)
        return not_(condition) if term.negated else condition

    def reset(self, card_id: int, now: datetime) -> None:
        """Forget a card: back to new with no memory state (its review history is kept)."""
        with self.db.write() as session:
            result = session.execute(
                update(cards_t)
                .where(cards_t.c.id == card_id)
                .values(
                    state=0, queue=0, step=None, stability=None, difficulty=None, due=None,
                    last_review=None, reps=0, lapses=0, buried_until=None, modified_at=now,
                )
            )  # fmt: skip
            if repo.rowcount(result) == 0:
                raise NotFoundError(f"no card with id {card_id}")


def _is_condition(value: str, cutoff: int) -> ColumnElement[bool]:
    c = cards_t.c
    if value == "due":
        return and_(c.queue.in_((1, 2, 3)), c.due < cutoff)
    if value == "new":
        return c.queue == 0
    if value == "learning":
        return c.queue.in_((1, 3))
    if value == "review":
        return c.queue == 2
    if value == "suspended":
        return c.queue == QUEUE_SUSPENDED
    if value == "buried":
        return c.queue == QUEUE_BURIED
    return c.tags.ilike("% leech %")
