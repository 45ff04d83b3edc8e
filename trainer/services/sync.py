"""Loading deck files into a collection: a sync that never loses review history.

New cards are added; cards whose text changed keep their memory state and are reported;
cards gone from their file are suspended (tagged `orphan`) and reported; loading the same
files twice changes nothing. All files load in one transaction, or none does.

A card the learner edited in the app keeps the edit: `Collection.edit_card` records the
hash of the file's version it started from (meta `learner_edits`); a sync that finds the
file still at that version keeps the edit quietly (`kept_edits`), one that finds the file
changed too keeps the edit and reports the conflict (`conflicts`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from trainer.core.cards import hash_json
from trainer.core.deckfile import DeckSpec
from trainer.store import repo, study_sql
from trainer.store.engine import Database
from trainer.store.models import QUEUE_SUSPENDED
from trainer.store.rawdb import Queries
from trainer.views import SyncReport

ORPHAN_TAG = "orphan"
EDITS_KEY = "learner_edits"  # meta: {external id: hash of the file version the edit started from}
cards_t = repo.cards_t
decks_t = repo.decks_t


class _DryRun(Exception):
    """Raised to roll back a `--check` sync."""


def sync_decks(db: Database, specs: Sequence[DeckSpec], now: datetime, *, check: bool = False) -> SyncReport:
    """Sync parsed deck files into the collection (or, with `check`, only report)."""
    report = SyncReport(checked_only=check)
    try:
        with db.write() as session:
            edits = learner_edits(repo.sql(session))
            before = dict(edits)
            for spec in specs:
                _sync_deck(session, spec, now, report, edits)
            if edits != before:
                save_learner_edits(repo.sql(session), edits)
            if check:
                raise _DryRun
    except _DryRun:
        pass
    return report


def learner_edits(db: Queries) -> dict[str, str]:
    """Cards edited in the app: external id -> hash of the file version the edit started from."""
    raw = study_sql.meta(db, EDITS_KEY)
    try:
        found = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def save_learner_edits(db: Queries, edits: dict[str, str]) -> None:
    """Store the map of `learner_edits` (inside a write transaction)."""
    study_sql.set_meta(db, EDITS_KEY, json.dumps(edits, ensure_ascii=False, sort_keys=True))


def _deck_id(session: Session, spec: DeckSpec, report: SyncReport) -> int:
    preset = repo.preset_id(session, spec.preset or "Default")
    assert preset is not None
    sources = json.dumps(
        [{"id": s.id, "title": s.title, "file": s.file, "note": s.note} for s in spec.sources],
        ensure_ascii=False,
    )
    existing = session.execute(
        select(decks_t.c.id, decks_t.c.name).where(decks_t.c.external_id == spec.id)
    ).first()
    if existing is None:
        clash = session.execute(select(decks_t.c.id).where(decks_t.c.name == spec.name)).scalar()
        if clash is not None:
            deck_id = int(clash)
        else:
            deck_id, _ = repo.ensure_deck(session, spec.name, preset)
            report.decks_created.append(spec.name)
    else:
        deck_id = int(existing.id)
        if existing.name != spec.name:
            _rename_deck(session, deck_id, existing.name, spec.name, preset)
    values: dict[str, Any] = {
        "external_id": spec.id,
        "description": spec.description,
        "language": spec.language,
        "origin": spec.path,
        "sources": sources,
    }
    if spec.preset:
        values["preset_id"] = preset
    session.execute(update(decks_t).where(decks_t.c.id == deck_id).values(**values))
    return deck_id


def _rename_deck(session: Session, deck_id: int, old: str, new: str, preset: int) -> None:
    parent = new.rsplit("::", 1)[0] if "::" in new else ""
    if parent:
        repo.ensure_deck(session, parent, preset)
    session.execute(update(decks_t).where(decks_t.c.id == deck_id).values(name=new))
    for child in repo.subtree(repo.decks(session), old):
        if child.id != deck_id:
            session.execute(
                update(decks_t).where(decks_t.c.id == child.id).values(name=new + child.name[len(old) :])
            )


def _sync_deck(
    session: Session, spec: DeckSpec, now: datetime, report: SyncReport, edits: dict[str, str]
) -> None:
    deck_id = _deck_id(session, spec, report)
    prefix = spec.id + "/"
    existing = {
        row.external_id: row
        for row in session.execute(
            select(
                cards_t.c.id,
                cards_t.c.external_id,
                cards_t.c.content_hash,
                cards_t.c.tags,
                cards_t.c.source,
                cards_t.c.group_id,
                cards_t.c.deck_id,
                cards_t.c.queue,
                cards_t.c.state,
                cards_t.c.kind,
            ).where(cards_t.c.external_id.startswith(prefix, autoescape=True))
        )
    }
    position = session.execute(select(func.coalesce(func.max(cards_t.c.position), 0))).scalar() or 0
    inserts: list[dict[str, Any]] = []
    for card in spec.cards:
        tags = repo.join_tags(card.tags)
        raw = card.content.to_json()
        digest = hash_json(raw)
        row = existing.pop(card.external_id, None)
        if row is None:
            position += 1
            inserts.append(
                {
                    "external_id": card.external_id, "deck_id": deck_id,
                    "kind": card.content.kind.value, "content": raw,
                    "content_hash": digest, "tags": tags, "source": card.source,
                    "group_id": card.group, "position": position, "state": 0, "queue": 0,
                    "reps": 0, "lapses": 0, "flag": 0, "created_at": now, "modified_at": now,
                }
            )  # fmt: skip
            report.added.append(card.external_id)
            continue
        current_tags = set(repo.split_tags(row.tags))
        orphaned = ORPHAN_TAG in current_tags
        kept_tags = {t for t in current_tags if t in {"leech", "marked"}}
        wanted_tags = repo.join_tags([*card.tags, *sorted(kept_tags)])
        values: dict[str, Any] = {}
        edited_from = edits.get(card.external_id)
        if row.content_hash == digest:
            edits.pop(card.external_id, None)  # the file caught up with the learner's edit
        elif edited_from is not None:  # never overwrite the learner's edit
            target = report.kept_edits if edited_from == digest else report.conflicts
            target.append(card.external_id)
        else:
            values.update(content=raw, content_hash=digest, kind=card.content.kind.value)
            report.changed.append(card.external_id)
        if row.tags != wanted_tags:
            values["tags"] = wanted_tags
        if row.source != card.source:
            values["source"] = card.source
        if row.group_id != card.group:
            values["group_id"] = card.group
        if row.deck_id != deck_id:
            values["deck_id"] = deck_id
        if orphaned:
            values["queue"] = row.state if row.queue == QUEUE_SUSPENDED else row.queue
            report.restored.append(card.external_id)
        if values:
            values["modified_at"] = now
            session.execute(update(cards_t).where(cards_t.c.id == row.id).values(**values))
        if row.content_hash == digest:
            report.unchanged += 1
    if inserts:
        session.execute(cards_t.insert(), inserts)
    for external_id, row in existing.items():
        old_tags = set(repo.split_tags(row.tags))
        if ORPHAN_TAG in old_tags:
            continue
        session.execute(
            update(cards_t)
            .where(cards_t.c.id == row.id)
            .values(queue=QUEUE_SUSPENDED, tags=repo.join_tags([*old_tags, ORPHAN_TAG]), modified_at=now)
        )
        report.suspended.append(external_id)
