"""A new collection made from the models equals one made by running every migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trainer.store.engine import Database, database_url
from trainer.store.migrate import HEAD_REVISION, create_fresh, current_revision, upgrade

Entry = tuple[str, str, str, object]


def _schema(path: Path) -> dict[tuple[str, str], Entry]:
    """`sqlite_master` by (type, name); a table's constraint clauses as a set (their order means nothing)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    out: dict[tuple[str, str], Entry] = {}
    for kind, name, table, sql in rows:
        shape: object = sql
        if kind == "table" and sql:
            head, body = sql.split("(", 1)
            parts = [p.strip() for p in body.removesuffix("\n)").split(", \n\t")]
            columns = [p for p in parts if not p.startswith("CONSTRAINT ")]
            constraints = frozenset(p for p in parts if p.startswith("CONSTRAINT "))
            shape = (head, columns, constraints)
        out[(kind, name)] = (kind, name, table, shape)
    return out


def _made(path: Path, fresh: bool) -> Database:
    db = Database(database_url(path))
    if fresh:
        create_fresh(db)
    else:
        upgrade(db, "head")
    return db


def test_fresh_schema_equals_the_migrated_one(tmp_path: Path) -> None:
    fresh, migrated = _made(tmp_path / "fresh.sqlite3", True), _made(tmp_path / "migrated.sqlite3", False)
    assert current_revision(fresh) == current_revision(migrated) == HEAD_REVISION
    fresh.dispose()
    migrated.dispose()
    made, expected = _schema(tmp_path / "fresh.sqlite3"), _schema(tmp_path / "migrated.sqlite3")
    assert made.keys() == expected.keys()
    for key, entry in expected.items():
        assert made[key] == entry, key
    with sqlite3.connect(tmp_path / "fresh.sqlite3") as conn:
        indexes = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'index'").fetchone()[0]
    assert indexes >= 10


def test_fresh_on_an_existing_collection_changes_nothing(tmp_path: Path) -> None:
    db = _made(tmp_path / "c.sqlite3", True)
    create_fresh(db)  # a second process that lost the race to create it
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    db.dispose()
