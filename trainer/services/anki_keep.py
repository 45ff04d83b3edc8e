"""The Anki notes kept beside imported cards: stored with an import, given back to an export.

An import stores each Anki note's raw fields and note type (`trainer.formats.anki_kept`)
with the content hash of each of its cards as stored. An export gives a note back only
while every card of it that leaves still has that hash: a card edited here (or changed by
a later import of other text) makes its note leave as trainer shows it instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, select
from sqlalchemy.orm import Session

from trainer.core.millis import to_millis
from trainer.formats.anki_kept import KeptNote, KeptNotetype
from trainer.formats.model import CardRecord, Package
from trainer.services.io_bulk import bulk_insert, driver_rows
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import AnkiCardRow, AnkiNoteRow, AnkiNotetypeRow, AnkiRevlogRow

notes_t = cast(Table, AnkiNoteRow.__table__)
notetypes_t = cast(Table, AnkiNotetypeRow.__table__)
revlog_t = cast(Table, AnkiRevlogRow.__table__)
anki_cards_t = cast(Table, AnkiCardRow.__table__)
cards_t = repo.cards_t
CHUNK = 500
_FIELD, _PAIR = "\x1f", "\x1e"  # never in field text or ids (control characters are cleaned out)


def _fields_text(fields: Sequence[str]) -> str:
    """A note's fields as stored: joined by 0x1f, as Anki's `notes.flds`."""
    return _FIELD.join(fields)


def _fields(text: str) -> tuple[str, ...]:
    if text.startswith('["') and text.endswith('"]') and _FIELD not in text:  # stored as JSON (0005 to 0007)
        try:
            return tuple(json.loads(text))
        except ValueError:
            pass
    return tuple(text.split(_FIELD))


def _cards_text(cards: Mapping[str, str]) -> str:
    """A note's cards and their content hashes as stored: `id 0x1f hash`, joined by 0x1e."""
    return _PAIR.join(f"{card}{_FIELD}{digest}" for card, digest in cards.items())


def _cards(text: str) -> dict[str, str]:
    if text.startswith("{"):  # stored as JSON (0005 to 0007)
        return dict(json.loads(text))
    return dict(pair.split(_FIELD, 1) for pair in text.split(_PAIR)) if text else {}


def store_kept(session: Session, package: Package, hashes: Mapping[str, str]) -> None:
    """Keep the package's Anki notes whose cards were stored (`hashes`: external id -> content hash)."""
    if not package.anki_notes:
        return
    members = kept_members(package, hashes)
    if not members:
        return
    type_ids = notetype_ids(session, {package.anki_notes[g].notetype for g in members}, package)
    groups = list(members)
    old: dict[str, str] = {}
    if session.execute(select(notes_t.c.group_id).limit(1)).first() is not None:
        for group, cards in _rows_in(
            session, select(notes_t.c.group_id, notes_t.c.cards), notes_t.c.group_id, groups
        ):
            old[group] = cards
        names = list(old)
        for start in range(0, len(names), CHUNK):
            session.execute(notes_t.delete().where(notes_t.c.group_id.in_(names[start : start + CHUNK])))
    rows = []
    for group in groups:
        note = package.anki_notes[group]
        cards = members[group]
        if group in old:  # cards of the note this file did not hold keep their entries
            cards = _cards(old[group]) | cards
        rows.append((group, type_ids[note.notetype], _fields_text(note.fields), _cards_text(cards)))
    bulk_insert(session, notes_t, ("group_id", "notetype_id", "fields", "cards"), rows)


def _rows_in(
    session: Session, statement: Select[Any], column: ColumnElement[Any], keys: Sequence[str]
) -> list[tuple[Any, ...]]:
    """The statement's rows whose `column` is one of `keys`: chunked for a few keys, one read of
    the whole table (filtered here) for many."""
    if len(keys) > 4 * CHUNK:
        wanted = set(keys)
        return [row for row in driver_rows(session, statement) if row[0] in wanted]
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(keys), CHUNK):
        out += driver_rows(session, statement.where(column.in_(keys[start : start + CHUNK])))
    return out


