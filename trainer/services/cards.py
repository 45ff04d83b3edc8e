"""Single cards and collection facts through the ORM store: view, history, edits, suspend, bury, flags.

Kept out of `trainer.collection` so that opening a collection and listing its decks (the
study app's first screen) does not import SQLAlchemy; these run when first used.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update

from trainer.core.scheduling import CardState, Preset, Rating
from trainer.services.card_views import card_view
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import QUEUE_BURIED, QUEUE_SUSPENDED, MetaRow
from trainer.views import CardView, ReviewEntry


class CardService:
    """Reads and edits of single cards, presets and collection facts."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def card(self, card_id: int) -> CardView | None:
        """One card, or None."""
        with self.db.read() as session:
            row = repo.load_card(session, card_id)
            if row is None:
                return None
            return card_view(row, {d.id: d.name for d in repo.decks(session)})

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

    def update_card(self, card_id: int, values: dict[str, object]) -> bool:
        """Set columns of one card; whether it exists."""
        cards = repo.cards_t
        with self.db.write() as session:
            result = session.execute(update(cards).where(cards.c.id == card_id).values(**values))
            return repo.rowcount(result) > 0

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

    def bury(self, card_id: int, until: datetime, now: datetime) -> bool:
        """Hide a card until `until`; whether it exists."""
        return self.update_card(card_id, {"queue": QUEUE_BURIED, "buried_until": until, "modified_at": now})

    def presets(self) -> dict[str, Preset]:
        """Every preset by name."""
        with self.db.read() as session:
            return {p.name: p for p in repo.presets(session).values()}

    def deck_preset(self, deck: str) -> Preset | None:
        """The preset a deck uses, or None when there is no such deck."""
        with self.db.read() as session:
            tree = repo.subtree(repo.decks(session), deck)
            if not tree:
                return None
            return repo.presets(session)[tree[0].preset_id]

    def meta(self, key: str) -> str | None:
        """A stored collection fact."""
        with self.db.read() as session:
            return session.execute(select(MetaRow.value).where(MetaRow.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        """Store a collection fact."""
        with self.db.write() as session:
            row = session.get(MetaRow, key)
            if row is None:
                session.add(MetaRow(key=key, value=value))
            else:
                row.value = value
