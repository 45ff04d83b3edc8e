"""An import's plan: everything it will write, worked out from a read snapshot, without the write lock.

Matching 20,000 cards by id, encoding their content and hashing it is most of an import's
time; done inside the write transaction it kept a study session's answer waiting as long.
The plan is made in a read transaction (no lock: answers go on), and records what it relied
on (`Snapshot`): the package's cards as the collection held them, the decks it resolved and
the highest position. The short write transaction (`trainer.services.io_apply`) checks the
snapshot still holds and only then writes the planned rows; if another writer changed any of
it meanwhile, the plan is made again inside the write transaction, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.core.cards import hash_json
from trainer.core.columns import SCHEDULE_COLUMNS
from trainer.core.millis import optional_millis as millis
from trainer.core.millis import to_millis
from trainer.core.scheduling import SchedulingState
from trainer.formats.model import CardRecord, Package, ReviewRecord
from trainer.store import repo
from trainer.store.models import QUEUE_BURIED, QUEUE_SUSPENDED, CardRow, ReviewRow, insert_columns

Progress = Callable[[int, int], None]
CHUNK = 500
NEW = SchedulingState()  # shared by every card that starts new (frozen)
INSERT_COLUMNS = insert_columns(CardRow)  # every card column but the id, in the model's order
DECK_SLOT = INSERT_COLUMNS.index("deck_id")  # holds the file's deck name until the apply knows its id
REVIEW_COLUMNS = insert_columns(ReviewRow)  # every review column but the id, in the model's order
cards_t = repo.cards_t


@dataclass
class Snapshot:
    """What a plan relied on: the package's cards as stored (id, hash, tags, deck; nulls when absent),
    the decks it found by name and the highest card position."""

    cards: list[tuple[str, int | None, str | None, str | None, int | None]] = field(default_factory=list)
    decks: dict[str, int] = field(default_factory=dict)
    max_position: int = 0

    def holds(self, session: Session) -> bool:
        """Whether the decks and the highest position are still as planned (inside the write
        transaction; the cards themselves are checked against their staged copy,
        `trainer.services.io_stage.snapshot_changed`)."""
        position = int(session.execute(select(func.max(cards_t.c.position))).scalar() or 0)
        if position != self.max_position:
            return False
        stored = {
            name: deck_id for name, deck_id in session.execute(select(repo.decks_t.c.name, repo.decks_t.c.id))
        }
        return all(stored.get(name) == deck_id for name, deck_id in self.decks.items())


@dataclass
class Update:
    """A matched card's new values; `deck` names the file's deck when the card moves to it."""

    card_id: int
    key: str
    values: dict[str, Any]
    deck: str | None


@dataclass
class ImportPlan:
    """The rows an import writes, in the order the apply writes them."""

    snapshot: Snapshot
    added: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    inserts: list[tuple[Any, ...]] = field(default_factory=list)  # `INSERT_COLUMNS`, deck name at DECK_SLOT
    updates: list[Update] = field(default_factory=list)
    histories: dict[str, list[ReviewRecord]] = field(default_factory=dict)  # of added cards
    progress_of: list[tuple[int, CardRecord, dict[str, Any]]] = field(default_factory=list)
    decks: list[str] = field(default_factory=list)  # file deck names the cards use, first use first
    staged: bool = False  # new rows copied to TEMP tables (`trainer.services.io_stage`)
    kept_hashes: dict[str, str] = field(default_factory=dict)  # cards of kept Anki notes: content hash


def deck_path(prefix: str | None, name: str) -> str:
    """The collection deck a file's deck `name` goes to (under `prefix`, the import's target deck)."""
    return f"{prefix}::{name}" if prefix and name else (prefix or name or "Default")


def make_plan(
    session: Session,
    package: Package,
    prefix: str | None,
    now: datetime,
    progress: Progress | None = None,
) -> ImportPlan:
    """Work out an import's writes from what `session` sees (it only reads)."""
    stamp = millis(now)
    snapshot = Snapshot(max_position=int(session.execute(select(func.max(cards_t.c.position))).scalar() or 0))
    known = {d.name: d.id for d in repo.decks(session)}
    deck_ids: dict[str, int | None] = {}
    plan = ImportPlan(snapshot=snapshot)
    existing = _existing(session, [c.external_id for c in package.cards])
    position = snapshot.max_position
    seen: set[str] = set()
    joined: dict[tuple[str, ...], str] = {}  # tags -> stored form (notes share tags)
    scheduling = package.has_scheduling
    kept = package.anki_notes
    total = len(package.cards)
    for done, card in enumerate(package.cards, 1):
        key = card.external_id
        if key in seen:
            plan.skipped.append((card.where or key, "duplicate of an earlier card in the file"))
            continue
        seen.add(key)
        row = existing.get(key) if existing else None
        keeps_deck = row is not None and package.keep_decks  # as Anki's text import: no move
        if card.deck not in deck_ids and not keeps_deck:
            found = deck_ids[card.deck] = known.get(deck_path(prefix, card.deck))
            if found is not None:
                snapshot.decks[deck_path(prefix, card.deck)] = found
            plan.decks.append(card.deck)
        deck_id = row.deck_id if row is not None and keeps_deck else deck_ids[card.deck]
        raw_json = card.content.to_json()
        digest = hash_json(raw_json)
        if kept and card.group in kept:
            plan.kept_hashes[key] = digest
        tags = joined.get(card.tags)
        if tags is None:
            tags = joined[card.tags] = repo.join_tags(card.tags)
        if row is None:
            snapshot.cards.append((key, None, None, None, None))
            position += 1
            order = card.position if scheduling and card.position > 0 else position
            plan.inserts.append(
                _insert_values(card, card.deck, raw_json, digest, tags, order, stamp, scheduling)
            )
            if scheduling and card.reviews:
                plan.histories[key] = card.reviews
            plan.added.append(key)
        else:
            snapshot.cards.append((key, row.id, row.content_hash, row.tags, row.deck_id))
            _plan_update(plan, row, card, raw_json, digest, tags, deck_id, now)
            if scheduling:
                schedule = _file_progress(card, raw_json, digest, tags, row.position, stamp)
                if schedule is not None:
                    plan.progress_of.append((row.id, card, schedule))
        if progress and (done % 1000 == 0 or done == total):
            progress(done, total)
    return plan


