"""Card history and suspension through the ORM store.

Single-card reads and writes (view, edit, bury, flag) run on the study connection
(`trainer.store.study_sql`); these run when first used, so opening a collection and listing
its decks (the study app's first screen) does not import SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update

from trainer.core.scheduling import CardState, Rating
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import QUEUE_SUSPENDED
from trainer.views import ReviewEntry


class CardService:
    """A card's review history; suspending and unsuspending cards."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def history(self, card_id: int) -> list[ReviewEntry]:
        """A card's review history, oldest first."""
        reviews = repo.reviews_t
        with self.db.read() as session:
            rows = session.execute(
                select(reviews)
                .where(reviews.c.card_id == card_id, reviews.c.rating.between(1, 4))  # answers, not resets
                .order_by(reviews.c.reviewed_at, reviews.c.id)
            )
            return [
                ReviewEntry(
                    id=r.id, reviewed_at=r.reviewed_at, rating=Rating(r.rating), duration_ms=r.duration_ms,
                    state_before=CardState(r.state_before), state_after=CardState(r.state_after),
                    stability_after=r.stability_after, difficulty_after=r.difficulty_after,
                    due_after=r.due_after, kind=r.kind,
                )
                for r in rows
            ]  # fmt: skip

    def set_suspended(self, card_ids: Sequence[int], suspended: bool, now: datetime) -> None:
        """Suspend or unsuspend cards."""
        cards = repo.cards_t
        with self.db.write() as session:
            session.execute(
                update(cards)
                .where(cards.c.id.in_(card_ids))
                .values(
                    queue=QUEUE_SUSPENDED if suspended else cards.c.state,
                    buried_until=None,
                    modified_at=now,
                )
            )
