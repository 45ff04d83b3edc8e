"""Import and export: one transaction per import, media beside the collection.

Cards are matched by stable id (`anki/<guid>/<ord>`, deck ids, ...): a re-import updates
text, tags and deck in place and keeps the learner's scheduling; new cards bring their
scheduling and review log when the file has them. A matching card never studied here takes the
file's scheduling and review log (restoring a backup onto a collection that already holds the
same cards); a card studied on both sides keeps this collection's, and the report says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.core.cards import hash_json
from trainer.core.columns import SCHEDULE_COLUMNS
from trainer.core.files import regular_file
from trainer.core.millis import optional_millis as millis
from trainer.core.millis import to_millis
from trainer.core.scheduling import SchedulingState
from trainer.formats.model import CardRecord, Package, ReviewRecord
from trainer.formats.safety import reading
from trainer.services.anki_keep import attach_revlog, kept_notes, store_kept, store_revlog
from trainer.services.gc_pause import paused_gc
from trainer.services.io_bulk import bulk_insert
from trainer.services.media_stage import rename_references, stage_media
from trainer.store import repo
from trainer.store.backup import backup_sqlite
from trainer.store.engine import Database
from trainer.store.models import QUEUE_BURIED, QUEUE_SUSPENDED, CardRow, ReviewRow, insert_columns

Progress = Callable[[int, int], None]
LARGE_IMPORT = 1000  # cards: back up the collection first
CHUNK = 500
NEW = SchedulingState()  # shared by every card that starts new (frozen)
BIG_CACHE, DEFAULT_CACHE = 65536, 2000  # KiB
cards_t = repo.cards_t
decks_t = repo.decks_t
reviews_t = repo.reviews_t


@dataclass
class ImportReport:
    """What an import did."""

    file: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)  # brought over, not all of it
    reviews: int = 0
    restored: list[str] = field(default_factory=list)  # matched, unstudied here: file's progress taken
    kept: list[str] = field(default_factory=list)  # studied here and in the file: this collection's kept
    media: list[str] = field(default_factory=list)
    decks_created: list[str] = field(default_factory=list)
    presets_created: list[str] = field(default_factory=list)
    backup: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "file": self.file, "added": len(self.added), "updated": self.updated,
            "unchanged": self.unchanged, "skipped": [{"where": w, "why": y} for w, y in self.skipped],
            "notices": [{"where": w, "what": y} for w, y in self.notices],
            "reviews": self.reviews, "restored": len(self.restored), "kept": len(self.kept),
            "media": self.media, "decks_created": self.decks_created,
            "presets_created": self.presets_created,
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
    files: list[str] = field(default_factory=list)  # every file written

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
    report = ImportReport(file=file, skipped=list(package.skipped), notices=list(package.notices))
    path = db.sqlite_path
    if path is not None and path.exists() and len(package.cards) >= LARGE_IMPORT and _has_cards(db):
        report.backup = str(backup_sqlite(path, "import", now))
    stamp = millis(now)
    staged = stage_media(media_dir(db), package.media)  # media go in with the cards, or not at all
    rename_references(package.cards, staged.renamed)
    if staged.renamed and package.anki_notes:
        package.anki_notes = {g: n.renamed(staged.renamed) for g, n in package.anki_notes.items()}
    try:
        with db.write() as session:
            with _page_cache(session, db, len(package.cards)):
                _store_package(session, db, package, deck, report, now, stamp, progress)
            staged.place()  # just before the commit: a failed commit removes them below
    except BaseException:
        staged.discard()
        raise
    report.media = staged.names
    return report


def _store_package(
    session: Session,
    db: Database,
    package: Package,
    deck: str | None,
    report: ImportReport,
    now: datetime,
    stamp: int | None,
    progress: Progress | None,
) -> None:
    """The import's writes, in the caller's transaction."""
    total = len(package.cards)
    _store_presets(session, package, report)
    decks = _Decks(session, package, deck, report)
    for name in package.deck_meta:
        decks.id_for(name)
    existing = _existing(session, [c.external_id for c in package.cards])
    position = int(session.execute(select(func.max(cards_t.c.position))).scalar() or 0)
    max_id = int(session.execute(select(func.max(cards_t.c.id))).scalar() or 0)
    inserts: list[tuple[Any, ...]] = []
    histories: dict[str, list[ReviewRecord]] = {}
    progress_of: list[tuple[Any, CardRecord, dict[str, Any]]] = []  # matched cards the file studied
    seen: set[str] = set()
    joined: dict[tuple[str, ...], str] = {}  # tags -> stored form (notes share tags)
    deck_ids = decks.by_file_name
    scheduling = package.has_scheduling
    added = report.added
    kept = package.anki_notes
    hashes: dict[str, str] = {}  # cards of kept Anki notes: stored content hash
    for done, card in enumerate(package.cards, 1):
        key = card.external_id
        if key in seen:
            report.skipped.append((card.where or key, "duplicate of an earlier card in the file"))
            continue
        seen.add(key)
        deck_id = deck_ids.get(card.deck)
        if deck_id is None:
            deck_id = decks.id_for(card.deck)
        raw_json = card.content.to_json()
        digest = hash_json(raw_json)
        if kept and card.group in kept:
            hashes[key] = digest
        tags = joined.get(card.tags)
        if tags is None:
            tags = joined[card.tags] = repo.join_tags(card.tags)
        row = existing.get(key) if existing else None
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
                report.updated.append(key)
            else:
                report.unchanged += 1
            if scheduling:
                schedule = _file_progress(card, deck_id, raw_json, digest, tags, row.position, stamp)
                if schedule is not None:
                    progress_of.append((row, card, schedule))
        else:
            position += 1
            order = card.position if scheduling and card.position > 0 else position
            inserts.append(_insert_values(card, deck_id, raw_json, digest, tags, order, stamp, scheduling))
            if scheduling and card.reviews:
                histories[key] = card.reviews
            added.append(key)
        if progress and (done % 1000 == 0 or done == total):
            progress(done, total)
    bulk_insert(session, cards_t, INSERT_COLUMNS, inserts)
    if histories:
        report.reviews = _insert_reviews(session, histories, max_id)
    if progress_of:
        _restore_progress(session, progress_of, report)
    store_kept(session, package, hashes)


@contextmanager
def _page_cache(session: Session, db: Database, cards: int) -> Iterator[None]:
    """A 64 MiB SQLite page cache on this connection while a large import fills indexed tables
    (with the 2 MiB default their pages spill to the WAL mid-transaction: about 9 % of the wall
    time of a 20,000-note import here); the previous size comes back afterwards, error or not."""
    if db.sqlite_path is None or cards < LARGE_IMPORT:
        yield
        return
    connection = session.connection()
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{BIG_CACHE}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(previous or -DEFAULT_CACHE)}")


def _has_cards(db: Database) -> bool:
    with db.read() as session:
        return session.execute(select(cards_t.c.id).limit(1)).first() is not None


class _Decks:
    """Deck ids by name, creating decks (with their preset and description) on first use."""

    def __init__(self, session: Session, package: Package, prefix: str | None, report: ImportReport) -> None:
        self.session = session
        self.package = package
        self.prefix = prefix
        self.report = report
        self.ids = {d.name: d.id for d in repo.decks(session)}
        self.default = repo.preset_id(session, "Default")
        self.by_file_name: dict[str, int] = {}

    def id_for(self, name: str) -> int:
        """The id of the deck a card of the file's deck `name` goes to."""
        found = self.by_file_name.get(name)
        if found is not None:
            return found
        full = f"{self.prefix}::{name}" if self.prefix and name else (self.prefix or name or "Default")
        deck_id = self.ids.get(full)
        if deck_id is None:
            preset_name = self.package.deck_presets.get(name)
            preset = repo.preset_id(self.session, preset_name) if preset_name else None
            deck_id, _ = repo.ensure_deck(self.session, full, preset or self.default or 0)
            self.ids[full] = deck_id
            self.report.decks_created.append(full)
            meta = self.package.deck_meta.get(name)
            if meta:
                self.session.execute(decks_t.update().where(decks_t.c.id == deck_id).values(**meta))
        self.by_file_name[name] = deck_id
        return deck_id


