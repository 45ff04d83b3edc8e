"""Opening a collection: the quick path for a current SQLite file, and what it declines."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXED_NOW, TEST_ZONE, write_deck
from trainer.collection import open_collection, open_current
from trainer.store.rawdb import RawDB

ROOT = Path(__file__).resolve().parents[1]
DECK = '[deck]\nid = "q"\nname = "Quick"\n\n[[cards]]\nid = "a"\nfront = "Q"\nback = "A"\n'


def made(tmp_path: Path) -> Path:
    path = tmp_path / "col.sqlite3"
    with open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([write_deck(tmp_path / "q.toml", DECK)])
    return path


def test_listing_and_studying_a_current_collection_imports_no_sqlalchemy(tmp_path: Path) -> None:
    path = made(tmp_path)
    code = (
        "import sys\n"
        "from trainer.collection import open_collection\n"
        f"col = open_collection({str(path)!r})\n"
        "decks = col.decks()\n"
        "study = col.next_card()\n"
        "col.answer(study.card.id, 3)\n"
        "col.undo()\n"
        "col.close()\n"
        "print([d.name for d in decks], 'sqlalchemy' in sys.modules, 'textual' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split("\n")[0] == "['Quick'] False False"


def test_open_current_declines_what_needs_work(tmp_path: Path) -> None:
    assert open_current(tmp_path / "new.sqlite3") is None  # would be created
    assert open_current("postgresql+psycopg://nowhere/db") is None  # a server
    path = made(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert open_current(path) is None  # needs an upgrade
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database" * 100)
    assert open_current(tmp_path / "junk.sqlite3") is None  # the full open reports it


def test_quick_and_full_open_see_the_same_collection(tmp_path: Path) -> None:
    path = made(tmp_path)
    quick = open_current(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE)
    assert quick is not None
    try:
        assert [d.name for d in quick.decks()] == ["Quick"]
        assert quick.location == str(path)
        assert quick.meta("created_at") is not None  # the ORM side opens on first use
        card = quick.search("")[0]
        quick.set_suspended([card.id], True)  # written by the other connection: the queue notices
        assert quick.next_card() is None
    finally:
        quick.close()


def test_a_write_cannot_start_inside_a_read(tmp_path: Path) -> None:
    raw = RawDB.open_sqlite(made(tmp_path))
    try:
        with raw.read():
            try:
                with raw.write():
                    pass
            except RuntimeError as exc:
                assert "inside a read" in str(exc)
            else:
                raise AssertionError("a write inside a read transaction was allowed")
        with raw.write(), raw.read():  # a read inside a write joins it
            assert raw.scalar("SELECT count(*) FROM cards") == 1
    finally:
        raw.close()


def test_an_in_memory_collection_sees_its_own_orm_writes() -> None:
    # The ORM and the study path share the one in-memory connection: no cached queue.
    col = open_collection("sqlite://", clock=lambda: FIXED_NOW, zone=TEST_ZONE)
    try:
        study = col.next_card()
        assert study is not None
        col.set_suspended([study.card.id], True)
        following = col.next_card()
        assert following is not None and following.card.id != study.card.id
    finally:
        col.close()