def kept_members(package: Package, hashes: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Card group -> {external id: content hash} of the package's Anki notes whose cards were stored."""
    members: dict[str, dict[str, str]] = {}
    for card in package.cards:
        note = package.anki_notes.get(card.group)
        if note is not None and card.external_id in hashes:
            kept = dict(note.hashes) if note.hashes else hashes  # a backup's: as at the first import
            if card.external_id in kept:
                members.setdefault(card.group, {})[card.external_id] = kept[card.external_id]
    return members


def stored_notes(session: Session, groups: list[str]) -> set[str]:
    """Which of these card groups already have a kept Anki note."""
    found: set[str] = set()
    for start in range(0, len(groups), CHUNK):
        chunk = groups[start : start + CHUNK]
        found.update(
            g for (g,) in session.execute(select(notes_t.c.group_id).where(notes_t.c.group_id.in_(chunk)))
        )
    return found


def notetype_ids(session: Session, digests: set[str], package: Package) -> dict[str, int]:
    """Stored row ids of these note types, storing the new ones."""
    wanted = sorted(digests)
    found = {
        digest: rid
        for digest, rid in session.execute(
            select(notetypes_t.c.digest, notetypes_t.c.id).where(notetypes_t.c.digest.in_(wanted))
        )
    }
    for digest in wanted:
        if digest not in found:
            kept = package.anki_notetypes[digest]
            values = {"digest": digest, "anki_id": kept.anki_id, "definition": kept.definition}
            session.execute(notetypes_t.insert().values(**values))
            found[digest] = session.execute(
                select(notetypes_t.c.id).where(notetypes_t.c.digest == digest)
            ).scalar_one()
    return found


def kept_notes(db: Database, records: Iterable[CardRecord]) -> dict[str, tuple[KeptNotetype, KeptNote]]:
    """Card group -> its kept Anki note, for groups whose exported cards are all unchanged."""
    groups: dict[str, list[str]] = {}
    for record in records:
        if record.group.startswith("anki/"):
            groups.setdefault(record.group, []).append(record.external_id)
    out: dict[str, tuple[KeptNotetype, KeptNote]] = {}
    if not groups:
        return out
    with db.read() as session:
        if session.execute(select(notes_t.c.group_id).limit(1)).first() is None:
            return out
        names = list(groups)
        rows = _rows_in(
            session,
            select(notes_t.c.group_id, notes_t.c.notetype_id, notes_t.c.fields, notes_t.c.cards),
            notes_t.c.group_id,
            names,
        )
        current = dict(
            (ext, digest)
            for _, ext, digest in _rows_in(
                session,
                select(cards_t.c.group_id, cards_t.c.external_id, cards_t.c.content_hash),
                cards_t.c.group_id,
                [row[0] for row in rows],
            )
        )
        types: dict[int, KeptNotetype] = {}
        for group, notetype_id, fields, cards in rows:
            stored = _cards(cards)
            if all(e in stored and current.get(e) == stored[e] for e in groups[group]):
                if notetype_id not in types:
                    types[notetype_id] = _notetype(session, notetype_id)
                kept_type = types[notetype_id]
                out[group] = (kept_type, KeptNote(kept_type.digest, _fields(fields)))
    return out


def _notetype(session: Session, row_id: int) -> KeptNotetype:
    anki_id, definition = session.execute(
        select(notetypes_t.c.anki_id, notetypes_t.c.definition).where(notetypes_t.c.id == row_id)
    ).one()
    return KeptNotetype(int(anki_id), str(definition))


def store_revlog(session: Session, rows: list[tuple[int, int, int, int, int | None, int | None]]) -> None:
    """Keep imported Anki revlog values: (card id, reviewed at ms, factor, type, ivl, lastIvl) each."""
    if not rows:
        return
    cards = sorted({row[0] for row in rows})
    for start in range(0, len(cards), CHUNK):
        session.execute(revlog_t.delete().where(revlog_t.c.card_id.in_(cards[start : start + CHUNK])))
    names = ("card_id", "reviewed_at", "factor", "type", "ivl", "last_ivl")
    session.execute(revlog_t.insert(), [dict(zip(names, row, strict=True)) for row in rows])


def attach_revlog(db: Database, records: Iterable[CardRecord]) -> None:
    """Give the exported review rows that came from Anki their kept factor, type and intervals (in
    place; rows kept before revision 0007 have no intervals: the export computes them)."""
    with db.read() as session:
        if session.execute(select(revlog_t.c.card_id).limit(1)).first() is None:
            return
        kept: dict[str, dict[int, tuple[int, int, int | None, int | None]]] = {}
        query = select(
            cards_t.c.external_id, revlog_t.c.reviewed_at, revlog_t.c.factor, revlog_t.c.type,
            revlog_t.c.ivl, revlog_t.c.last_ivl,
        ).join(cards_t, cards_t.c.id == revlog_t.c.card_id)  # fmt: skip
        for external_id, at, factor, rtype, ivl, last_ivl in driver_rows(session, query):
            kept.setdefault(external_id, {})[at] = (factor, rtype, ivl, last_ivl)
    for record in records:
        found = kept.get(record.external_id)
        if found:
            record.reviews = [
                replace(r, anki=found[key]) if (key := to_millis(r.reviewed_at)) in found else r
                for r in record.reviews
            ]


def store_card_values(session: Session, package: Package, keys: Iterable[str]) -> None:
    """Keep the Anki ease, interval and answer count of the package's cards stored (`keys`)."""
    wanted = set(keys)
    rows = [
        (card.external_id, *card.anki_card)
        for card in package.cards
        if card.anki_card is not None and card.external_id in wanted
    ]
    if not rows:
        return
    names = sorted(row[0] for row in rows)
    for start in range(0, len(names), CHUNK):
        session.execute(
            anki_cards_t.delete().where(anki_cards_t.c.external_id.in_(names[start : start + CHUNK]))
        )
    bulk_insert(session, anki_cards_t, ("external_id", "ivl", "factor", "reps"), rows)


def attach_card_values(db: Database, records: Iterable[CardRecord]) -> None:
    """Give exported cards that came from Anki their kept (ivl, factor, reps at import), in place."""
    with db.read() as session:
        if session.execute(select(anki_cards_t.c.external_id).limit(1)).first() is None:
            return
        query = select(
            anki_cards_t.c.external_id, anki_cards_t.c.ivl, anki_cards_t.c.factor, anki_cards_t.c.reps
        )
        kept = {
            key: (int(ivl), int(factor), int(reps)) for key, ivl, factor, reps in driver_rows(session, query)
        }
    for record in records:
        found = kept.get(record.external_id)
        if found is not None:
            record.anki_card = found


def json_section(db: Database, external_ids: Sequence[str]) -> dict[str, Any]:
    """The kept Anki notes, note types, revlog and card values of these cards, for the JSON backup."""
    wanted = set(external_ids)
    out: dict[str, Any] = {"notetypes": {}, "notes": {}, "revlog": {}, "cards": {}}
    with db.read() as session:
        if session.execute(select(notes_t.c.group_id).limit(1)).first() is not None:
            rows = session.execute(
                select(notes_t.c.group_id, notes_t.c.fields, notes_t.c.cards, notetypes_t.c.digest,
                       notetypes_t.c.anki_id, notetypes_t.c.definition)
                .join(notetypes_t, notetypes_t.c.id == notes_t.c.notetype_id)
            )  # fmt: skip
            for group, fields, cards, digest, anki_id, definition in rows:
                hashes = {k: v for k, v in _cards(cards).items() if k in wanted}
                if not hashes:
                    continue
                out["notetypes"][digest] = {"anki_id": anki_id, "definition": json.loads(definition)}
                out["notes"][group] = {"notetype": digest, "fields": list(_fields(fields)), "cards": hashes}
        if session.execute(select(revlog_t.c.card_id).limit(1)).first() is not None:
            query = select(
                cards_t.c.external_id, revlog_t.c.reviewed_at, revlog_t.c.factor, revlog_t.c.type,
                revlog_t.c.ivl, revlog_t.c.last_ivl,
            ).join(cards_t, cards_t.c.id == revlog_t.c.card_id)  # fmt: skip
            for external_id, *values in session.execute(query):
                if external_id in wanted:
                    out["revlog"].setdefault(external_id, []).append(values)
        kept_cards = select(
            anki_cards_t.c.external_id, anki_cards_t.c.ivl, anki_cards_t.c.factor, anki_cards_t.c.reps
        )
        for external_id, ivl, factor, reps in session.execute(kept_cards):
            if external_id in wanted:
                out["cards"][external_id] = [int(ivl), int(factor), int(reps)]
    return out if any(out.values()) else {}