def _store_presets(session: Session, package: Package, report: ImportReport) -> None:
    """Create the file's presets that its decks use (a backup's: all, overwriting same-named ones)."""
    used = {package.deck_presets.get(c.deck) for c in package.cards} | {
        package.deck_presets.get(name) for name in package.deck_meta
    }
    for preset in package.presets:
        if not package.replace_presets and preset.name not in used:
            continue
        found = repo.preset_id(session, preset.name, create=False)
        if found is None:
            repo.insert_id(session, repo.presets_t, repo.preset_values(preset))
            report.presets_created.append(preset.name)
        elif package.replace_presets:
            values = repo.preset_values(preset)
            session.execute(repo.presets_t.update().where(repo.presets_t.c.id == found).values(**values))


def _existing(session: Session, ids: list[str]) -> dict[str, Any]:
    """Cards of the collection with these stable ids (none asked when the collection is empty)."""
    existing: dict[str, Any] = {}
    if session.execute(select(cards_t.c.id).limit(1)).first() is None:
        return existing
    columns = (
        cards_t.c.id, cards_t.c.external_id, cards_t.c.content_hash, cards_t.c.tags, cards_t.c.deck_id,
        cards_t.c.position, *(cards_t.c[name] for name in SCHEDULE_COLUMNS),
    )  # fmt: skip
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for row in session.execute(select(*columns).where(cards_t.c.external_id.in_(chunk))):
            existing[row.external_id] = row
    return existing


