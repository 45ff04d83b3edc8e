"""Writers of one SQLite collection take turns through a lock file, instead of SQLite's busy polling.

SQLite's busy handler polls: a writer that keeps losing the race to others (two import loops,
a backup loop) gave up after the 30 s busy timeout with "database is locked". Every trainer
write transaction first takes an exclusive `flock` on `NAME.trainer-lock` beside the
collection: waiters sleep in the kernel, are woken when the holder finishes, and wait as
long as it takes, so no trainer writer fails for want of a turn. Imports stay all-or-nothing:
a study session behind one waits, and is told so through `set_wait_notice`. Threads of one
process take turns on a process lock first (flock is per process). Where the lock file
cannot be made (a read-only folder), SQLite's own busy timeout is all there is.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's busy timeout alone
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".trainer-lock"
Notice = Callable[[], None]

_guard = threading.Lock()
_locks: dict[str, _Turn] = {}
_notice: Notice | None = None


def set_wait_notice(notice: Notice | None) -> None:
    """Call `notice` (from the waiting thread) whenever a write has to wait for another trainer."""
    global _notice
    _notice = notice


class _Turn:
    """One collection's lock file in this process, and its holder."""

    def __init__(self, lock_path: Path) -> None:
        self.lock_path = lock_path
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.fd: int | None = None

    def acquire(self) -> None:
        if not self.thread_lock.acquire(blocking=False):
            _tell()
            self.thread_lock.acquire()
        self.depth += 1
        if self.depth > 1 or fcntl is None:
            return
        try:
            if self.fd is None:
                self.fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                _tell()
                fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError:
            pass  # no lock file here (read-only folder): SQLite's busy timeout decides
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        self.depth -= 1
        if self.depth == 0 and self.fd is not None and fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.thread_lock.release()


def _tell() -> None:
    notice = _notice
    if notice is not None:
        with contextlib.suppress(Exception):  # a notice must never stop a write
            notice()


def _turn(collection: Path) -> _Turn:
    key = str(collection.absolute())
    with _guard:
        found = _locks.get(key)
        if found is None:
            found = _locks[key] = _Turn(Path(key + SUFFIX))
        return found


def acquire(collection: Path) -> None:
    """Wait for this process's turn to write to `collection` (re-entrant in one thread)."""
    _turn(collection).acquire()


def release(collection: Path) -> None:
    """End the turn taken by `acquire`."""
    _turn(collection).release()


def busy(collection: Path) -> bool:
    """Whether another process (or thread) holds the write turn right now (a quick probe)."""
    turn = _turn(collection)
    if not turn.thread_lock.acquire(blocking=False):
        return True
    try:
        if turn.depth or fcntl is None:
            return False
        try:
            fd = os.open(turn.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing releases a lock it got
        return False
    finally:
        turn.thread_lock.release()


# -- the commit counter (trainer.store.walguard) -----------------------------------------------

COMMITS_KEY = "commits"  # meta: how many trainer write transactions the collection holds
_COUNT = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = ? RETURNING value"
_FIRST = "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO NOTHING RETURNING value"


def count_commit(cursor: Any) -> int | None:
    """Add one to the collection's commit counter inside the write transaction `cursor` (a
    DB-API connection) runs; the new count (None where the collection has no meta table yet)."""
    try:
        rows = cursor.execute(_COUNT, (COMMITS_KEY,)).fetchall()  # all: the statement ends here
        if not rows:
            rows = cursor.execute(_FIRST, (COMMITS_KEY,)).fetchall()
    except Exception:  # a collection being created or migrated: nothing to count
        return None
    return int(rows[0][0]) if rows else None


def record_commit(collection: Path, count: int | None) -> None:
    """Write the commit count beside the collection, in its lock file, while holding the turn."""
    turn = _turn(collection)
    if count is None or turn.fd is None or turn.depth == 0:
        return
    with contextlib.suppress(OSError):
        os.pwrite(turn.fd, f"{count}\n".encode().ljust(24), 0)


def recorded_commits(collection: Path) -> int | None:
    """The commit count the last trainer writer recorded beside `collection` (None: none kept)."""
    try:
        with open(f"{collection}{SUFFIX}", "rb") as handle:
            return int(handle.read(24).strip() or b"x")
    except (OSError, ValueError):
        return None
