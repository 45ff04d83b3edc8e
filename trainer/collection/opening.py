"""Opening a collection: create, upgrade, or (an SQLite file at the current schema) open at once."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.core import days
from trainer.store import study_sql
from trainer.store.rawdb import RawDB
from trainer.store.values import HEAD_REVISION

if TYPE_CHECKING:
    from trainer.collection import Collection

Clock = Callable[[], datetime]


def open_collection(
    target: str | Path | None = None,
    *,
    clock: Clock = days.utcnow,
    zone: tzinfo | None = None,
    install_bundled: bool = True,
) -> Collection:
    """Open (creating or upgrading) a collection: a path means SQLite, `x://` a SQLAlchemy URL.

    The first open of a new collection installs the bundled decks. An SQLite collection
    already at the current schema opens on its study connection alone: SQLAlchemy is
    imported when something first needs it.
    """
    text = _target_text(target)
    if "://" not in text:
        from trainer.store.leftovers import clean_leftovers

        with contextlib.suppress(RuntimeError):  # `~nouser/...`: the open below says so in one line
            clean_leftovers(Path(text).expanduser())  # what killed writers left behind
    quick = _open_current_sqlite(text, clock, zone)
    if quick is not None:
        return quick
    from trainer.collection import Collection
    from trainer.store import repo
    from trainer.store.engine import Database, database_url
    from trainer.store.migrate import ensure_schema

    db = Database(database_url(text))
    raw: RawDB | None = None
    try:
        ensure_schema(db, clock())
        path = db.sqlite_path
        raw = RawDB.open_sqlite(path) if path is not None else RawDB.borrow(db.engine)
        collection = Collection(text, raw, db, clock=clock, zone=zone)
        if collection.meta("created_at") is None:
            with db.write() as session:
                repo.preset_id(session, "Default")
            if install_bundled:
                from trainer.paths import bundled_decks_dir

                if bundled_decks_dir().is_dir():
                    collection.load_bundled()
            collection.set_meta("created_at", clock().isoformat())
    except BaseException:
        if raw is not None:
            raw.close()
        db.dispose()
        raise
    return collection


def open_current(
    target: str | Path | None = None, *, clock: Clock = days.utcnow, zone: tzinfo | None = None
) -> Collection | None:
    """The collection at `target` if it opens at once (SQLite at the current schema), else None.

    For callers that want to show something while a slower open (create, upgrade,
    install the bundled decks, a server) runs elsewhere.
    """
    return _open_current_sqlite(_target_text(target), clock, zone)


def _target_text(target: str | Path | None) -> str:
    if target is None:
        from trainer.paths import default_collection

        return str(default_collection())
    return str(target)


def _open_current_sqlite(target: str, clock: Clock, zone: tzinfo | None) -> Collection | None:
    """The collection at an SQLite path whose schema is current and set up, else None."""
    if "://" in target:
        return None
    try:
        path = Path(target).expanduser()
    except RuntimeError:  # `~nouser/...`: the full open below says so in one line
        return None
    if not path.is_file():
        return None
    try:
        raw = RawDB.open_sqlite(path)
    except sqlite3.Error:
        return None
    try:
        with raw.read():
            revision = study_sql.schema_revision(raw)
            created = study_sql.meta(raw, "created_at")
    except sqlite3.Error:
        raw.close()
        return None
    if revision != HEAD_REVISION or created is None:
        raw.close()
        return None
    from trainer.collection import Collection

    return Collection(target, raw, clock=clock, zone=zone)
