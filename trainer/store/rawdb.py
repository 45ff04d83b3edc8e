"""One DB-API connection for the hot study path: plain SQL strings, no ORM, no statement compiler.

Answering, undo, the next card and the deck counts run many times a session, and
SQLAlchemy's per-statement work cost more than SQLite's own. `RawDB` holds one driver
connection for them: on SQLite it is opened here with the collection's pragmas (so the
deck list can be shown without importing SQLAlchemy at all); on other databases it is
borrowed from the engine's pool. SQL is written with `?` placeholders and rewritten for
drivers that use `%s`. Writes keep the store's rule: `BEGIN IMMEDIATE` on SQLite, the
per-collection advisory lock on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from trainer.errors import CollectionBusyError
from trainer.store import writequeue
from trainer.store.checkpointer import Checkpointer

BUSY_TIMEOUT_S = 30.0
PG_WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('trainer:' || current_schema()))"

Params = Sequence[Any]


class Queries(Protocol):
    """What a plain-SQL query needs (`trainer.store.study_sql`): a `RawDB`, or an ORM
    session's connection through `trainer.store.repo.sql`. SQL uses `?` placeholders."""

    def all(self, sql: str, params: Params = ()) -> list[Any]:
        """Every row of a query."""
        ...

    def one(self, sql: str, params: Params = ()) -> Any:
        """The first row of a query, or None."""
        ...

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        ...

    def run(self, sql: str, params: Params = ()) -> int:
        """Execute a statement; the number of rows it changed."""
        ...


def sqlite_pragmas(connection: sqlite3.Connection) -> None:
    """The collection's connection settings (WAL, full sync, foreign keys, busy timeout).

    pysqlite's own transaction handling is turned off so that the explicit BEGIN is the
    real one.
    """
    connection.isolation_level = None
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA trusted_schema=OFF")
    except sqlite3.DatabaseError:
        # Not a database at all: the open that follows reports it clearly.
        pass
    finally:
        cursor.close()


def connect_sqlite(path: Path) -> sqlite3.Connection:
    """A driver connection to an SQLite collection, with its pragmas."""
    connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    sqlite_pragmas(connection)
    return connection


