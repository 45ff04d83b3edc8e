"""Automatic backups on the study connection alone: when one is due, and making it, with no ORM
import (closing the app after a study session backs up; importing SQLAlchemy for it made the
quit take a second or more)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from trainer.store import study_sql
from trainer.store.rawdb import Queries, RawDB
from trainer.store.values import to_millis

LAST_BACKUP_KEY = "last_backup_at"
BACKUP_FAILED_KEY = "auto_backup_failed"  # "ISO time|message" of the last failed automatic backup
AUTO_BACKUP_EVERY = timedelta(minutes=30)


def auto_backup_due(db: RawDB, now: datetime) -> bool:
    """Whether 30 minutes have passed since the last backup and anything was answered since."""
    if db.path is None:  # a server, or SQLite in memory: no file to back up
        return False
    with db.read():
        last_text = study_sql.meta(db, LAST_BACKUP_KEY)
        last = datetime.fromisoformat(last_text) if last_text else None
        if last is not None and now - last < AUTO_BACKUP_EVERY:
            return False
        since = db.scalar("SELECT max(reviewed_at) FROM reviews")
    return since is not None and (last is None or since > to_millis(last))


def backup_now(db: RawDB, now: datetime, zone: tzinfo) -> Path:
    """Back up the collection (SQLite's backup API, verified), record the time, thin old backups."""
    from trainer.store.backup import backup_sqlite, thin_backups

    if db.path is None:
        raise ValueError("only an SQLite file is backed up automatically")
    path = backup_sqlite(db.path, "auto", now)
    with db.write():
        record_success(db, now)
    thin_backups(db.path, now, zone)
    return path


def record_success(db: Queries, now: datetime) -> None:
    """Remember a backup made now, forgetting an earlier failure (inside a write transaction)."""
    study_sql.set_meta(db, LAST_BACKUP_KEY, now.isoformat())
    study_sql.delete_meta(db, BACKUP_FAILED_KEY)


def record_failure(db: RawDB, now: datetime, message: str) -> None:
    """Remember a failed automatic backup, to report it on the next start (best effort)."""
    with db.write():
        study_sql.set_meta(db, BACKUP_FAILED_KEY, f"{now.isoformat()}|{message}")


def pending_failure(db: RawDB) -> str | None:
    """The last automatic backup's failure, as a sentence, when no backup has succeeded since."""
    with db.read():
        text = study_sql.meta(db, BACKUP_FAILED_KEY)
    if not text:
        return None
    when, _, message = text.partition("|")
    return f"the automatic backup of {when[:16].replace('T', ' ')} UTC failed: {message}"
