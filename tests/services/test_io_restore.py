"""A JSON backup restores progress into a collection that already holds the same cards unstudied."""

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
from trainer.services import io

SCHEDULE = "state, queue, step, stability, difficulty, due, last_review, reps, lapses, flag"


def _package() -> Package:
    cards = [
        CardRecord(f"r/{i}", "Deck", CardContent(kind=CardKind.BASIC, front=f"q{i}", back=f"a{i}"))
        for i in range(3)
    ]
    return Package(cards=cards)


def _open(path: Path, col: Collection) -> Collection:
    return open_collection(path, clock=col.clock, zone=TEST_ZONE, install_bundled=False)


def _rows(col: Collection) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    path = col.db.sqlite_path
    assert path is not None
    with sqlite3.connect(path) as conn:
        cards = conn.execute(f"SELECT external_id, {SCHEDULE} FROM cards ORDER BY external_id").fetchall()
        reviews = conn.execute(
            "SELECT c.external_id, r.reviewed_at, r.rating, r.state_after, r.due_after FROM reviews r "
            "JOIN cards c ON c.id = r.card_id ORDER BY c.external_id, r.reviewed_at"
        ).fetchall()
    return cards, reviews


@pytest.fixture
def other(tmp_path: Path, col: Collection) -> Iterator[Collection]:
    """A second collection holding the same cards, never studied (a new machine)."""
    second = _open(tmp_path / "other.sqlite3", col)
    io.import_package(second.db, _package(), "same.csv", col.clock())
    yield second
    second.close()


def _study(col: Collection, times: int, rating: int = 3) -> None:
    now = col.clock()
    for _ in range(times):
        card = col.next_card(now=now)
        assert card is not None
        col.answer(card.card.id, rating, now=now)
        now += timedelta(seconds=30)


def test_json_backup_restores_progress_of_unstudied_matching_cards(
    col: Collection, other: Collection, tmp_path: Path
) -> None:
    io.import_package(col.db, _package(), "same.csv", col.clock())
    _study(col, 3)
    backup = tmp_path / "all.json"
    col.export_file(backup)
    report = other.import_file(backup)
    assert (len(report.added), report.reviews) == (0, 3)
    assert sorted(report.restored) != [] and report.kept == []
    assert _rows(other) == _rows(col)


def test_card_studied_on_both_sides_keeps_the_collections_progress_and_says_so(
    col: Collection, other: Collection, tmp_path: Path
) -> None:
    io.import_package(col.db, _package(), "same.csv", col.clock())
    _study(col, 3)
    backup = tmp_path / "all.json"
    col.export_file(backup)
    _study(other, 1, rating=1)  # another answer than the file's
    before_cards, before_reviews = _rows(other)
    report = other.import_file(backup)
    assert len(report.kept) == 1
    assert any("kept this collection's" in what for _, what in report.notices)
    cards, reviews = _rows(other)
    kept = report.kept[0]
    assert [c for c in cards if c[0] == kept] == [c for c in before_cards if c[0] == kept]
    assert [r for r in reviews if r[0] == kept] == [r for r in before_reviews if r[0] == kept]
    restored = set(report.restored)
    assert [c for c in cards if c[0] in restored] == [c for c in _rows(col)[0] if c[0] in restored]


def test_reimport_into_the_same_collection_changes_nothing(col: Collection, tmp_path: Path) -> None:
    io.import_package(col.db, _package(), "same.csv", col.clock())
    _study(col, 2)
    backup = tmp_path / "all.json"
    col.export_file(backup)
    before = _rows(col)
    report = col.import_file(backup)
    assert (len(report.added), report.reviews, report.restored) == (0, 0, [])
    assert _rows(col) == before
    assert report.kept == [] and report.notices == []


def test_export_summary_counts_reviews_only_in_formats_that_carry_them(
    col: Collection, tmp_path: Path
) -> None:
    io.import_package(col.db, _package(), "same.csv", col.clock())
    _study(col, 2)
    counts = {
        name: col.export_file(tmp_path / name).reviews for name in ("a.json", "a.csv", "a.toml", "a.tsv")
    }
    assert counts == {"a.json": 2, "a.csv": 0, "a.toml": 0, "a.tsv": 0}