class RawDB:
    """A driver connection with read and write transactions (thread-safe: one user at a time)."""

    def __init__(
        self,
        connection: Any,
        *,
        sqlite: bool,
        release: Callable[[], None] | None = None,
        private: bool = True,
    ) -> None:
        """`private`: no one else writes through this very connection (its `data_version` then
        tells every change made elsewhere)."""
        self.connection = connection
        self.sqlite = sqlite
        self.private = private
        self.path: Path | None = None  # the SQLite file, when opened here
        self.session: str | None = None  # this process's session row (trainer.store.walguard)
        self.wal_warning: str | None = None  # a lost `-wal` suspected when it was opened
        self.checkpointer: Checkpointer | None = None  # keeps WAL checkpoints out of answers
        self._release = release or connection.close
        self._lock = threading.RLock()
        self._sql: dict[str, str] = {}
        self._depth = 0
        self._writing = False

    @classmethod
    def open_sqlite(cls, path: Path) -> RawDB:
        """A connection of its own to an SQLite collection file (its session recorded, see walguard)."""
        from trainer.store import walguard

        had_wal = walguard.wal_present(path)
        db = cls(connect_sqlite(path), sqlite=True)
        db.path = path
        db.session, db.wal_warning = walguard.open_session(db.connection, path, had_wal)
        db.checkpointer = Checkpointer(path).start()
        return db

    @classmethod
    def borrow(cls, engine: Any) -> RawDB:
        """A connection borrowed from a SQLAlchemy engine's pool (returned on close)."""
        fairy = engine.raw_connection()
        # An in-memory SQLite pool hands this same connection to the ORM sessions too.
        sqlite = engine.dialect.name == "sqlite"
        return cls(fairy.driver_connection, sqlite=sqlite, release=fairy.close, private=not sqlite)

    def _text(self, sql: str) -> str:
        if self.sqlite:
            return sql
        found = self._sql.get(sql)
        if found is None:
            found = self._sql[sql] = sql.replace("?", "%s")
        return found

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[RawDB]:
        """A read transaction (nested calls join the outer one)."""
        with self._transaction("BEGIN") as db:
            yield db

    @contextmanager
    def write(self) -> Iterator[RawDB]:
        """A write transaction: `BEGIN IMMEDIATE` on SQLite, the advisory lock elsewhere."""
        with self._transaction("BEGIN IMMEDIATE") as db:
            yield db

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[RawDB]:
        with self._lock:
            if self._depth:
                if begin != "BEGIN" and not self._writing:
                    raise RuntimeError("a write cannot start inside a read transaction")
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._writing = begin != "BEGIN"
            queued = self._writing and self.path is not None  # writers take turns (writequeue)
            if queued:
                assert self.path is not None
                writequeue.acquire(self.path)
            try:
                if self.sqlite:
                    _begin(self.connection, begin)
                elif self._writing:
                    self.connection.execute(PG_WRITE_LOCK)
                self._depth = 1
                try:
                    yield self
                except BaseException:
                    self._depth = 0
                    self._end("ROLLBACK")
                    raise
                self._depth = 0
                count = writequeue.count_commit(self.connection) if queued else None
                self._end("COMMIT")
                if queued:
                    assert self.path is not None
                    writequeue.record_commit(self.path, count)
            finally:
                if queued:
                    assert self.path is not None
                    writequeue.release(self.path)

    def _end(self, how: str) -> None:
        if self.sqlite:
            if self.connection.in_transaction:
                self.connection.execute(how)
        elif how == "COMMIT":
            self.connection.commit()
        else:
            self.connection.rollback()

    # -- statements ---------------------------------------------------------------------

    def all(self, sql: str, params: Params = ()) -> list[Any]:
        """Every row of a query."""
        return list(self.connection.execute(self._text(sql), params).fetchall())

    def one(self, sql: str, params: Params = ()) -> Any:
        """The first row of a query, or None."""
        return self.connection.execute(self._text(sql), params).fetchone()

    def one_alone(self, sql: str, params: Params = ()) -> Any:
        """The first row of a query run as a transaction of its own (outside any other).

        On SQLite a lone statement is already atomic, so no BEGIN/COMMIT is sent.
        """
        if self.sqlite and not self._depth:
            with self._lock:
                return self.connection.execute(sql, params).fetchone()
        with self.read():
            return self.one(sql, params)

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = self.connection.execute(self._text(sql), params).fetchone()
        return None if row is None else row[0]

    def run(self, sql: str, params: Params = ()) -> int:
        """Execute a statement; the number of rows it changed."""
        return int(self.connection.execute(self._text(sql), params).rowcount)

    def insert(self, sql: str, params: Params = ()) -> int:
        """Execute an INSERT into a table with an integer `id`; the new row's id."""
        if self.sqlite:
            return int(self.connection.execute(sql, params).lastrowid)
        return int(self.connection.execute(self._text(sql + " RETURNING id"), params).fetchone()[0])

    def data_version(self) -> int | None:
        """SQLite's counter of commits made by other connections; None where it cannot tell
        every change (another database, or a connection the ORM shares)."""
        if not self.sqlite or not self.private:
            return None
        with self._lock:
            return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def write_locked(self) -> bool:
        """Whether another connection (any program) holds SQLite's write lock right now: a
        `BEGIN IMMEDIATE` that may not wait, rolled back at once (False where it cannot tell)."""
        if not self.sqlite or self.path is None:
            return False
        with self._lock:
            if self._depth:
                return False
            try:
                self.connection.execute("PRAGMA busy_timeout=0")
                try:
                    self.connection.execute("BEGIN IMMEDIATE")
                    self.connection.execute("ROLLBACK")
                finally:
                    self.connection.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            except sqlite3.OperationalError as exc:
                return is_busy(exc)
            return False

    def close(self) -> None:
        """Give the connection back (or close it)."""
        if self.checkpointer is not None:
            self.checkpointer.stop()
            self.checkpointer = None
        with self._lock:
            if self.session is not None and self.path is not None:
                from trainer.store.walguard import close_session

                close_session(self.connection, self.session, self.path)
                self.session = None
            self._release()


class WriteLockBusyError(CollectionBusyError, sqlite3.OperationalError):
    """SQLite's write lock stayed taken past the busy timeout (by a program other than trainer:
    trainer's own writers queue in `trainer.store.writequeue`)."""


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether an SQLite error means "locked by someone else" (SQLITE_BUSY / SQLITE_LOCKED)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _begin(connection: sqlite3.Connection, begin: str) -> None:
    try:
        connection.execute(begin)
    except sqlite3.OperationalError as exc:
        if begin != "BEGIN" and is_busy(exc):
            raise WriteLockBusyError(
                "the collection is locked by another program (it kept the write lock for"
                f" {BUSY_TIMEOUT_S:.0f} s); nothing was written, try again when it has finished"
            ) from exc
        raise


def placeholders(count: int) -> str:
    """`?,?,?` for an IN list of `count` values."""
    return ",".join("?" * count)
