"""Restore a backup and recover a damaged collection, without needing the current file to open.

Both build the new collection in a staging file beside it (trainer's own schema only:
triggers, views and unknown tables are dropped), check it, keep the previous file
(a verified `before-restore` backup, or, when that cannot be made, a byte copy marked
`damaged` with its `-wal`), and then put the new file in place.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from trainer.atomicfile import fsync_dir, fsync_file, temp_name
from trainer.store.backup import (
    BackupError,
    backup_sqlite,
    backup_target,
    check_backup_file,
    copy_database,
    remove_database_file,
    verify_copy,
)
from trainer.store.rawdb import BUSY_TIMEOUT_S
from trainer.store.sqlitefile import TRAINER_TABLES, SchemaObject, counts, drop_foreign_objects, open_readonly


@dataclass
class RestoreResult:
    """What a restore or a recovery did."""

    previous: Path | None  # where the previous collection was kept
    damaged: bool = False  # the previous collection was damaged: kept as a byte copy
    dropped: list[SchemaObject] = field(default_factory=list)  # objects not trainer's, left out
    method: str = "backup"  # recovery: "sqlite3 .recover" or "row by row"
    cards: int = 0
    reviews: int = 0


def restore_file(backup: Path, collection: Path, now: datetime) -> RestoreResult:
    """Replace `collection` with `backup` (trainer's schema only), keeping the current file first."""
    check_backup_file(backup)
    staging = temp_name(collection)
    try:
        expected = copy_database(backup, staging, mark=False)
        result = RestoreResult(None, dropped=_sanitize(staging))
        verify_copy(staging, expected)
        result.cards, result.reviews = expected or (0, 0)
        if collection.exists():
            try:
                result.previous = backup_sqlite(collection, "before-restore", now)
            except BackupError:
                result.previous, result.damaged = keep_damaged(collection, now), True
        if collection.exists() and not result.damaged:
            _copy_into_live(staging, collection)
            remove_database_file(staging)
        else:
            _put_in_place(staging, collection)
    except BaseException:
        remove_database_file(staging)
        raise
    return result


def _sanitize(path: Path) -> list[SchemaObject]:
    conn = sqlite3.connect(str(path.absolute()))
    conn.isolation_level = None
    try:
        return drop_foreign_objects(conn)
    finally:
        conn.close()


def _copy_into_live(staging: Path, collection: Path) -> None:
    """Copy into the live file with the backup API, so every process that has it open sees it."""
    source = open_readonly(staging)
    try:
        dest = sqlite3.connect(str(collection.absolute()), timeout=BUSY_TIMEOUT_S)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


def _put_in_place(staging: Path, collection: Path) -> None:
    """Rename the staging file over the collection (any stale `-wal` of the old file removed first),
    with the old file's permissions (a new one gets the umask's)."""
    os.chmod(staging, _file_mode(collection))
    for extra in ("-wal", "-shm"):
        Path(f"{collection}{extra}").unlink(missing_ok=True)
    fsync_file(staging)
    os.replace(staging, collection)
    fsync_dir(collection.parent)


def _file_mode(path: Path) -> int:
    """The permission bits `path` has, or those a new file gets under the current umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def keep_damaged(collection: Path, now: datetime) -> Path:
    """Keep a byte copy of a damaged collection (and its `-wal`) in `backups/`, named `damaged`."""
    target = backup_target(collection, "damaged", now)
    folder = target.parent
    for extra in ("-wal", ""):
        source = Path(f"{collection}{extra}")
        if source.is_file() and (not extra or source.stat().st_size > 0):  # an empty log holds nothing
            copy = Path(f"{target}{extra}")
            shutil.copyfile(source, copy)
            fsync_file(copy)
    fsync_dir(folder)
    return target


def recover_file(collection: Path, now: datetime) -> RestoreResult:
    """Recover what SQLite can read from a damaged collection into a new file in its place.

    The damaged file is kept first (`backups/...-damaged.sqlite3`). Both `sqlite3 .recover`
    (the SQLite command-line tool, when installed) and a row-by-row copy of trainer's tables
    (stopping at the first unreadable page of each) are tried; the one that kept more wins.
    """
    previous = keep_damaged(collection, now)
    attempts: list[tuple[tuple[int, int], Path, str, list[SchemaObject]]] = []
    try:
        for method, recover in (("sqlite3 .recover", _recover_with_cli), ("row by row", _recover_row_by_row)):
            staging = temp_name(collection)
            attempts.append(((-1, -1), staging, method, []))
            if not recover(collection, staging):
                continue
            dropped = _sanitize(staging)
            try:
                check_backup_file(staging)
                conn = open_readonly(staging)
                try:
                    found = counts(conn)
                finally:
                    conn.close()
            except ValueError:
                continue
            attempts[-1] = (found[::-1], staging, method, dropped)
        (reviews, cards), best, method, dropped = max(attempts, key=lambda a: a[0])
        if cards < 0:
            raise BackupError(
                f"{collection}: SQLite could read none of trainer's tables from it; it is kept as"
                f" {previous}. Restore a backup instead (see 'trainer backups')"
            )
        _put_in_place(best, collection)
    finally:
        for _, staging, _, _ in attempts:
            remove_database_file(staging)
    return RestoreResult(previous, True, dropped, method, cards, reviews)


def _recover_with_cli(damaged: Path, staging: Path) -> bool:
    tool = shutil.which("sqlite3")
    if tool is None:
        return False
    dump = subprocess.run(
        [tool, "-readonly", str(damaged.absolute()), ".recover"], capture_output=True, check=False
    )
    if not dump.stdout:
        return False
    load = subprocess.run(
        [tool, str(staging.absolute())], input=dump.stdout, capture_output=True, check=False
    )
    return load.returncode == 0


def _recover_row_by_row(damaged: Path, staging: Path) -> bool:
    try:
        source = open_readonly(damaged)
        source.execute("PRAGMA writable_schema=ON")  # reads a file shorter than its header says
        objects = source.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            " ORDER BY type != 'table'"
        ).fetchall()
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        return False
    dest = sqlite3.connect(str(staging.absolute()))
    dest.isolation_level = None
    try:
        dest.execute("BEGIN")
        for kind, name, table, sql in objects:
            if table not in TRAINER_TABLES or kind not in ("table", "index"):
                continue
            dest.execute(sql)
            if kind == "table":
                _copy_rows(source, dest, name)
        dest.execute("COMMIT")
    finally:
        dest.close()
        source.close()
    return True


def _copy_rows(source: sqlite3.Connection, dest: sqlite3.Connection, table: str) -> None:
    """Copy every readable row; past an unreadable page, seek further ids (rowid order) and go on."""
    columns = [r[1] for r in source.execute(f'PRAGMA table_info("{table}")')]
    marks = ",".join("?" * len(columns))
    insert = f'INSERT OR IGNORE INTO "{table}" VALUES ({marks})'
    if "id" not in columns:
        _copy_plain(source, dest, table, insert)
        return
    position = columns.index("id")
    query = f'SELECT * FROM "{table}" WHERE id > ? ORDER BY id'
    after, step = -(2**63), 1
    while after < 2**62:
        rows: list[Any] = []
        try:
            for row in source.execute(query, (after,)):
                rows.append(row)
                after, step = row[position], 1
        except (sqlite3.DatabaseError, UnicodeDecodeError):
            dest.executemany(insert, rows)
            after, step = after + step, step * 2  # past the unreadable page: try further ids
            continue
        dest.executemany(insert, rows)
        return


def _copy_plain(source: sqlite3.Connection, dest: sqlite3.Connection, table: str, insert: str) -> None:
    cursor = source.execute(f'SELECT * FROM "{table}"')
    while True:
        try:
            rows = cursor.fetchmany(200)
        except (sqlite3.DatabaseError, UnicodeDecodeError):
            return  # the rest of this table is unreadable
        if not rows:
            return
        dest.executemany(insert, rows)
