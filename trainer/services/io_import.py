"""Importing a read package: all or nothing, after a backup when it is large, answers never kept waiting.

Cards are matched by stable id (`anki/<guid>/<ord>`, deck ids, ...): a re-import updates
text, tags and deck in place and keeps the learner's scheduling; new cards bring their
scheduling and review log when the file has them. A matching card never studied here takes the
file's scheduling and review log (restoring a backup onto a collection that already holds the
same cards); a card studied on both sides keeps this collection's, and the report says so.

On an SQLite file the import is planned in a read transaction (`trainer.services.io_plan`),
holding no lock, and written in one short write transaction (`trainer.services.io_apply`)
that first checks the plan's snapshot still holds: a study session answering meanwhile waits
for the write only (0.2 s for a 20,000-note package here, was 0.7 s), not for the whole import.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.formats.model import Package
from trainer.services.io_apply import apply_plan
from trainer.services.io_plan import ImportPlan, Progress, make_plan
from trainer.services.io_reports import ImportReport
from trainer.services.io_stage import snapshot_changed, stage, unstaged
from trainer.services.media_stage import rename_references, stage_media
from trainer.store import repo
from trainer.store.backup import backup_sqlite
from trainer.store.engine import Database

LARGE_IMPORT = 1000  # cards: back up the collection first
BIG_CACHE, DEFAULT_CACHE = 65536, 2000  # KiB


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
    staged = stage_media(media_dir(db), package.media)  # media go in with the cards, or not at all
    rename_references(package.cards, staged.renamed)
    if staged.renamed and package.anki_notes:
        package.anki_notes = {g: n.renamed(staged.renamed) for g, n in package.anki_notes.items()}
    try:
        if path is None:  # PostgreSQL and in-memory SQLite lock rows, not the database: plan as it writes
            with db.write() as session:
                _plan_and_apply(session, db, None, package, deck, now, report, progress)
                staged.place()  # just before the commit: a failed commit removes them below
        else:  # SQLite takes one writer at a time: plan and stage without holding its lock
            with db.one_connection() as pinned, unstaged(pinned.read):
                with pinned.read() as session:
                    plan = make_plan(session, package, deck, now, progress)
                    stage(session, plan, package)
                with pinned.write() as session:
                    _plan_and_apply(session, db, plan, package, deck, now, report, progress)
                    staged.place()
                pinned.checkpoint()  # the WAL's megabytes go to the file now, not in the next answer
    except BaseException:
        staged.discard()
        raise
    report.media = staged.names
    return report


def _plan_and_apply(
    session: Session,
    db: Database,
    plan: ImportPlan | None,
    package: Package,
    deck: str | None,
    now: datetime,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    """Write `plan`, made again here when another writer changed what it relied on (or when none)."""
    with _page_cache(session, db, len(package.cards)):
        if plan is None or not plan.snapshot.holds(session) or snapshot_changed(session):
            plan = make_plan(session, package, deck, now, progress)
        apply_plan(session, plan, package, deck, report)


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
        return session.execute(select(repo.cards_t.c.id).limit(1)).first() is not None
