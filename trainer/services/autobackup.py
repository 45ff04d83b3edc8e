"""When an automatic backup is due: read on the study connection, so the check costs no ORM import."""

from __future__ import annotations

from datetime import datetime, timedelta

from trainer.store.rawdb import RawDB
from trainer.store.values import to_millis

LAST_BACKUP_KEY = "last_backup_at"
BACKUP_FAILED_KEY = "auto_backup_failed"  # "ISO time|message" of the last failed automatic backup
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


def record_failure(db: RawDB, now: datetime, message: str) -> None:
    """Remember a failed automatic backup, to report it on the next start (best effort)."""
    with db.write():
        db.run(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (BACKUP_FAILED_KEY, f"{now.isoformat()}|{message}"),
        )


def pending_failure(db: RawDB) -> str | None:
    """The last automatic backup's failure, as a sentence, when no backup has succeeded since."""
    text = db.one_alone("SELECT value FROM meta WHERE key = ?", (BACKUP_FAILED_KEY,))
    if text is None or not text[0]:
        return None
    when, _, message = str(text[0]).partition("|")
    return f"the automatic backup of {when[:16].replace('T', ' ')} UTC failed: {message}"