INSERT_COLUMNS = insert_columns(CardRow)  # every card column but the id, in the model's order
REVIEW_COLUMNS = insert_columns(ReviewRow)


def _insert_values(
    card: CardRecord,
    deck_id: int,
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
        card.external_id, deck_id, card.content.kind.value, raw_json, digest, tags, card.source,
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
    card: CardRecord, deck_id: int, raw_json: str, digest: str, tags: str, position: int, stamp: int | None
) -> dict[str, Any] | None:
    """The file's scheduling columns of a matched card when the file studied, suspended, buried or
    flagged it (None for a card that is new and untouched in the file)."""
    row = _insert_values(card, deck_id, raw_json, digest, tags, position, stamp, True)
    values = dict(zip(INSERT_COLUMNS, row, strict=True))
    schedule = {name: values[name] for name in SCHEDULE_COLUMNS}
    untouched = (
        schedule["state"] == 0 and schedule["queue"] == 0 and not schedule["reps"] and not schedule["flag"]
    )
    return None if untouched and not card.reviews else schedule


def _restore_progress(
    session: Session, matched: list[tuple[Any, CardRecord, dict[str, Any]]], report: ImportReport
) -> None:
    """Give matched cards never studied here the file's scheduling and review log; keep (and report)
    the progress of cards studied on both sides."""
    ids = [row.id for row, _, _ in matched]
    logged: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        query = (
            select(reviews_t.c.card_id).where(reviews_t.c.card_id.in_(ids[start : start + CHUNK])).distinct()
        )
        logged.update(card_id for (card_id,) in session.execute(query))
    histories: dict[str, list[ReviewRecord]] = {}
    card_ids: dict[str, int] = {}
    skipped_reviews = 0
    for row, card, schedule in matched:
        studied = row.id in logged or row.reps or row.state != 0 or row.queue != 0 or row.flag
        if studied:
            current = {
                name: millis(v) if isinstance(v, datetime) else v for name, v in _schedule(row).items()
            }
            if current == schedule:
                continue  # the same progress on both sides (a backup of this collection)
            report.kept.append(card.external_id)
            skipped_reviews += len(card.reviews)
            continue
        session.execute(cards_t.update().where(cards_t.c.id == row.id).values(**schedule))
        report.restored.append(card.external_id)
        if card.reviews:
            histories[card.external_id] = card.reviews
            card_ids[card.external_id] = row.id
    if histories:
        report.reviews += _insert_reviews(session, histories, ids=card_ids)
    if report.kept:
        report.notices.append((
            f"{len(report.kept)} cards",
            "studied both here and in the file: kept this collection's scheduling and review log "
            f"(the file's {skipped_reviews} reviews of them not imported)",
        ))  # fmt: skip


def _schedule(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in SCHEDULE_COLUMNS}


def _insert_reviews(
    session: Session,
    histories: dict[str, list[ReviewRecord]],
    after_id: int = 0,
    *,
    ids: dict[str, int] | None = None,
) -> int:
    """Insert review logs: of the cards just added (ids above `after_id`) or of the cards `ids` names."""
    if ids is None:
        query = select(cards_t.c.external_id, cards_t.c.id).where(cards_t.c.id > after_id)
        ids = {key: card_id for key, card_id in session.execute(query).all()}
    rows = [
        (
            ids[key], millis(r.reviewed_at), r.rating, r.duration_ms, r.kind, int(r.state_before),
            r.step_before, r.stability_before, r.difficulty_before, millis(r.due_before),
            millis(r.last_review_before), int(r.state_after), r.step_after, r.stability_after,
            r.difficulty_after, millis(r.due_after), r.undo_data,
        )
        for key, records in histories.items()
        for r in records
    ]  # fmt: skip
    bulk_insert(session, reviews_t, REVIEW_COLUMNS, rows)
    store_revlog(
        session,
        [
            (ids[key], millis(r.reviewed_at) or 0, *r.anki)
            for key, records in histories.items()
            for r in records
            if r.anki is not None
        ],
    )
    return len(rows)


