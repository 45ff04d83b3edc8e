"""Import and export: one transaction per import, media beside the collection.

Cards are matched by stable id (`anki/<guid>/<ord>`, deck ids, ...): a re-import updates
text, tags and deck in place and keeps the learner's scheduling; new cards bring their
scheduling and review log when the file has them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from trainer.core.cards import CardContent
from trainer.core.scheduling import SchedulingState
from trainer.formats.model import CardRecord, Package, ReviewRecord
from trainer.formats.safety import inside, safe_media_name
from trainer.store import repo
from trainer.store.backup import backup_sqlite
from trainer.store.engine import Database
from trainer.store.models import QUEUE_BURIED, QUEUE_SUSPENDED

Progress = Callable[[int, int], None]
LARGE_IMPORT = 1000  # cards: back up the collection first
CHUNK = 500
cards_t = repo.cards_t
reviews_t = repo.reviews_t


@dataclass
class ImportReport:
    """What an import did."""

    file: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    reviews: int = 0
    media: list[str] = field(default_factory=list)
    decks_created: list[str] = field(default_factory=list)
    backup: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "file": self.file, "added": len(self.added), "updated": self.updated,
            "unchanged": self.unchanged, "skipped": [{"where": w, "why": y} for w, y in self.skipped],
            "reviews": self.reviews, "media": self.media, "decks_created": self.decks_created,
            "backup": self.backup,
        }  # fmt: skip


@dataclass
class ExportReport:
    """What an export wrote."""

    file: str
    format: str
    cards: int = 0
    notes: int = 0
    reviews: int = 0
    media: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)


def media_dir(db: Database) -> Path | None:
    """The `media/` folder beside an SQLite collection."""
    path = db.sqlite_path
    return path.parent / "media" if path else None


def import_package(
    db: Database,
    package: Package,
    file: str,
    now: datetime,
    *,
    deck: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Store a read package in one transaction (after a backup when it is large)."""
    report = ImportReport(file=file, skipped=list(package.skipped))
    path = db.sqlite_path
    if path is not None and path.exists() and len(package.cards) >= LARGE_IMPORT:
        report.backup = str(backup_sqlite(path, "import", now))
    total = len(package.cards)
    with db.write() as session:
        preset = repo.preset_id(session, "Default")
        assert preset is not None
        for p in package.presets:
            if repo.preset_id(session, p.name, create=False) is None:
                repo.insert_id(session, repo.presets_t, repo.preset_values(p))
        existing_decks = {d.name for d in repo.decks(session)}
        deck_ids: dict[str, int] = {}
        seen: set[str] = set()
        existing: dict[str, Any] = {}
        ids = [c.external_id for c in package.cards]
        for start in range(0, len(ids), CHUNK):
            for row in session.execute(
                select(cards_t.c.id, cards_t.c.external_id, cards_t.c.content_hash, cards_t.c.tags,
                       cards_t.c.deck_id).where(cards_t.c.external_id.in_(ids[start : start + CHUNK]))
            ):  # fmt: skip
                existing[row.external_id] = row
        position = int(session.execute(select(func.max(cards_t.c.position))).scalar() or 0)
        inserts: list[dict[str, Any]] = []
        histories: dict[str, list[ReviewRecord]] = {}
        for done, card in enumerate(package.cards, 1):
            if card.external_id in seen:
                report.skipped.append(
                    (card.where or card.external_id, "duplicate of an earlier card in the file")
                )
                continue
            seen.add(card.external_id)
            name = f"{deck}::{card.deck}" if deck and card.deck else (deck or card.deck or "Default")
            if name not in deck_ids:
                preset_name = package.deck_presets.get(card.deck)
                pid = (repo.preset_id(session, preset_name) if preset_name else None) or preset
                deck_ids[name], _ = repo.ensure_deck(session, name, pid)
                if name not in existing_decks:
                    report.decks_created.append(name)
                    existing_decks.add(name)
            deck_id = deck_ids[name]
            raw_json, digest = content_json(card.content)
            tags = repo.join_tags(card.tags)
            row = existing.get(card.external_id)
            if row is not None:
                values: dict[str, Any] = {}
                if row.content_hash != digest:
                    values.update(content=raw_json, content_hash=digest, kind=card.content.kind.value)
                if row.tags != tags:
                    values["tags"] = tags
                if row.deck_id != deck_id:
                    values["deck_id"] = deck_id
                if values:
                    values["modified_at"] = now
                    session.execute(cards_t.update().where(cards_t.c.id == row.id).values(**values))
                    report.updated.append(card.external_id)
                else:
                    report.unchanged += 1
            else:
                position += 1
                order = card.position if package.has_scheduling and card.position > 0 else position
                inserts.append(
                    _insert_values(
                        card, deck_id, (raw_json, digest), tags, order, now, package.has_scheduling
                    )
                )
                if package.has_scheduling and card.reviews:
                    histories[card.external_id] = card.reviews
                report.added.append(card.external_id)
            if progress and (done % 1000 == 0 or done == total):
                progress(done, total)
        for start in range(0, len(inserts), CHUNK * 4):
            session.execute(cards_t.insert(), inserts[start : start + CHUNK * 4])
        if histories:
            report.reviews = _insert_reviews(session, histories)
    report.media = _store_media(db, package.media)
    return report


