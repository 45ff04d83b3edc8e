"""Backups of SQLite collections with SQLite's online backup API (never a file copy)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backups_dir(collection: Path) -> Path:
    """Backups live in `backups/` beside the collection."""
    return collection.parent / "backups"


def backup_sqlite(collection: Path, reason: str, now: datetime) -> Path:
    """Copy a live SQLite collection consistently; return the backup's path."""
    folder = backups_dir(collection)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{collection.stem}-{stamp}-{reason}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{collection.stem}-{stamp}-{reason}-{counter}.sqlite3"
    source = sqlite3.connect(f"file:{collection}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target
