"""Studying: deck counts, the queue, answers and undo. Each write is one short transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import and_, delete, select, update
from sqlalchemy.orm import Session

from trainer.core import days
from trainer.core.scheduling import (
    LEARN_AHEAD,
    CardState,
    Preset,
    Preview,
    Rating,
    SchedulingState,
    cap_duration,
    fuzz_draw,
    preview,
)
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import QUEUE_BURIED, QUEUE_SUSPENDED, to_millis
from trainer.views import AnswerResult, DeckInfo, QueueCounts, StudyCard, UndoResult

cards_t = repo.cards_t
reviews_t = repo.reviews_t


@dataclass(frozen=True)
class _Scope:
    """A deck subtree studied under one preset's daily limits."""

    deck_ids: list[int]
    cutoff: int  # ms: when the next study day starts
    new_left: int
    reviews_left: int


class NotFoundError(LookupError):
    """A card or deck that does not exist."""


class StudyService:
    """Counts, next card, answer and undo over one database."""

    def __init__(self, db: Database, zone: tzinfo) -> None:
        self.db = db
        self.zone = zone

    # -- counts -----------------------------------------------------------------------

    def deck_infos(self, now: datetime) -> list[DeckInfo]:
        """Every deck with counts over its subtree, limited by its preset's daily limits."""
        self._unbury_if_due(now)
        with self.db.read() as session:
            all_decks = repo.decks(session)
            presets = repo.presets(session)
            hours = {p.day_start_hour for p in presets.values()} or {4}
            cutoffs = {h: days.next_day_start(now, self.zone, h) for h in hours}
            starts = {h: days.day_start(now, self.zone, h) for h in hours}
            per_hour: dict[int, tuple[dict[int, dict[int, list[Any]]], dict[tuple[int, int], int]]] = {}
            for hour in hours:
                table: dict[int, dict[int, list[Any]]] = {}
                for deck_id, queue, count, due_count, min_due in repo.queue_counts_by_deck(
                    session, cutoffs[hour]
                ):
                    table.setdefault(deck_id, {})[queue] = [count, due_count or 0, min_due]
                per_hour[hour] = (table, repo.done_today_by_deck(session, starts[hour]))
        infos = []
        for deck in all_decks:
            preset = presets[deck.preset_id]
            table, done = per_hour[preset.day_start_hour]
            infos.append(self._info(deck, repo.subtree(all_decks, deck.name), preset, table, done, now))
        return infos

    def _info(
        self,
        deck: repo.DeckEntry,
        tree: list[repo.DeckEntry],
        preset: Preset,
        table: dict[int, dict[int, list[Any]]],
        done: dict[tuple[int, int], int],
        now: datetime,
    ) -> DeckInfo:
        new = learning = review = total = 0
        next_due: datetime | None = None
        new_done = reviews_done = 0
        for member in tree:
            queues = table.get(member.id, {})
            total += sum(v[0] for v in queues.values())
            new += queues.get(0, [0])[0]
            review += queues.get(2, [0, 0])[1]
            for q in (1, 3):
                learning += queues.get(q, [0, 0])[1]
            for q in (1, 2, 3):
                min_due = queues.get(q, [0, 0, None])[2]
                if min_due is not None and (next_due is None or min_due < next_due):
                    next_due = min_due
            new_done += done.get((member.id, 0), 0)
            reviews_done += done.get((member.id, 2), 0)
        return DeckInfo(
            id=deck.id,
            name=deck.name,
            external_id=deck.external_id,
            preset=preset.name,
            new=max(0, min(new, preset.new_per_day - new_done)),
            learning=learning,
            due=max(0, min(review, preset.reviews_per_day - reviews_done)),
            total=total,
            next_due=next_due,
        )

    # -- the queue --------------------------------------------------------------------

    def next_card(self, deck: str | None, now: datetime) -> StudyCard | None:
        """The next card to study in `deck` (all decks if None) with its previews and counts.

        All decks means each top-level deck with its own daily limits, as the deck list
        counts them. One read transaction: scopes, today's answers, the pick, the counts and
        the previews.
        """
        self._unbury_if_due(now)
        with self.db.read() as session:
            all_decks = repo.decks(session)
            presets = repo.presets(session)
            roots = [deck] if deck is not None else [d.name for d in all_decks if "::" not in d.name]
            scopes = [self._limits(session, *self._scope(all_decks, presets, root), now) for root in roots]
            card_id = self._pick(session, scopes, now)
            if card_id is None:
                return None
            counts = [self._counts(session, scope) for scope in scopes]
            row = repo.load_card(session, card_id)
        by_id = {d.id: d for d in all_decks}
        card_preset = presets.get(by_id[row.deck_id].preset_id, Preset())
        state = repo.scheduling_state(row)
        return StudyCard(
            card=repo.card_view(row, {d.id: d.name for d in all_decks}),
            preview=preview(state, card_preset, now, draw=fuzz_draw(row.id, state.reps)),
            counts=QueueCounts(
                new=sum(c.new for c in counts),
                learning=sum(c.learning for c in counts),
                review=sum(c.review for c in counts),
            ),
        )

    def _limits(self, session: Session, deck_ids: list[int], preset: Preset, now: datetime) -> _Scope:
        start = days.day_start(now, self.zone, preset.day_start_hour)
        cutoff = to_millis(days.next_day_start(now, self.zone, preset.day_start_hour))
        done = repo.done_today(session, deck_ids, start)
        return _Scope(
            deck_ids=deck_ids,
            cutoff=cutoff,
            new_left=max(0, preset.new_per_day - done.get(0, 0)),
            reviews_left=max(0, preset.reviews_per_day - done.get(2, 0)),
        )

    def _pick(self, session: Session, scopes: list[_Scope], now: datetime) -> int | None:
        """Learning due now, then due reviews, then new cards within limits, then learn ahead."""
        every = [i for scope in scopes for i in scope.deck_ids]
        if not every:
            return None
        learning = repo.first_card(session, every, (1, 3), due_before=to_millis(now), order=cards_t.c.due)
        if learning is not None:
            return learning
        for scope in scopes:
            if scope.reviews_left > 0:
                due = repo.first_card(
                    session, scope.deck_ids, (2,), due_before=scope.cutoff - 1, order=cards_t.c.due
                )
                if due is not None:
                    return due
        for scope in scopes:
            if scope.new_left > 0:
                new = repo.first_card(
                    session, scope.deck_ids, (0,), due_before=None, order=cards_t.c.position
                )
                if new is not None:
                    return new
        ahead = to_millis(now + LEARN_AHEAD)
        return repo.first_card(session, every, (1, 3), due_before=ahead, order=cards_t.c.due)

    def _counts(self, session: Session, scope: _Scope) -> QueueCounts:
        ids, cutoff = scope.deck_ids, scope.cutoff
        new = repo.count_limited(session, ids, (0,), due_before=None, limit=scope.new_left)
        learning = repo.count_limited(session, ids, (1, 3), due_before=cutoff, limit=None)
        review = repo.count_limited(session, ids, (2,), due_before=cutoff, limit=scope.reviews_left)
        return QueueCounts(
            new=min(new, scope.new_left), learning=learning, review=min(review, scope.reviews_left)
        )

    def _scope(
        self, all_decks: list[repo.DeckEntry], presets: dict[int, Preset], deck: str | None
    ) -> tuple[list[int], Preset]:
        if deck is None:
            default = next((p for p in presets.values() if p.name == "Default"), None)
            preset = default or next(iter(presets.values()), Preset())
            return [d.id for d in all_decks], preset
        tree = repo.subtree(all_decks, deck)
        if not tree:
            raise NotFoundError(f"no deck named '{deck}'")
        return [d.id for d in tree], presets[tree[0].preset_id]

    def _unbury_if_due(self, now: datetime) -> None:
        with self.db.read() as session:
            expired = repo.has_expired_burials(session, now)
        if expired:
            with self.db.write() as session:
                repo.unbury_expired(session, now)

    # -- previews and answers ----------------------------------------------------------

    def preset_for_card(self, session: Session, deck_id: int) -> Preset:
        """The preset that schedules cards of `deck_id`."""
        row = session.execute(
            select(repo.presets_t)
            .join(repo.decks_t, repo.decks_t.c.preset_id == repo.presets_t.c.id)
            .where(repo.decks_t.c.id == deck_id)
        ).first()
        return repo.preset_from_row(row) if row is not None else Preset()

    def preview(self, session: Session, row: Any, now: datetime) -> Preview:
        """The four outcomes for a card row, with its reproducible fuzz draw."""
        state = repo.scheduling_state(row)
        preset = self.preset_for_card(session, row.deck_id)
        return preview(state, preset, now, draw=fuzz_draw(row.id, state.reps))

    def answer(
        self, card_id: int, rating: Rating, now: datetime, duration_ms: int | None = None
    ) -> AnswerResult:
        """Store an answer: card update and log row in one transaction, committed on return."""
        with self.db.write() as session:
            row = repo.load_card(session, card_id)
            if row is None:
                raise NotFoundError(f"no card with id {card_id}")
            if row.queue == QUEUE_SUSPENDED:
                raise ValueError(f"card {card_id} is suspended")
            before = repo.scheduling_state(row)
            preset = self.preset_for_card(session, row.deck_id)
            outcome = preview(before, preset, now, draw=fuzz_draw(row.id, before.reps))[rating]
            after = outcome.state
            undo: dict[str, Any] = {}
            values = repo.state_values(after)
            values["queue"] = int(after.state)
            values["buried_until"] = None
            values["modified_at"] = now
            if row.queue == QUEUE_BURIED:
                undo["buried_until"] = to_millis(row.buried_until) if row.buried_until else None
            if outcome.is_leech:
                undo["tags"] = row.tags
                values["queue"] = QUEUE_SUSPENDED
                values["tags"] = repo.join_tags([*repo.split_tags(row.tags), "leech"])
            session.execute(update(cards_t).where(cards_t.c.id == card_id).values(**values))
            buried = self._bury_siblings(session, row, preset, now) if row.group_id else []
            if buried:
                undo["buried"] = buried
            review_id = repo.insert_id(
                session,
                reviews_t,
                dict(
                    card_id=card_id,
                    reviewed_at=now,
                    rating=int(rating),
                    duration_ms=cap_duration(duration_ms),
                    kind="review",
                    state_before=int(before.state),
                    step_before=before.step,
                    stability_before=before.stability,
                    difficulty_before=before.difficulty,
                    due_before=before.due,
                    last_review_before=before.last_review,
                    state_after=int(after.state),
                    step_after=after.step,
                    stability_after=after.stability,
                    difficulty_after=after.difficulty,
                    due_after=after.due,
                    undo_data=json.dumps(undo) if undo else "",
                ),
            )
        return AnswerResult(
            card_id=card_id,
            review_id=int(review_id),
            rating=rating,
            before=before,
            after=after,
            leech=outcome.is_leech,
            buried_siblings=len(buried),
        )

    def _bury_siblings(self, session: Session, row: Any, preset: Preset, now: datetime) -> list[int]:
        if not preset.bury_siblings:
            return []
        until = days.next_day_start(now, self.zone, preset.day_start_hour)
        condition = and_(
            cards_t.c.group_id == row.group_id,
            cards_t.c.id != row.id,
            cards_t.c.queue.in_((int(CardState.NEW), int(CardState.REVIEW))),
        )
        ids = list(session.execute(select(cards_t.c.id).where(condition)).scalars())
        if ids:
            session.execute(
                update(cards_t).where(cards_t.c.id.in_(ids)).values(queue=QUEUE_BURIED, buried_until=until)
            )
        return ids

    def undo(self, now: datetime) -> UndoResult | None:
        """Take back the last answer: restore the card exactly and remove the log row."""
        with self.db.write() as session:
            last = session.execute(
                select(reviews_t).where(reviews_t.c.kind == "review").order_by(reviews_t.c.id.desc()).limit(1)
            ).first()
            if last is None:
                return None
            card = repo.load_card(session, last.card_id)
            assert card is not None
            restored = SchedulingState(
                state=CardState(last.state_before),
                step=last.step_before,
                stability=last.stability_before,
                difficulty=last.difficulty_before,
                due=last.due_before,
                last_review=last.last_review_before,
                reps=max(0, card.reps - 1),
                lapses=card.lapses
                - (1 if last.state_before == CardState.REVIEW and last.rating == Rating.AGAIN else 0),
            )
            extra = json.loads(last.undo_data) if last.undo_data else {}
            values = repo.state_values(restored)
            values["queue"] = int(restored.state)
            values["buried_until"] = None
            values["modified_at"] = now
            if "buried_until" in extra:
                values["queue"] = QUEUE_BURIED
                values["buried_until"] = extra["buried_until"]
            if "tags" in extra:
                values["tags"] = extra["tags"]
            session.execute(update(cards_t).where(cards_t.c.id == last.card_id).values(**values))
            if extra.get("buried"):
                session.execute(
                    update(cards_t)
                    .where(and_(cards_t.c.id.in_(extra["buried"]), cards_t.c.queue == QUEUE_BURIED))
                    .values(queue=cards_t.c.state, buried_until=None)
                )
            session.execute(delete(reviews_t).where(reviews_t.c.id == last.id))
        return UndoResult(
            card_id=last.card_id,
            rating=Rating(last.rating),
            reviewed_at=last.reviewed_at,
            restored=restored,
        )

    def next_due_time(self, deck: str | None) -> datetime | None:
        """When the next card (learning or review) in `deck` is due."""
        with self.db.read() as session:
            deck_ids, _ = self._scope(repo.decks(session), repo.presets(session), deck)
            return repo.next_due(session, deck_ids)
