"""Where things live: the per-user collection, bundled decks and migrations."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "trainer"
_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The per-user data folder (`XDG_DATA_HOME`/`HOME` move it)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_collection() -> str:
    """`TRAINER_DB` if set, else `collection.sqlite3` in the data folder."""
    return os.environ.get("TRAINER_DB") or str(data_dir() / "collection.sqlite3")


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "_bundled" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def bundled_decks_dir() -> Path:
    """The decks shipped with trainer (inside the wheel, or the source checkout)."""
    return _bundled("decks")


def migrations_dir() -> Path:
    """The Alembic environment (`db/`), inside the wheel or the source checkout."""
    return _bundled("db")