def content_json(content: CardContent) -> tuple[str, str]:
    """`content.to_json()` and its hash, computed without `dataclasses.asdict` (hot path)."""
    data: dict[str, Any] = {"kind": content.kind.value}
    for name in ("front", "back", "text", "hint", "note", "group_title"):
        value = getattr(content, name)
        if value:
            data[name] = value
    if content.cloze_ord:
        data["cloze_ord"] = content.cloze_ord
    if content.answers:
        data["answers"] = list(content.answers)
    if content.distractors:
        data["distractors"] = list(content.distractors)
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return raw, hashlib.sha256(raw.encode()).hexdigest()[:16]


def _insert_values(
    card: CardRecord,
    deck_id: int,
    stored: tuple[str, str],
    tags: str,
    position: int,
    now: datetime,
    scheduling: bool,
) -> dict[str, Any]:
    state = card.scheduling if scheduling and card.scheduling else SchedulingState()
    queue = int(state.state)
    if scheduling and card.suspended:
        queue = QUEUE_SUSPENDED
    elif scheduling and card.buried:
        queue = QUEUE_BURIED
    return {
        "external_id": card.external_id, "deck_id": deck_id, "kind": card.content.kind.value,
        "content": stored[0], "content_hash": stored[1], "tags": tags, "source": card.source,
        "group_id": card.group, "position": position, **repo.state_values(state), "queue": queue,
        "buried_until": now if queue == QUEUE_BURIED else None, "flag": card.flag if scheduling else 0,
        "created_at": now, "modified_at": now,
    }  # fmt: skip


def _insert_reviews(session: Any, histories: dict[str, list[ReviewRecord]]) -> int:
    ids: dict[str, int] = {}
    keys = list(histories)
    for start in range(0, len(keys), CHUNK):
        for row in session.execute(
            select(cards_t.c.id, cards_t.c.external_id).where(
                cards_t.c.external_id.in_(keys[start : start + CHUNK])
            )
        ):
            ids[row.external_id] = row.id
    rows = [
        {
            "card_id": ids[key], "reviewed_at": r.reviewed_at, "rating": r.rating, "duration_ms": r.duration_ms,
            "kind": r.kind, "state_before": int(r.state_before), "state_after": int(r.state_after),
            "due_after": r.due_after, "stability_after": r.stability_after,
            "difficulty_after": r.difficulty_after, "undo_data": "",
        }
        for key, records in histories.items()
        for r in records
    ]  # fmt: skip
    for start in range(0, len(rows), CHUNK * 4):
        session.execute(reviews_t.insert(), rows[start : start + CHUNK * 4])
    return len(rows)