def import_file(
    db: Database,
    path: Path,
    now: datetime,
    *,
    deck: str | None = None,
    scheduling: bool = True,
    fmt: str | None = None,
    progress: Progress | None = None,
    replace_presets: bool = False,
) -> ImportReport:
    """Read `path` (any supported format), check everything it holds, and import it.

    Nothing is written unless every value passes `check_package`; a file's presets replace
    same-named ones only with `replace_presets`."""
    from trainer.formats.boundary import check_package
    from trainer.formats.registry import import_format, read_file

    regular_file(path)
    with paused_gc():
        with reading(path):
            package = read_file(path, fmt, scheduling=scheduling, deck=deck)
        try:
            with reading(path):
                if not scheduling:
                    package.has_scheduling = False
                package.replace_presets = replace_presets
                deck_for = deck if import_format(path, fmt) == "apkg" else None
                check_package(package, path, prefix=deck_for)
            return import_package(db, package, str(path), now, deck=deck_for, progress=progress)
        finally:
            package.discard()


def export_file(
    db: Database,
    path: Path,
    now: datetime,
    *,
    deck: str | None = None,
    fmt: str | None = None,
    scheduling: bool = True,
    zone: tzinfo | None = None,
    split: bool = False,
    spreadsheet_safe: bool = False,
) -> ExportReport:
    """Write cards (all, or one deck tree) to `path`; Anki's day numbers count study days in `zone`;
    `split`: TOML deck files one per deck beside `path` instead of one collection file;
    `spreadsheet_safe`: CSV/TSV cells that look like formulas get a `'` (Anki keeps it)."""
    from trainer.formats.registry import export_format

    chosen = export_format(path, fmt)
    regular_file(path, write=True)
    with paused_gc():
        return _export(db, path, now, chosen, deck, scheduling, zone, split, spreadsheet_safe)


def _export(
    db: Database,
    path: Path,
    now: datetime,
    chosen: str,
    deck: str | None,
    scheduling: bool,
    zone: tzinfo | None,
    split: bool = False,
    spreadsheet_safe: bool = False,
) -> ExportReport:
    from trainer.services import io_export

    report = ExportReport(file=str(path), format=chosen)
    if chosen == "json":
        report.cards, report.notes, report.reviews = io_export.export_json(db, path, now, deck)
        return report
    records = io_export.collect_cards(db, deck, scheduling=scheduling)
    report.cards = len(records)
    report.notes = len({r.group or r.external_id for r in records})
    if chosen == "apkg" and scheduling:  # the only one of these formats that carries the review log
        report.reviews = sum(len(r.reviews) for r in records)
    if chosen == "apkg":
        from trainer.core.days import local_zone
        from trainer.formats.apkg_write import FSRS5_DECAY, Timing, write_package

        media = io_export.read_media(media_dir(db), {n for r in records for n in r.content.media})
        if scheduling:
            attach_revlog(db, records)
        descriptions, parameters, hour = io_export.deck_settings(db, deck)
        decay = {name: p[20] if len(p) > 20 else FSRS5_DECAY for name, p in parameters.items()}
        timing = Timing(zone=zone or local_zone(), day_start_hour=hour, decay=decay)
        write_package(
            path, records, media, now, scheduling=scheduling, timing=timing, descriptions=descriptions,
            kept=kept_notes(db, records),
        )  # fmt: skip
        report.media = len(media)
    elif chosen in ("csv", "tsv"):
        from trainer.formats.csv_text import write_text

        delimiter = "\t" if chosen == "tsv" else ","
        report.notes = write_text(path, records, delimiter=delimiter, spreadsheet_safe=spreadsheet_safe)
    else:
        from trainer.formats.native import write_native

        written = write_native(path, records, deck, io_export.deck_meta(db, deck), split=split)
        report.files = [str(p) for p in written]
    return report