def _plan_update(
    plan: ImportPlan, row: Any, card: CardRecord, raw_json: str, digest: str, tags: str,
    deck_id: int | None, now: datetime,
) -> None:  # fmt: skip
    values: dict[str, Any] = {}
    if row.content_hash != digest:
        values.update(content=raw_json, content_hash=digest, kind=card.content.kind.value)
    if row.tags != tags:
        values["tags"] = tags
    moves = row.deck_id != deck_id  # a deck not made yet (None) is a move too
    if values or moves:
        values["modified_at"] = now
        plan.updates.append(Update(row.id, card.external_id, values, card.deck if moves else None))
    else:
        plan.unchanged += 1


def _existing(session: Session, ids: list[str]) -> dict[str, Any]:
    """Cards of the collection with these stable ids (none asked when the collection is empty)."""
    existing: dict[str, Any] = {}
    if session.execute(select(cards_t.c.id).limit(1)).first() is None:
        return existing
    columns = (
        cards_t.c.id, cards_t.c.external_id, cards_t.c.content_hash, cards_t.c.tags, cards_t.c.deck_id,
        cards_t.c.position,
    )  # fmt: skip
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for row in session.execute(select(*columns).where(cards_t.c.external_id.in_(chunk))):
            existing[row.external_id] = row
    return existing


def _insert_values(
    card: CardRecord,
    deck: Any,
    raw_json: str,
    digest: str,
    tags: str,
    position: int,
    stamp: int | None,
    scheduling: bool,
) -> tuple[Any, ...]:
    """A new card's values in `INSERT_COLUMNS` order (times in epoch ms); a backup's exact values win."""
    state = card.scheduling if scheduling and card.scheduling else NEW
    queue = int(state.state)
    if scheduling and card.suspended:
        queue = QUEUE_SUSPENDED
    elif scheduling and card.buried:
        queue = QUEUE_BURIED
    values = (
        card.external_id, deck, card.content.kind.value, raw_json, digest, tags, card.source,
        card.group, position, int(state.state), queue, state.step, state.stability, state.difficulty,
        millis(state.due),
        millis(state.last_review),
        state.reps, state.lapses, stamp if queue == QUEUE_BURIED else None, card.flag if scheduling else 0,
        stamp if card.created_at is None else to_millis(card.created_at), stamp,
    )  # fmt: skip
    if not card.columns:
        return values
    exact = dict(zip(INSERT_COLUMNS, values, strict=True)) | card.columns
    return tuple(exact[name] for name in INSERT_COLUMNS)


def _file_progress(
    card: CardRecord, raw_json: str, digest: str, tags: str, position: int, stamp: int | None
) -> dict[str, Any] | None:
    """The file's scheduling columns of a matched card when the file studied, suspended, buried or
    flagged it (None for a card that is new and untouched in the file)."""
    row = _insert_values(card, None, raw_json, digest, tags, position, stamp, True)
    values = dict(zip(INSERT_COLUMNS, row, strict=True))
    schedule = {name: values[name] for name in SCHEDULE_COLUMNS}
    untouched = (
        schedule["state"] == 0 and schedule["queue"] == 0 and not schedule["reps"] and not schedule["flag"]
    )
    return None if untouched and not card.reviews else schedule


def review_values(records: list[ReviewRecord]) -> list[tuple[Any, ...]]:
    """A card's review log rows in `insert_columns(ReviewRow)` order, without the card id."""
    return [
        (
            millis(r.reviewed_at), r.rating, r.duration_ms, r.kind, int(r.state_before),
            r.step_before, r.stability_before, r.difficulty_before, millis(r.due_before),
            millis(r.last_review_before), int(r.state_after), r.step_after, r.stability_after,
            r.difficulty_after, millis(r.due_after), r.undo_data,
        )
        for r in records
    ]  # fmt: skip