def _store_media(db: Database, media: dict[str, bytes]) -> list[str]:
    folder = media_dir(db)
    if folder is None or not media:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    for name, data in media.items():
        if safe_media_name(name) is None:
            continue
        target = inside(folder, name)
        temp = target.with_name(f".{name}.part")
        with open(temp, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
        written.append(name)
    return written


def collect_cards(db: Database, deck: str | None, *, scheduling: bool) -> tuple[list[CardRecord], list[int]]:
    """The collection's cards (optionally one deck tree) as records, with their ids."""
    with db.read() as session:
        all_decks = repo.decks(session)
        chosen = repo.subtree(all_decks, deck) if deck else all_decks
        if deck and not chosen:
            raise LookupError(f"no deck named '{deck}'")
        names = {d.id: d.name for d in chosen}
        rows = list(
            session.execute(
                select(*repo.CARD_COLUMNS, cards_t.c.position)
                .where(cards_t.c.deck_id.in_(list(names)))
                .order_by(cards_t.c.deck_id, cards_t.c.position, cards_t.c.id)
            )
        )
        history: dict[int, list[ReviewRecord]] = {}
        if scheduling:
            history = _histories(session, [r.id for r in rows])
    records: list[CardRecord] = []
    for row in rows:
        view = repo.card_view(row, names)
        records.append(
            CardRecord(
                external_id=view.external_id, deck=view.deck_name, content=view.content, tags=view.tags,
                group=view.group_id, source=view.source, position=row.position,
                scheduling=view.state if scheduling else None, suspended=view.suspended and scheduling,
                buried=view.buried and scheduling, flag=view.flag if scheduling else 0,
                reviews=history.get(view.id, []),
            )
        )  # fmt: skip
    return records, [r.id for r in rows]


def _histories(session: Any, card_ids: Sequence[int]) -> dict[int, list[ReviewRecord]]:
    from trainer.core.scheduling import CardState

    out: dict[int, list[ReviewRecord]] = {}
    for start in range(0, len(card_ids), CHUNK):
        for r in session.execute(
            select(reviews_t)
            .where(reviews_t.c.card_id.in_(card_ids[start : start + CHUNK]))
            .order_by(reviews_t.c.reviewed_at, reviews_t.c.id)
        ):
            out.setdefault(r.card_id, []).append(
                ReviewRecord(
                    reviewed_at=r.reviewed_at, rating=r.rating, duration_ms=r.duration_ms,
                    state_before=CardState(r.state_before), state_after=CardState(r.state_after),
                    due_after=r.due_after, stability_after=r.stability_after,
                    difficulty_after=r.difficulty_after, kind=r.kind,
                )
            )  # fmt: skip
    return out


def read_media(db: Database, names: Iterable[str]) -> dict[str, bytes]:
    """Media files referenced by exported cards, when present in the media folder."""
    folder = media_dir(db)
    out: dict[str, bytes] = {}
    if folder is None or not folder.is_dir():
        return out
    for name in names:
        if safe_media_name(name) and (folder / name).is_file():
            out[name] = (folder / name).read_bytes()
    return out


def import_file(
    db: Database,
    path: Path,
    now: datetime,
    *,
    deck: str | None = None,
    scheduling: bool = True,
    fmt: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read `path` (any supported format) and import it."""
    from trainer.formats.registry import read_file

    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    package = read_file(path, fmt, scheduling=scheduling, deck=deck)
    if not scheduling:
        package.has_scheduling = False
    from trainer.formats.registry import import_format

    deck_for = deck if import_format(path, fmt) == "apkg" else None
    return import_package(db, package, str(path), now, deck=deck_for, progress=progress)


def export_file(
    db: Database,
    path: Path,
    now: datetime,
    *,
    deck: str | None = None,
    fmt: str | None = None,
    scheduling: bool = True,
) -> ExportReport:
    """Write cards (all, or one deck tree) to `path`."""
    from trainer.formats.registry import export_format

    chosen = export_format(path, fmt)
    records, _ = collect_cards(db, deck, scheduling=scheduling)
    report = ExportReport(file=str(path), format=chosen, cards=len(records))
    report.notes = len({r.group or r.external_id for r in records})
    report.reviews = sum(len(r.reviews) for r in records)
    if chosen == "apkg":
        from trainer.formats.apkg_write import write_package

        media = read_media(db, {n for r in records for n in r.source.split("\n") if safe_media_name(n)})
        write_package(path, records, media, now, scheduling=scheduling)
        report.media = len(media)
    elif chosen in ("csv", "tsv"):
        from trainer.formats.csv_text import write_text

        write_text(path, records, delimiter="\t" if chosen == "tsv" else ",")
    elif chosen == "toml":
        from trainer.formats.native import write_native

        write_native(path, records, deck)
    else:
        from trainer.formats.jsonfmt import write_json

        with db.read() as session:
            presets = list(repo.presets(session).values())
        write_json(path, records, presets, now)
    return report
