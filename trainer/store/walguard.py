"""Noticing a collection file that lost its `-wal` (deleted, or left behind by a copy).

SQLite in WAL mode keeps committed answers in `NAME-wal` until a checkpoint moves them
into the main file. Copy only `NAME` after a crash, or lose the `-wal`, and those answers
are gone without a trace. So every process that opens the collection records a session
row in `meta` (process, host, path) and checkpoints it into the main file, and removes
it when it closes. A later open that finds a session row of a process that is gone (or of
another path: a copy) while no `-wal` lies beside the file reports that answers may have
been lost; `check` keeps saying so until `check --repair` acknowledges it. Not when the file
is whole: every trainer write transaction adds one to a counter in `meta` and notes the count
in the lock file beside the collection (`trainer.store.writequeue.record_commit`); a file whose
counter has reached the noted count holds every commit (a program other than trainer opened
the crashed collection with its `-wal` and closed it last), so nothing is said.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import uuid
from pathlib import Path

from trainer.processes import pid_alive

SESSION_PREFIX = "session:"
WAL_LOST_KEY = "wal_lost"


def wal_present(path: Path) -> bool:
    """Whether a `-wal` file with content lies beside the collection (checked before opening it)."""
    wal = Path(f"{path}-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def _live(value: str, here: str) -> bool:
    """A session row of a process still running on this host, on this very file."""
    try:
        data = json.loads(value)
        pid, host, path = int(data["pid"]), str(data["host"]), str(data["path"])
    except (ValueError, KeyError, TypeError):
        return False
    return host == socket.gethostname() and path == here and pid_alive(pid)


def open_session(conn: sqlite3.Connection, path: Path, had_wal: bool) -> tuple[str | None, str | None]:
    """Record this process's session; (its key, a warning when a lost `-wal` is suspected).

    Best effort: when the collection cannot be written now (busy, read-only), nothing is
    recorded and (None, None) is returned. `conn` runs without pysqlite's own transactions.
    """
    here = str(path.resolve())
    try:
        rows = conn.execute("SELECT key, value FROM meta WHERE key LIKE 'session:%'").fetchall()
    except sqlite3.Error:
        return None, None
    gone = [(key, value) for key, value in rows if not _live(value, here)]
    warning = None
    if gone and not had_wal and not _whole(conn, path):
        warning = _warning(path, gone, here)
    key = f"{SESSION_PREFIX}{uuid.uuid4().hex}"
    value = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "path": here})
    try:
        conn.execute("PRAGMA busy_timeout=1000")  # never hold up opening behind a long writer
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k, _ in gone])
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
            if warning:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (WAL_LOST_KEY, warning),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # the session row reaches the main file
    except sqlite3.Error:
        return None, warning
    finally:
        from trainer.store.rawdb import BUSY_TIMEOUT_S

        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    return key, warning


def _whole(conn: sqlite3.Connection, path: Path) -> bool:
    """Whether the file holds every trainer commit: its commit counter has reached the count the
    last trainer writer noted beside it (a program other than trainer that opened the crashed
    collection with its -wal and closed it last moved everything into the file). A copy, or a
    folder without the note, cannot tell: False."""
    from trainer.store.writequeue import COMMITS_KEY, recorded_commits

    recorded = recorded_commits(path)
    if recorded is None:
        return False
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (COMMITS_KEY,)).fetchone()
        stored = int(row[0]) if row is not None else 0
    except (sqlite3.Error, ValueError):
        return False
    return stored >= recorded


def _warning(path: Path, gone: list[tuple[str, str]], here: str) -> str:
    try:
        data = json.loads(gone[0][1])
    except ValueError:
        data = {}
    elsewhere = data.get("path") not in (None, here)
    where = f"a copy of {data.get('path')}" if elsewhere else str(path)
    return (
        f"{where} was in use by a trainer that did not close (process {data.get('pid', '?')} on"
        f" {data.get('host', '?')}) and no {path.name}-wal lies beside it: answers made since its last"
        f" checkpoint may be lost. If that -wal file still exists, stop trainer and copy it back as"
        f" {path}-wal; 'trainer check --repair' acknowledges this"
    )


def close_session(conn: sqlite3.Connection, key: str, path: Path) -> None:
    """Remove this process's session row, and those of processes that died while this one had
    the collection open (their answers are in the `-wal` this process shares, safe). Best effort:
    a leftover only causes a warning later."""
    here = str(path.resolve())
    try:
        conn.execute("BEGIN IMMEDIATE")
        rows = conn.execute("SELECT key, value FROM meta WHERE key LIKE 'session:%'").fetchall()
        ended = [(k,) for k, value in rows if k == key or not _live(value, here)]
        conn.executemany("DELETE FROM meta WHERE key = ?", ended)
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def pending_warning(conn: sqlite3.Connection) -> str | None:
    """The lost-`-wal` warning not yet acknowledged, if any."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (WAL_LOST_KEY,)).fetchone()
    return None if row is None else str(row[0])
