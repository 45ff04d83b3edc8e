"""Backups of SQLite collections with SQLite's online backup API (never a file copy)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from trainer.errors import InvalidInputError

STAMP = "%Y%m%d-%H%M%S"
KEEP_DAILY = 12
KEEP_WEEKLY = 10
KEEP_MONTHLY = 9
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z0-9-]+?)(?:-\d+)?\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file."""

    path: Path
    created: datetime  # UTC
    reason: str
    size: int


def backups_dir(collection: Path) -> Path:
    """Backups live in `backups/` beside the collection."""
    return collection.parent / "backups"


def backup_sqlite(collection: Path, reason: str, now: datetime) -> Path:
    """Copy a live SQLite collection consistently; return the backup's path."""
    folder = backups_dir(collection)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime(STAMP)
    target = folder / f"{collection.stem}-{stamp}-{reason}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{collection.stem}-{stamp}-{reason}-{counter}.sqlite3"
    partial = target.with_name(target.name + ".partial")  # a killed backup never looks finished
    source = sqlite3.connect(f"file:{collection}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    partial.replace(target)
    return target


def list_backups(collection: Path) -> list[BackupInfo]:
    """The collection's backups, newest first."""
    folder = backups_dir(collection)
    found = []
    for path in folder.glob(f"{collection.stem}-*.sqlite3") if folder.is_dir() else []:
        match = _NAME.match(path.name)
        if match is None or match["stem"] != collection.stem:
            continue
        created = datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC)
        found.append(BackupInfo(path, created, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


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
    """Delete the backups the thinning rule does not keep; return them."""
    backups = list_backups(collection)
    keep = backups_to_keep(backups, now, zone)
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def check_backup_file(path: Path) -> None:
    """Raise ValueError unless `path` is an intact SQLite trainer collection."""
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such backup file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidInputError(f"{path}: not a usable SQLite database ({exc})") from None
    if result is None or result[0] != "ok":
        raise InvalidInputError(f"{path}: the backup is damaged ({result[0] if result else 'no result'})")
    if not {"alembic_version", "cards", "reviews"} <= tables:
        raise InvalidInputError(f"{path}: not a trainer collection")


def restore_sqlite(backup: Path, collection: Path) -> None:
    """Replace a live collection's content with a backup's, with the backup API."""
    check_backup_file(backup)
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(collection, timeout=30)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
