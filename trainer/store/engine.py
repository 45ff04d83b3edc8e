"""Engines and sessions: SQLite pragmas, `BEGIN IMMEDIATE` for writes, any SQLAlchemy URL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from trainer.errors import InvalidInputError
from trainer.store import writequeue
from trainer.store.rawdb import BUSY_TIMEOUT_S, sqlite_pragmas

WRITE = "trainer_write"


class DatabaseURLError(InvalidInputError):
    """A `--db` target that names no usable database (one line for the user)."""


def database_url(target: str | Path) -> URL:
    """A plain path means SQLite; anything with `://` is a SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        try:
            return make_url(text)
        except ArgumentError:
            raise DatabaseURLError(f"'{text.split('://', 1)[0][:40]}://...' is not a database URL") from None
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # `~nouser/...`: no such user, or no home folder
        raise DatabaseURLError(f"{text[:200]}: cannot find the home folder it names") from None
    return URL.create("sqlite+pysqlite", database=str(path))


def is_sqlite(url: URL) -> bool:
    """Whether the URL names an SQLite database."""
    return url.get_backend_name() == "sqlite"


def make_engine(url: URL) -> Engine:
    """An engine with the collection's connection settings."""
    if not is_sqlite(url):  # PostgreSQL and others: see trainer/store/postgres.py (issue 8)
        shown = url.render_as_string(hide_password=True)
        try:
            if url.get_backend_name() == "postgresql":
                from trainer.store.postgres import make_pg_engine

                return make_pg_engine(url)
            return create_engine(url, pool_pre_ping=True)
        except (ImportError, NoSuchModuleError, ArgumentError) as exc:
            raise DatabaseURLError(
                f"{shown}: unsupported database ({exc}); use an SQLite path or a postgresql:// URL"
            ) from None
    if url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseURLError(f"{url.database}: cannot create its folder ({exc.strerror})") from None
        if not folder.is_dir():
            raise DatabaseURLError(f"{url.database}: {folder} is not a folder")
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    event.listen(engine, "commit", _sqlite_on_commit)
    event.listen(engine, "rollback", _sqlite_on_end)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    sqlite_pragmas(dbapi_connection)


def _sqlite_on_begin(connection: Any) -> None:
    if connection.get_execution_options().get(WRITE):
        path = _file_of(connection)
        if path is not None:  # writers take turns (trainer.store.writequeue), released at the end
            writequeue.acquire(path)
            connection.info[_QUEUED] = path
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _sqlite_on_end(connection)
            raise
    else:
        connection.exec_driver_sql("BEGIN")


_QUEUED = "trainer_write_turn"


def _file_of(connection: Any) -> Path | None:
    database = connection.engine.url.database
    return Path(database) if database and database != ":memory:" else None


def _sqlite_on_commit(connection: Any) -> None:
    """Count the write transaction (its last statement) and note the count beside the file (see
    trainer.store.walguard), then end the turn; SQLAlchemy calls this just before COMMIT."""
    path = connection.info.get(_QUEUED)
    if path is not None:
        driver = connection.connection.driver_connection
        writequeue.record_commit(path, writequeue.count_commit(driver) if driver is not None else None)
    _sqlite_on_end(connection)


def _sqlite_on_end(connection: Any) -> None:
    path = connection.info.pop(_QUEUED, None)
    if path is not None:
        writequeue.release(path)


class Database:
    """An engine and two kinds of transaction: read and write."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(**{WRITE: True}), expire_on_commit=False)

    @property
    def sqlite_path(self) -> Path | None:
        """The database file, for SQLite on disk."""
        if is_sqlite(self.url) and self.url.database and self.url.database != ":memory:":
            return Path(self.url.database)
        return None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One short write transaction (`BEGIN IMMEDIATE` on SQLite), committed on exit."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction."""
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def one_connection(self) -> Iterator[PinnedConnection]:
        """Read and write transactions on one connection (its TEMP tables live as long as it)."""
        with self.engine.connect() as connection:
            yield PinnedConnection(connection)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


class PinnedConnection:
    """One pooled connection lent for several transactions (`Database.one_connection`)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction on this connection (SQLite: writes to TEMP tables take no lock)."""
        self.connection.execution_options(**{WRITE: False})
        with Session(bind=self.connection, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction on this connection, as `Database.write`, committed on exit."""
        self.connection.execution_options(**{WRITE: True})
        try:
            with Session(bind=self.connection, expire_on_commit=False) as session, session.begin():
                yield session
        finally:
            self.connection.execution_options(**{WRITE: False})

    def checkpoint(self) -> None:
        """Copy the WAL into the database file now, beside the writers (a passive checkpoint).

        After a large write the WAL holds megabytes; left there, the next commit over SQLite's
        1000-page mark copies them while holding the write lock: a study answer after a
        20,000-note import waited most of a second for that. Outside a transaction only."""
        driver = self.connection.connection.driver_connection
        if driver is not None and not self.connection.in_transaction():
            with contextlib.suppress(Exception):  # only an optimisation: SQLite checkpoints anyway
                driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
