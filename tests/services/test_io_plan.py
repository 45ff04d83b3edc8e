"""Imports are planned without the write lock and written in one short transaction (issue 19).

The plan is made in a read transaction; anything another writer changes between the plan and
the write (a card added or edited, a deck renamed, an answer) is seen by the write: the plan
is made again or the newer state is kept, never overwritten.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import TEST_ZONE
from trainer.collection import Collection, open_collection
from trainer.core.cards import CardContent, CardKind
from trainer.formats.model import CardRecord, Package
from trainer.services import io, io_stage


def _cards(n: int, text: str = "q", deck: str = "Deck") -> list[CardRecord]:
    return [
        CardRecord(f"t/{i}", deck, CardContent(kind=CardKind.BASIC, front=f"{text}{i}", back=f"a{i}"))
        for i in range(n)
    ]


@pytest.fixture
def second(col: Collection) -> Iterator[Collection]:
    """Another session on the same collection file (another program or process)."""
    assert col.db.sqlite_path is not None
    other = open_collection(col.db.sqlite_path, clock=col.clock, zone=TEST_ZONE, install_bundled=False)
    yield other
    other.close()


def _path(col: Collection) -> Path:
    assert col.db.sqlite_path is not None
    return col.db.sqlite_path


def test_the_plan_holds_no_write_lock_and_the_write_is_one_transaction(col: Collection) -> None:
    seen: list[int] = []

    def meanwhile(done: int, total: int) -> None:  # called while the import is being planned
        conn = sqlite3.connect(_path(col), timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # would fail at once if the import held the lock
            conn.execute("COMMIT")
        finally:
            conn.close()
        seen.append(done)

    report = io.import_package(col.db, Package(cards=_cards(30)), "f", col.clock(), progress=meanwhile)
    assert seen == [30] and len(report.added) == 30
    with sqlite3.connect(_path(col)) as conn:  # the staging tables went with the import
        assert conn.execute("SELECT count(*) FROM cards").fetchone() == (30,)
    with col.db.read() as session:
        temp = session.connection().exec_driver_sql("SELECT name FROM sqlite_temp_master").all()
    assert temp == []


def test_a_card_added_by_another_writer_meanwhile_is_updated_not_doubled(
    col: Collection, second: Collection
) -> None:
    calls: list[int] = []

    def meanwhile(done: int, total: int) -> None:  # once: the import plans again, inside its write
        calls.append(done)
        if len(calls) == 1:
            io.import_package(second.db, Package(cards=_cards(1, "theirs ")), "other", col.clock())

    report = io.import_package(col.db, Package(cards=_cards(3)), "f", col.clock(), progress=meanwhile)
    assert calls == [3, 3]
    assert (sorted(report.added), report.updated) == (["t/1", "t/2"], ["t/0"])
    assert sorted(c.content.front for c in col.search("")) == ["q0", "q1", "q2"]


def test_a_deck_renamed_meanwhile_is_not_written_into(col: Collection) -> None:
    io.import_package(col.db, Package(cards=_cards(1, deck="Deck")), "seed", col.clock())

    calls: list[int] = []

    def meanwhile(done: int, total: int) -> None:  # once: the import plans again, inside its write
        calls.append(done)
        if len(calls) == 1:
            with sqlite3.connect(_path(col)) as conn:
                conn.execute("UPDATE decks SET name = 'Renamed' WHERE name = 'Deck'")

    package = Package(cards=[*_cards(1, deck="Deck"), *_cards(3, deck="Deck")[1:]])
    report = io.import_package(col.db, package, "f", col.clock(), progress=meanwhile)
    assert calls == [3, 3] and report.decks_created == ["Deck"]
    decks = {d.name: d.total for d in col.decks()}
    assert decks["Deck"] == 3 and decks["Renamed"] == 0  # t/0 moves back to the file's deck


def test_an_answer_given_while_a_backup_is_planned_is_kept(
    col: Collection, second: Collection, tmp_path: Path
) -> None:
    io.import_package(col.db, Package(cards=_cards(3)), "seed", col.clock())
    source = open_collection(
        tmp_path / "source.sqlite3", clock=col.clock, zone=TEST_ZONE, install_bundled=False
    )
    try:
        io.import_package(source.db, Package(cards=_cards(3)), "seed", col.clock())
        now = col.clock()
        for _ in range(3):  # the file studied every card
            study = source.next_card(now=now)
            assert study is not None
            source.answer(study.card.id, 3, now=now)
            now += timedelta(seconds=30)
        backup = tmp_path / "all.json"
        source.export_file(backup)
    finally:
        source.close()
    answered: list[str] = []

    def meanwhile(done: int, total: int) -> None:  # a study session answers while the import plans
        assert not answered  # an answer changes no card the import matched by content: no new plan
        study = second.next_card(now=col.clock())
        assert study is not None
        second.answer(study.card.id, 1, now=col.clock())
        answered.append(study.card.external_id)

    report = col.import_file(backup, progress=meanwhile)
    assert report.kept == answered  # this collection's answer wins, and the report says so
    assert sorted(report.restored) == sorted({"t/0", "t/1", "t/2"} - set(answered))
    with sqlite3.connect(_path(col)) as conn:
        ratings = conn.execute(
            "SELECT r.rating FROM reviews r JOIN cards c ON c.id = r.card_id WHERE c.external_id = ?",
            (answered[0],),
        ).fetchall()
    assert ratings == [(1,)]


def test_staging_tables_are_dropped_after_a_failed_write(
    col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("trainer.services.io_apply.insert_staged", fails)
    with pytest.raises(OSError):
        io.import_package(col.db, Package(cards=_cards(5)), "f", col.clock())
    monkeypatch.undo()
    assert col.search("") == []
    for _ in range(3):  # every pooled connection: none keeps the staged rows
        with col.db.read() as session:
            assert session.connection().exec_driver_sql("SELECT name FROM sqlite_temp_master").all() == []
    assert io_stage.CARDS.startswith("trainer_import_")
    report = io.import_package(col.db, Package(cards=_cards(5)), "f", col.clock())
    assert len(report.added) == 5
