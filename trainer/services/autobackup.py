"""When an automatic backup is due: read on the study connection, so the check costs no ORM import."""

from __future__ import annotations

from datetime import datetime, timedelta

from trainer.store.rawdb import RawDB
from trainer.store.values import to_millis

LAST_BACKUP_KEY = "last_backup_at"
AUTO_BACKUP_EVERY = timedelta(minutes=30)


def auto_backup_due(db: RawDB, now: datetime) -> bool:
    """Whether 30 minutes have passed since the last backup and anything was answered since."""
    if db.path is None:  # a server, or SQLite in memory: no file to back up
        return False
    with db.read():
        last_text = db.scalar("SELECT value FROM meta WHERE key = ?", (LAST_BACKUP_KEY,))
        last = datetime.fromisoformat(last_text) if last_text else None
        if last is not None and now - last < AUTO_BACKUP_EVERY:
            return False
        since = db.scalar("SELECT max(reviewed_at) FROM reviews")
    return since is not None and (last is None or since > to_millis(last))
