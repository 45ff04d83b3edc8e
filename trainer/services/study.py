"""Studying: deck counts, the queue, answers and undo. Each write is one short transaction.

The study path runs plain SQL on one driver connection (`trainer.store.rawdb`) and keeps
the queue of the day in memory (`trainer.core.queue`), as Anki does: an answer or undo
made here updates it; a change committed by any other connection (SQLite's
`data_version` moves) or a day boundary makes it be built again from the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from trainer.core import days
from trainer.core.columns import CardValues, ReviewValues
from trainer.core.queue import QueueChange, ScopeQueue, StudyQueue, merge_limited
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
from trainer.core.scheduling import outcome as answer_outcome
from trainer.errors import InvalidInputError, NotFoundError
from trainer.services.card_views import card_view
from trainer.store import study_sql as sql
from trainer.store.rawdb import RawDB
from trainer.store.rows import (
    DeckEntry,
    join_tags,
    review_values,
    scheduling_state,
    split_tags,
    state_values,
    subtree,
)
from trainer.store.values import QUEUE_BURIED, QUEUE_SUSPENDED, from_millis, to_millis
from trainer.views import AnswerResult, DeckInfo, QueueCounts, StudyCard, UndoResult

LEARN_AHEAD_MS = int(LEARN_AHEAD.total_seconds() * 1000)


@dataclass(frozen=True)
class _Snapshot:
    """Decks and presets as last read (valid while nobody else has written)."""

    decks: list[DeckEntry]
    presets: dict[int, Preset]
    names: dict[int, str]
    preset_of_deck: dict[int, Preset]


class StudyService:
    """Counts, next card, answer and undo over one collection connection."""

    def __init__(self, db: RawDB, zone: tzinfo) -> None:
        self.db = db
        self.zone = zone
        self._version: int | None = None
        self._snapshot: _Snapshot | None = None
        self._queues: dict[str | None, StudyQueue] = {}
        self._totals: dict[int, int] | None = None  # cards per deck: only other connections add or move cards

    # -- what is cached, and when it is dropped -------------------------------------------

    def _fresh(self) -> _Snapshot:
        """Decks and presets, re-read when another connection has committed since."""
        version = self.db.data_version()
        if version is None or version != self._version or self._snapshot is None:
            self._queues.clear()
            self._totals = None
            with self.db.read():
                found = sql.decks(self.db)
                presets = sql.presets(self.db)
            self._snapshot = _Snapshot(
                decks=found,
                presets=presets,
                names={d.id: d.name for d in found},
                preset_of_deck={d.id: presets.get(d.preset_id, Preset()) for d in found},
            )
            self._version = version
        return self._snapshot

    def cards_changed(self) -> None:
        """Cards were changed on this connection outside answer and undo (bury, suspend, flag,
        edit): the queues are built again (SQLite's `data_version` tells only others' writes)."""
        self._queues.clear()

    def deck_names(self) -> dict[int, str]:
        """Every deck's name by id."""
        return self._fresh().names

    def _unbury_if_due(self, now: datetime) -> None:
        moment = to_millis(now)
        with self.db.read():
            expired = sql.has_expired_burials(self.db, moment)
        if expired:
            with self.db.write():
                sql.unbury_expired(self.db, moment)
            self._queues.clear()

    # -- counts -----------------------------------------------------------------------

    def deck_infos(self, now: datetime) -> list[DeckInfo]:
        """Every deck with counts over its subtree, limited by its preset's daily limits."""
        self._unbury_if_due(now)
        snap = self._fresh()
        presets = snap.presets
        hours = {p.day_start_hour for p in presets.values()} or {4}
        new_cap = max((p.new_per_day for p in presets.values()), default=0)
        review_cap = max((p.reviews_per_day for p in presets.values()), default=0)
        per_hour: dict[int, tuple[dict[int, sql.DeckCounts], dict[tuple[int, int], int]]] = {}
        with self.db.read():
            if self._totals is None:
                self._totals = sql.deck_totals(self.db)
            for hour in hours:
                cutoff = to_millis(days.next_day_start(now, self.zone, hour))
                start = to_millis(days.day_start(now, self.zone, hour))
                learn_until = min(cutoff, to_millis(now) + LEARN_AHEAD_MS)  # Anki's learn-ahead limit
                table = {
                    d.id: sql.deck_counts(self.db, d.id, cutoff, learn_until, new_cap, review_cap)
                    for d in snap.decks
                }
                per_hour[hour] = (table, sql.done_today_by_deck(self.db, start))
        infos = []
        for deck in snap.decks:
            preset = snap.preset_of_deck[deck.id]
            table, done = per_hour[preset.day_start_hour]
            infos.append(self._info(deck, subtree(snap.decks, deck.name), preset, table, done, self._totals))
        return infos

    @staticmethod
    def _info(
        deck: DeckEntry,
        tree: list[DeckEntry],
        preset: Preset,
        table: dict[int, sql.DeckCounts],
        done: dict[tuple[int, int], int],
        totals: dict[int, int],
    ) -> DeckInfo:
        new = learning = review = total = 0
        next_due: int | None = None
        new_done = reviews_done = 0
        for member in tree:
            counts = table[member.id]
            total += totals.get(member.id, 0)
            new += counts.new
            learning += counts.learning
            review += counts.review
            if counts.next_due is not None and (next_due is None or counts.next_due < next_due):
                next_due = counts.next_due
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
            next_due=None if next_due is None else from_millis(next_due),
        )

    # -- the queue --------------------------------------------------------------------

    def next_card(self, deck: str | None, now: datetime) -> StudyCard | None:
        """The next card to study in `deck` (all decks if None) with its previews and counts.

        All decks means each top-level deck with its own daily limits, as the deck list
        counts them.
        """
        queue, snap = self._queue(deck, now)
        card_id = queue.pick(to_millis(now), LEARN_AHEAD_MS)
        if card_id is None:
            return None
        row = sql.read_card(self.db, card_id)
        if row is None:  # removed by another connection a moment ago
            self._queues.clear()
            return self.next_card(deck, now)
        card = card_view(row, snap.names)
        state = card.state
        new, learning, review = queue.counts(to_millis(now) + LEARN_AHEAD_MS)
        return StudyCard(
            card=card,
            preview=preview(
                state,
                snap.preset_of_deck.get(row.deck_id, Preset()),
                now,
                zone=self.zone,
                draw=fuzz_draw(row.id, state.reps),
            ),
            counts=QueueCounts(new=new, learning=learning, review=review),
        )

    def _queue(self, deck: str | None, now: datetime) -> tuple[StudyQueue, _Snapshot]:
        snap = self._fresh()
        moment = to_millis(now)
        queue = self._queues.get(deck)
        if queue is None or queue.stale or moment >= queue.valid_until:
            self._unbury_if_due(now)
            snap = self._fresh()
            queue = self._build(deck, snap, now)
            self._queues[deck] = queue
        return queue, snap

    def _build(self, deck: str | None, snap: _Snapshot, now: datetime) -> StudyQueue:
        roots = [deck] if deck is not None else [d.name for d in snap.decks if "::" not in d.name]
        scopes: list[ScopeQueue] = []
        with self.db.read():
            done_since: dict[int, dict[tuple[int, int], int]] = {}
            for root in roots:
                deck_ids, preset = self._scope(snap, root)
                start = to_millis(days.day_start(now, self.zone, preset.day_start_hour))
                cutoff = to_millis(days.next_day_start(now, self.zone, preset.day_start_hour))
                if start not in done_since:
                    done_since[start] = sql.done_today_by_deck(self.db, start)
                done = done_since[start]
                new, new_cut = merge_limited(
                    [sql.new_keys(self.db, i, preset.new_per_day) for i in deck_ids], preset.new_per_day
                )
                reviews, reviews_cut = merge_limited(
                    [sql.review_keys(self.db, i, cutoff, preset.reviews_per_day) for i in deck_ids],
                    preset.reviews_per_day,
                )
                scopes.append(
                    ScopeQueue(
                        deck_ids=frozenset(deck_ids),
                        day_start=start,
                        cutoff=cutoff,
                        new_limit=preset.new_per_day,
                        review_limit=preset.reviews_per_day,
                        new_done=sum(done.get((i, 0), 0) for i in deck_ids),
                        reviews_done=sum(done.get((i, 2), 0) for i in deck_ids),
                        new=new,
                        new_cut=new_cut,
                        reviews=reviews,
                        reviews_cut=reviews_cut,
                        learning=sql.learning_keys(self.db, deck_ids) if deck_ids else [],
                    )
                )
            burial_end = sql.first_burial_end(self.db)
        ends = [s.cutoff for s in scopes] + ([burial_end] if burial_end is not None else [])
        return StudyQueue(scopes=scopes, valid_until=min(ends, default=2**62))

    @staticmethod
    def _scope(snap: _Snapshot, deck: str) -> tuple[list[int], Preset]:
        tree = subtree(snap.decks, deck)
        if not tree:
            raise NotFoundError(f"no deck named '{deck}'")
        return [d.id for d in tree], snap.preset_of_deck[tree[0].id]

    # -- previews and answers ----------------------------------------------------------

    def preset_for_deck(self, deck_id: int) -> Preset:
        """The preset that schedules cards of `deck_id`."""
        return self._fresh().preset_of_deck.get(deck_id, Preset())

    def preview_card(self, card_id: int, now: datetime) -> Preview:
        """The four outcomes of answering a card now, with its reproducible fuzz draw."""
        row = sql.read_card(self.db, card_id)
        if row is None:
            raise NotFoundError(f"no card with id {card_id}")
        state = scheduling_state(row)
        return preview(
            state, self.preset_for_deck(row.deck_id), now, zone=self.zone, draw=fuzz_draw(row.id, state.reps)
        )

    def answer(
        self, card_id: int, rating: Rating, now: datetime, duration_ms: int | None = None
    ) -> AnswerResult:
        """Store an answer: card update and log row in one transaction, committed on return."""
        snap = self._fresh()
        moment = to_millis(now)
        with self.db.write():
            row = sql.load_card(self.db, card_id)
            if row is None:
                raise NotFoundError(f"no card with id {card_id}")
            if row.queue == QUEUE_SUSPENDED:
                raise InvalidInputError(f"card {card_id} is suspended")
            before = scheduling_state(row)
            preset = snap.preset_of_deck.get(row.deck_id, Preset())
            outcome = answer_outcome(
                before, preset, now, rating, zone=self.zone, draw=fuzz_draw(row.id, before.reps)
            )
            after = outcome.state
            undo: dict[str, Any] = {}
            values: dict[str, Any] = state_values(after)
            values["queue"] = int(after.state)
            values["buried_until"] = None
            values["modified_at"] = moment
            if row.queue == QUEUE_BURIED:
                undo["buried_until"] = row.buried_until
            if outcome.is_leech:
                undo["tags"] = row.tags
                values["queue"] = QUEUE_SUSPENDED
                values["tags"] = join_tags([*split_tags(row.tags), "leech"])
            sql.update_card(self.db, card_id, values)
            buried = self._bury_siblings(row, preset, now) if row.group_id and preset.bury_siblings else []
            if buried:
                undo["buried"] = [card for card, _, _ in buried]
            review_id = sql.insert_review(
                self.db,
                review_values(
                    card_id, now, rating, cap_duration(duration_ms), "review", before, after,
                    json.dumps(undo) if undo else "",
                ),
            )  # fmt: skip
        change = QueueChange(
            card_id=card_id,
            deck_id=row.deck_id,
            state_before=int(before.state),
            from_queue=row.queue,
            from_key=row.position if row.queue == CardState.NEW else row.due,
            to_queue=values["queue"],
            to_key=values["due"] if values["due"] is not None else 0,
            reviewed_at=moment,
        )
        for queue in self._queues.values():
            queue.answered(change)
            for card, deck_id, was in buried:
                queue.dropped(deck_id, was, card)
        return AnswerResult(
            card_id=card_id,
            review_id=review_id,
            rating=rating,
            before=before,
            after=after,
            leech=outcome.is_leech,
            buried_siblings=len(buried),
        )

    def _bury_siblings(self, row: CardValues, preset: Preset, now: datetime) -> list[tuple[int, int, int]]:
        until = to_millis(days.next_day_start(now, self.zone, preset.day_start_hour))
        siblings = sql.active_siblings(self.db, row.group_id, row.id)
        if siblings:
            sql.bury_cards(self.db, [card for card, _, _ in siblings], until)
        return siblings

    def undo(self, now: datetime) -> UndoResult | None:
        """Take back the last answer: restore the card exactly and remove the log row."""
        self._fresh()
        with self.db.write():
            last = sql.last_review(self.db)
            if last is None:
                return None
            card = sql.load_card(self.db, last.card_id)
            assert card is not None
            restored = SchedulingState(
                state=CardState(last.state_before),
                step=last.step_before,
                stability=last.stability_before,
                difficulty=last.difficulty_before,
                due=None if last.due_before is None else from_millis(last.due_before),
                last_review=None if last.last_review_before is None else from_millis(last.last_review_before),
                reps=max(0, card.reps - 1),
                lapses=card.lapses
                - (1 if last.state_before == CardState.REVIEW and last.rating == Rating.AGAIN else 0),
            )
            extra = json.loads(last.undo_data) if last.undo_data else {}
            values: dict[str, Any] = state_values(restored)
            values["queue"] = int(restored.state)
            values["buried_until"] = None
            values["modified_at"] = to_millis(now)
            if "buried_until" in extra:
                values["queue"] = QUEUE_BURIED
                values["buried_until"] = extra["buried_until"]
            if "tags" in extra:
                values["tags"] = extra["tags"]
            sql.update_card(self.db, last.card_id, values)
            if extra.get("buried"):
                sql.unbury_cards(self.db, extra["buried"])
            sql.delete_review(self.db, last.id)
        self._after_undo(last, card, values, bool(extra.get("buried")))
        return UndoResult(
            card_id=last.card_id,
            rating=Rating(last.rating),
            reviewed_at=from_millis(last.reviewed_at),
            restored=restored,
        )

    def _after_undo(
        self, last: ReviewValues, card: CardValues, values: dict[str, Any], unburied: bool
    ) -> None:
        if unburied:  # the siblings come back where the queue cannot see: build it again
            self._queues.clear()
            return
        key = card.position if values["queue"] == CardState.NEW else values["due"]
        change = QueueChange(
            card_id=card.id,
            deck_id=card.deck_id,
            state_before=last.state_before,
            from_queue=card.queue,
            from_key=card.position if card.queue == CardState.NEW else card.due,
            to_queue=values["queue"],
            to_key=key if key is not None else 0,
            reviewed_at=last.reviewed_at,
        )
        for queue in self._queues.values():
            queue.undone(change)

    def next_due_time(self, deck: str | None) -> datetime | None:
        """When the next card (learning or review) in `deck` is due."""
        snap = self._fresh()
        deck_ids = [d.id for d in snap.decks] if deck is None else self._scope(snap, deck)[0]
        if not deck_ids:
            return None
        with self.db.read():
            value = sql.next_due(self.db, deck_ids)
        return None if value is None else from_millis(value)
