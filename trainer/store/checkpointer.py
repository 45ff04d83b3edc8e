"""WAL checkpoints beside the study session, never inside an answer.

SQLite copies the WAL back into the database file when a commit finds 1000 pages or more in
it (an "autocheckpoint"), inside that commit, with an fsync: measured on this machine, an
answer that happened to cross the mark waited 1.0-1.2 s while the other answers took 4 ms.
An open collection keeps a thread that runs a passive checkpoint whenever the WAL has grown
(its size or time changed), a few times a second, so the WAL never reaches the mark and no
answer pays for it. A passive checkpoint takes no lock that a writer waits for; SQLite's own
autocheckpoint stays as the fallback for processes without this thread.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path

INTERVAL_S = 0.25


class Checkpointer:
    """A daemon thread that checkpoints one SQLite collection's WAL while it grows."""

    def __init__(self, path: Path, interval_s: float = INTERVAL_S) -> None:
        self.path = path
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"checkpoint {path.name}", daemon=True)
        self._seen: tuple[int, int] | None = None
        self.checkpoints = 0

    def start(self) -> Checkpointer:
        """Begin watching (returns self)."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """End the thread (it finishes the checkpoint under way, if any)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def _wal_state(self) -> tuple[int, int] | None:
        try:
            found = os.stat(f"{self.path}-wal")
        except OSError:
            return None
        return found.st_size, found.st_mtime_ns

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while not self._stop.wait(self.interval_s):
                state = self._wal_state()
                if state is None or state == self._seen:
                    continue
                if connection is None:
                    connection = sqlite3.connect(str(self.path), timeout=1, check_same_thread=False)
                    connection.isolation_level = None
                    connection.execute("PRAGMA synchronous=FULL")
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self.checkpoints += 1
                self._seen = self._wal_state()
        except Exception:
            pass
        finally:
            if connection is not None:
                with contextlib.suppress(Exception):
                    connection.close()
