"""Migrations: a fresh database matches the models; older ones are backed up and upgraded."""

from __future__ import annotations

import sqlite3
import warnings
from datetime import datetime, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column
from sqlalchemy.schema import CreateIndex

from trainer.collection import open_collection
from trainer.errors import SchemaError
from trainer.store.engine import Database, database_url
from trainer.store.migrate import HEAD_REVISION, alembic_config, ensure_schema, upgrade
from trainer.store.models import Base

NOW = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)


def test_head_constant_matches_the_scripts() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_fresh_database_matches_models(tmp_path: Path) -> None:
    db = Database(database_url(tmp_path / "c.sqlite3"))
    ensure_schema(db, NOW)
    with db.engine.connect() as conn, warnings.catch_warnings():
        # SQLAlchemy cannot reflect SQLite expression indexes: those are compared below instead
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        warnings.filterwarnings("ignore", ".*expression-based index")
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        rows = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
        made = {str(name): str(sql) for name, sql in rows}
        for table in Base.metadata.tables.values():
            for index in table.indexes:
                if any(not isinstance(e, Column) for e in index.expressions):
                    expected = str(CreateIndex(index).compile(dialect=conn.dialect)).strip()
                    assert " ".join(made[str(index.name)].split()) == " ".join(expected.split())
    db.dispose()
    assert diff == []


def test_upgrade_from_first_revision_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    db = Database(database_url(path))
    upgrade(db, "0001")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('created_at', 'x')")
    db.dispose()
    with open_collection(path, clock=lambda: NOW) as col:
        assert col.meta("created_at") == "x"
    backups = list((tmp_path / "backups").glob("*.sqlite3")) if HEAD_REVISION != "0001" else []
    if HEAD_REVISION != "0001":
        assert backups, "an older schema is backed up before the upgrade"
        with sqlite3.connect(backups[0]) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    open_collection(path, clock=lambda: NOW, install_bundled=False).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(SchemaError, match="newer trainer"):
        open_collection(path, clock=lambda: NOW)


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(SchemaError, match="not a usable database"):
        open_collection(path, clock=lambda: NOW)


def test_foreign_tables_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER)")
    with pytest.raises(SchemaError, match="not a trainer collection"):
        open_collection(path, clock=lambda: NOW)


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = Database(database_url(tmp_path / "c.sqlite3"))
    with db.engine.connect() as conn:
        values = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    db.dispose()
    assert values == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 30000}
