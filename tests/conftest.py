"""Shared fixtures: the developer's own data and clock never leak into tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from trainer.collection import Collection, open_collection

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FIXED_NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
TEST_ZONE = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every per-user path at a temporary folder; clear trainer's variables."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("TZ", "Europe/Paris")
    for name in ("TRAINER_DB", "TRAINER_NOW"):
        monkeypatch.delenv(name, raising=False)
    return home


class Clock:
    """A settable clock for tests."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        from datetime import timedelta

        self.now = self.now + timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    """A fixed clock at FIXED_NOW that tests can advance."""
    return Clock(FIXED_NOW)


@pytest.fixture
def col(tmp_path: Path, clock: Clock) -> Iterator[Collection]:
    """An empty collection (no bundled decks) in a temporary folder, on the test clock."""
    collection = open_collection(tmp_path / "col.sqlite3", clock=clock, zone=TEST_ZONE, install_bundled=False)
    yield collection
    collection.close()


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip with the reason."""
    folder = SHARED / "data"
    if not folder.is_dir():
        pytest.skip(f"real data folder {folder} is absent")
    return folder


@pytest.fixture
def seeds_dir() -> Path:
    """../shared/seeds, or skip with the reason."""
    folder = SHARED / "seeds"
    if not folder.is_dir():
        pytest.skip(f"seed documents folder {folder} is absent")
    return folder


def write_deck(path: Path, body: str) -> Path:
    """Write a deck file (helper for tests)."""
    path.write_text(body, encoding="utf-8")
    return path
