"""Browsing: run a search query (Anki's syntax, `trainer.core.search`); reset cards to new.

SQL narrows the cards with what it can decide exactly or as a superset (deck, kind, flag,
state, ASCII text); every candidate is then matched exactly against the whole query on its
visible text and facts, so `OR`, groups and negation stay right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, false, not_, or_, select, true, update

from trainer.core import days
from trainer.core.cards import CardKind, render
from trainer.core.search import CardFacts, Group, Node, Query, Term, deck_matches, matches, rated_window
from trainer.errors import NotFoundError
from trainer.services.card_views import card_view
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import QUEUE_BURIED, QUEUE_SUSPENDED
from trainer.views import CardView

cards_t = repo.cards_t
DEFAULT_LIMIT = 2000
SORTS: tuple[str, ...] = ("deck", "question", "due", "interval", "reps", "lapses", "added")


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%")
    return f"%{escaped}%"


def visible_text(card: CardView) -> str:
    """What the learner sees of a card: question, answer, options, hint and note."""
    content = card.content
    shown = render(content)
    parts = [shown.question, shown.answer, *content.distractors, *content.answers, content.hint, content.note]
    if content.kind is CardKind.CLOZE:
        parts.append(content.text)
    return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Page:
    """One page of search results and how many cards matched in all."""

    cards: list[CardView]
    total: int
    offset: int
    positions: dict[int, int] = field(default_factory=dict)
    """The position of each card on the page (the order new cards are studied in)."""


class BrowseService:
    """Search the collection and act on the cards found."""

    def __init__(self, db: Database, zone: tzinfo) -> None:
        self.db = db
        self.zone = zone

    def search(self, query: Query, now: datetime, limit: int = DEFAULT_LIMIT) -> list[CardView]:
        """The cards matching the query, by deck then position (at most `limit`)."""
        return self.page(query, now, limit=limit).cards

    def page(
        self,
        query: Query,
        now: datetime,
        *,
        offset: int = 0,
        limit: int = DEFAULT_LIMIT,
        sort: str = "deck",
        descending: bool = False,
    ) -> Page:
        """`limit` cards from `offset` of those matching, sorted by `sort` (one of `SORTS`)."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort '{sort}' (use {', '.join(SORTS)})")
        found: list[tuple[CardView, CardFacts, int]] = []
        with self.db.read() as session:
            all_decks = repo.decks(session)
            presets = repo.presets(session)
            hour = next(iter({p.day_start_hour for p in presets.values()}), 4)
            today = days.day_start(now, self.zone, hour)
            cutoff = days.next_day_start(now, self.zone, hour)
            names = {d.id: d.name for d in all_decks}
            rated = self._rated(session, query.root, today)
            condition = _sql(query.root, all_decks, upper=True)
            rows = session.execute(
                select(*repo.CARD_COLUMNS)
                .where(condition)
                .order_by(cards_t.c.deck_id, cards_t.c.position, cards_t.c.id)
            )
            for row in rows:
                card = card_view(cast(Any, row), names)
                facts = _facts(card, row.created_at, today, cutoff, rated.get(card.id, ()))
                if matches(query.root, facts):
                    found.append((card, facts, row.position))
        if sort != "deck" or descending:
            found.sort(key=_SORT_KEYS[sort], reverse=descending)
        shown = found[offset : offset + limit]
        return Page([card for card, _, _ in shown], len(found), offset, {c.id: p for c, _, p in shown})

    def _rated(
        self, session: Any, root: Node | None, today: datetime
    ) -> dict[int, tuple[tuple[int, int], ...]]:
        window = rated_window(root)
        if not window:
            return {}
        reviews = repo.reviews_t
        since = today - timedelta(days=window - 1)
        rows = session.execute(
            select(reviews.c.card_id, reviews.c.reviewed_at, reviews.c.rating).where(
                and_(reviews.c.kind == "review", reviews.c.reviewed_at >= since)
            )
        )
        result: dict[int, list[tuple[int, int]]] = {}
        for card_id, at, rating in rows:
            ago = max(0, -((at - today) // timedelta(days=1)))
            result.setdefault(card_id, []).append((ago, int(rating)))
        return {k: tuple(v) for k, v in result.items()}

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


def _facts(
    card: CardView, created: datetime, today: datetime, cutoff: datetime, rated: tuple[tuple[int, int], ...]
) -> CardFacts:
    state = card.state
    day = timedelta(days=1)
    due_in = None if state.due is None else int((state.due - today) // day)
    interval = None
    if state.due is not None and state.last_review is not None and int(state.state) == 2:
        interval = max(0, round((state.due - state.last_review) / day))
    return CardFacts(
        text=visible_text(card),
        tags=card.tags,
        deck=card.deck_name,
        kind=card.content.kind.value,
        queue=card.queue,
        due_today=card.queue in (1, 2, 3) and state.due is not None and state.due < cutoff,
        due_in_days=due_in,
        interval_days=interval,
        flag=card.flag,
        reps=state.reps,
        lapses=state.lapses,
        stability=state.stability,
        difficulty=state.difficulty,
        added_days_ago=max(0, -((created - today) // day)),
        rated=rated,
    )


_SORT_KEYS: dict[str, Callable[[tuple[CardView, CardFacts, int]], Any]] = {
    "deck": lambda f: (f[0].deck_name.casefold(), f[2], f[0].id),
    "question": lambda f: (f[0].question.casefold(), f[0].id),
    "due": lambda f: (f[0].state.due is None, f[0].state.due.timestamp() if f[0].state.due else 0, f[0].id),
    "interval": lambda f: (f[1].interval_days is None, f[1].interval_days or 0, f[0].id),
    "reps": lambda f: (f[0].state.reps, f[0].id),
    "lapses": lambda f: (f[0].state.lapses, f[0].id),
    "added": lambda f: (-f[1].added_days_ago, f[0].id),
}


def _sql(node: Node | None, all_decks: list[repo.DeckEntry], *, upper: bool) -> ColumnElement[bool]:
    """A condition SQL can check: a superset of the matches when `upper`, else a subset."""
    if node is None:
        return true()
    if isinstance(node, Group):
        want = upper != node.negated
        parts = [_sql(item, all_decks, upper=want) for item in node.items]
        joined = and_(true(), *parts) if node.op == "and" else or_(false(), *parts)
        return not_(joined) if node.negated else joined
    want = upper != node.negated
    exact = _exact(node, all_decks)
    if exact is not None:
        condition = exact
    elif want and node.field == "text" and node.value.isascii():
        condition = cards_t.c.content.ilike(_like(node.value), escape="\\")
    else:
        condition = true() if want else false()
    return not_(condition) if node.negated else condition


def _exact(term: Term, all_decks: list[repo.DeckEntry]) -> ColumnElement[bool] | None:
    c = cards_t.c
    if term.field == "deck":
        ids = [d.id for d in all_decks if deck_matches(term.value, d.name)]
        return c.deck_id.in_(ids) if ids else false()
    if term.field == "kind":
        return c.kind == term.value
    if term.field == "flag":
        return c.flag == int(term.value)
    if term.field == "is":
        return {
            "new": c.queue == 0,
            "learn": c.queue.in_((1, 3)),
            "suspended": c.queue == QUEUE_SUSPENDED,
            "buried": c.queue == QUEUE_BURIED,
        }.get(term.value)
    return None
