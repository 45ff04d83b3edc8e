"""Quiz rounds: the cards a quiz may ask, and stored quiz answers (with confusions)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, and_, select

from trainer.core.cards import CardContent
from trainer.core.quiz import Mode, Question, QuizSource, make_questions
from trainer.core.scheduling import cap_duration
from trainer.errors import InvalidInputError, NotFoundError
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import QUEUE_SUSPENDED, QuizAnswerRow

cards_t = repo.cards_t
quiz_t = cast(Table, QuizAnswerRow.__table__)


@dataclass(frozen=True)
class QuizRecord:
    """A stored quiz answer."""

    id: int
    card_id: int
    answered_at: datetime
    mode: str
    correct: bool
    given: str
    expected: str
    group_id: str
    duration_ms: int


class QuizService:
    """Questions from a deck (due or not) and the record of answers."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def sources(self, deck: str | None) -> list[QuizSource]:
        """Every active (not suspended) card of `deck` and its subdecks (all decks if None)."""
        with self.db.read() as session:
            all_decks = repo.decks(session)
            tree = all_decks if deck is None else repo.subtree(all_decks, deck)
            if deck is not None and not tree:
                raise NotFoundError(f"no deck named '{deck}'")
            names = {d.id: d.name for d in tree}
            rows = session.execute(
                select(cards_t.c.id, cards_t.c.content, cards_t.c.group_id, cards_t.c.deck_id)
                .where(and_(cards_t.c.deck_id.in_(list(names)), cards_t.c.queue != QUEUE_SUSPENDED))
                .order_by(cards_t.c.deck_id, cards_t.c.position, cards_t.c.id)
            )
            return [
                QuizSource(r.id, CardContent.from_json(r.content), r.group_id, names[r.deck_id]) for r in rows
            ]

    def questions(self, deck: str | None, n: int, mode: Mode, seed: int | None = None) -> list[Question]:
        """Up to `n` questions from `deck`."""
        if n < 1:
            raise InvalidInputError("a quiz needs at least one question")
        return make_questions(self.sources(deck), n, mode, random.Random(seed))

    def record(
        self,
        question: Question,
        *,
        correct: bool,
        given: str,
        now: datetime,
        duration_ms: int | None = None,
    ) -> int:
        """Store an answer (what was given against what was expected, and the set): its id."""
        with self.db.write() as session:
            return repo.insert_id(
                session,
                quiz_t,
                {
                    "card_id": question.card_id,
                    "answered_at": now,
                    "mode": question.mode,
                    "correct": correct,
                    "given": given,
                    "expected": question.expected,
                    "group_id": question.group_id,
                    "duration_ms": cap_duration(duration_ms),
                },
            )

    def set_correct(self, record_id: int, correct: bool) -> None:
        """Overrule the grading of stored answer `record_id`."""
        from sqlalchemy import update

        with self.db.write() as session:
            result = session.execute(update(quiz_t).where(quiz_t.c.id == record_id).values(correct=correct))
            if not repo.rowcount(result):
                raise NotFoundError(f"no quiz answer with id {record_id}")

    def answers(self, card_id: int | None = None) -> list[QuizRecord]:
        """Stored quiz answers, oldest first (of one card, or all)."""
        query = select(quiz_t).order_by(quiz_t.c.answered_at, quiz_t.c.id)
        if card_id is not None:
            query = query.where(quiz_t.c.card_id == card_id)
        with self.db.read() as session:
            return [
                QuizRecord(
                    r.id,
                    r.card_id,
                    r.answered_at,
                    r.mode,
                    bool(r.correct),
                    r.given,
                    r.expected,
                    r.group_id,
                    r.duration_ms,
                )
                for r in session.execute(query)
            ]
