"""Backups of SQLite collections with SQLite's online backup API (never a file copy).

The source is opened by its plain path (never a URI built from it, so `#`, `?`, `%` in
folder names are only characters). A backup is written to a partial file, marked in its
header as trainer's, checked (`quick_check`, the same cards and reviews as the source in
the same snapshot), flushed and only then renamed into place: a backup that is reported
is a real one. Thinning removes only files that carry the mark.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from trainer.atomicfile import fsync_dir, fsync_file
from trainer.errors import InvalidInputError, TrainerError
from trainer.store.rawdb import BUSY_TIMEOUT_S
from trainer.store.sqlitefile import BACKUP_MARK, counts, is_backup_mark, open_readonly, read_header

STAMP = "%Y%m%d-%H%M%S"
KEEP_DAILY = 12
KEEP_WEEKLY = 10
KEEP_MONTHLY = 9
PARTIAL = ".partial"  # `NAME.PID.partial` while a backup is being written
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z0-9-]+?)(?:-\d+)?\.sqlite3$")


class BackupError(TrainerError, ValueError):
    """A backup could not be made, or the copy did not check out; nothing was kept."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file."""

    path: Path
    created: datetime  # UTC
    reason: str
    size: int
    marked: bool = True  # written by this trainer (carries the mark): thinning may remove it


def backups_dir(collection: Path) -> Path:
    """Backups live in `backups/` beside the collection."""
    return collection.parent / "backups"


def backup_target(collection: Path, reason: str, now: datetime) -> Path:
    """A free `backups/NAME-STAMP-REASON[-N].sqlite3` path for a copy of `collection` (folder made)."""
    folder = backups_dir(collection)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime(STAMP)
    target = folder / f"{collection.stem}-{stamp}-{reason}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{collection.stem}-{stamp}-{reason}-{counter}.sqlite3"
    return target


def backup_sqlite(collection: Path, reason: str, now: datetime) -> Path:
    """Copy a live SQLite collection consistently and verify the copy; return the backup's path."""
    target = backup_target(collection, reason, now)
    partial = target.with_name(f"{target.name}.{os.getpid()}{PARTIAL}")  # a killed one never looks done
    try:
        expected = copy_database(collection, partial, mark=True)
        verify_copy(partial, expected, shown_as=target)
        fsync_file(partial)
        os.replace(partial, target)
    except BaseException:
        remove_database_file(partial)
        raise
    fsync_dir(target.parent)
    return target


def copy_database(source_path: Path, dest_path: Path, *, mark: bool) -> tuple[int, int] | None:
    """Copy `source_path` into a new file with the backup API; the copied card and review counts
    (None for a file without trainer's tables). The copy is in rollback-journal mode, so it is one
    self-contained file; with `mark` it carries trainer's backup mark."""
    if not source_path.is_file():
        raise BackupError(f"{source_path}: no such collection file")
    try:
        source = sqlite3.connect(str(source_path.absolute()), timeout=BUSY_TIMEOUT_S)
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # SQLite may quote damaged bytes
        raise BackupError(f"could not open {source_path} to back it up: {exc}") from None
    source.isolation_level = None
    try:
        source.execute("BEGIN")  # one snapshot for the counts and the copy
        tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        expected = counts(source) if {"cards", "reviews"} <= tables else None
        dest = sqlite3.connect(str(dest_path.absolute()))
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
            if "meta" in tables:  # the sessions open now are not the copy's (see walguard)
                dest.execute("DELETE FROM meta WHERE key LIKE 'session:%'")
                dest.commit()
            dest.execute(f"PRAGMA application_id={BACKUP_MARK if mark else 0}")
        finally:
            dest.close()
        source.execute("COMMIT")
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # SQLite may quote damaged bytes
        raise BackupError(f"could not back up {source_path}: {exc}") from None
    finally:
        source.close()
    return expected


def verify_copy(path: Path, expected: tuple[int, int] | None, *, shown_as: Path | None = None) -> None:
    """Raise BackupError unless the copy passes `quick_check` and holds the expected counts."""
    name = shown_as or path
    try:
        conn = open_readonly(path)
        try:
            result = [r[0] for r in conn.execute("PRAGMA quick_check")]
            got = counts(conn) if expected is not None else None
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # SQLite may quote damaged bytes
        raise BackupError(f"the backup {name} cannot be read back ({exc}); it was not kept") from None
    if result != ["ok"]:
        raise BackupError(f"the backup {name} failed its check ({result[0]}); it was not kept")
    if got != expected:
        assert got is not None and expected is not None
        raise BackupError(
            f"the backup {name} holds {got[0]} cards and {got[1]} reviews where the collection has"
            f" {expected[0]} and {expected[1]}; it was not kept"
        )


def remove_database_file(path: Path) -> None:
    """Remove an SQLite file and the journal files SQLite may have left beside it."""
    for extra in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def list_backups(collection: Path) -> list[BackupInfo]:
    """The collection's backups, newest first (older unmarked ones too, listed but never thinned)."""
    folder = backups_dir(collection)
    found = []
    for path in folder.iterdir() if folder.is_dir() else []:  # no glob: names may hold `[`, `*`, `?`
        match = _NAME.match(path.name)
        if match is None or match["stem"] != collection.stem or not path.is_file():
            continue
        marked = is_backup_mark(path)
        if not marked and not _is_sqlite(path):
            continue
        created = datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC)
        try:
            size = path.stat().st_size
        except FileNotFoundError:  # thinned by another trainer at this moment
            continue
        found.append(BackupInfo(path, created, match["reason"], size, marked))
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def _is_sqlite(path: Path) -> bool:
    try:
        return read_header(path) is not None
    except OSError:
        return False


def backups_to_keep(backups: list[BackupInfo], now: datetime, zone: tzinfo) -> set[Path]:
    """Anki's thinning: all of today and yesterday, then the newest of 12 days, 10 weeks, 9 months."""
    today = now.astimezone(zone).date()
    keep: set[Path] = set()
    buckets: dict[str, set[object]] = {"day": set(), "week": set(), "month": set()}
    limits = {"day": KEEP_DAILY, "week": KEEP_WEEKLY, "month": KEEP_MONTHLY}
    for backup in sorted(backups, key=lambda b: b.created, reverse=True):
        day: date = backup.created.astimezone(zone).date()
        if day >= today - timedelta(days=1):
            keep.add(backup.path)
            continue
        keys = {"day": day, "week": day.isocalendar()[:2], "month": (day.year, day.month)}
        for period in ("day", "week", "month"):
            if keys[period] in buckets[period]:
                break
            if len(buckets[period]) < limits[period]:
                buckets[period].add(keys[period])
                keep.add(backup.path)
                break
    return keep


def thin_backups(collection: Path, now: datetime, zone: tzinfo) -> list[Path]:
    """Delete the marked backups the thinning rule does not keep; return them."""
    backups = [b for b in list_backups(collection) if b.marked]
    keep = backups_to_keep(backups, now, zone)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def check_backup_file(path: Path) -> None:
    """Raise InvalidInputError unless `path` is an intact SQLite trainer collection."""
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such backup file")
    try:
        conn = open_readonly(path)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{path}: not a usable SQLite database ({exc})") from None
    if result is None or result[0] != "ok":
        raise InvalidInputError(f"{path}: the backup is damaged ({result[0] if result else 'no result'})")
    if not {"alembic_version", "cards", "reviews"} <= tables:
        raise InvalidInputError(f"{path}: not a trainer collection")
