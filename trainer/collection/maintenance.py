"""`col.maintenance`: integrity checks, backups and restore of a collection."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.collection import Collection
    from trainer.services.maintenance import CheckReport
    from trainer.store.backup import BackupInfo


class Maintenance:
    """Check, back up and restore one collection (as `col.maintenance`)."""

    def __init__(self, col: Collection) -> None:
        self._col = col

    def check(self, *, repair: bool = False, now: datetime | None = None) -> CheckReport:
        """Integrity, foreign keys and invariants; with `repair`, fix what can be fixed."""
        from trainer.services import maintenance

        return maintenance.check(self._col.db, self._col._now(now), repair=repair, zone=self._col.zone)

    def backup(self, reason: str = "manual", *, now: datetime | None = None) -> Path:
        """Back up an SQLite collection now (SQLite backup API), thinning old backups."""
        from trainer.services import maintenance

        return maintenance.backup(self._col.db, self._col._now(now), self._col.zone, reason)

    def backups(self) -> list[BackupInfo]:
        """The collection's backups, newest first."""
        from trainer.services import maintenance

        return maintenance.backups(self._col.db)

    def restore(self, source: Path | str, *, now: datetime | None = None) -> Path:
        """Replace the collection with a backup (trainer's schema only: triggers, views and
        unknown tables are left out), keeping the current one first; where it was kept."""
        from trainer.services import maintenance

        result = maintenance.restore(self._col.db, Path(source), self._col._now(now), self._col.zone)
        assert result.previous is not None  # an open collection exists
        return result.previous

    def backup_before_import(self, *, now: datetime | None = None) -> Path | None:
        """Back up an SQLite collection that holds review history; call before changing it in bulk."""
        from trainer.services import maintenance

        if not maintenance.has_history(self._col.db):
            return None
        return maintenance.backup(self._col.db, self._col._now(now), self._col.zone, "before-import")

    def auto_backup(self, now: datetime | None = None) -> None:
        """Back up now if the last automatic backup is old enough (never stops studying)."""
        from trainer.services.autobackup import auto_backup_due, backup_now

        self._col._answers_since_check = 0
        moment = self._col._now(now)
        try:
            if not auto_backup_due(self._col._raw, moment):
                return
        except sqlite3.Error:
            return  # a failed automatic backup must never stop studying
        try:  # never stops studying; the failure is reported on the next start
            backup_now(self._col._raw, moment, self._col.zone)  # no ORM import: quitting stays quick
        except (OSError, ValueError, sqlite3.Error) as exc:
            from trainer.services.autobackup import record_failure

            with contextlib.suppress(sqlite3.Error):
                record_failure(self._col._raw, moment, str(exc) or type(exc).__name__)

    def startup_warnings(self) -> list[str]:
        """What the learner must hear on opening: a lost `-wal` suspected, a failed automatic backup."""
        found = [self._col._raw.wal_warning] if self._col._raw.wal_warning else []
        failure = self.backup_failure()
        return [*found, failure] if failure else found

    def backup_failure(self) -> str | None:
        """The last automatic backup's failure (a sentence to show), if none succeeded since."""
        from trainer.services.autobackup import pending_failure

        if self._col._raw.path is None:
            return None
        try:
            return pending_failure(self._col._raw)
        except sqlite3.Error:
            return None
