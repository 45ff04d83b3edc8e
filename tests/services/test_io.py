"""The import service: one transaction, backups, duplicates and media safety."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from trainer.collection import Collection
from trainer.core.cards import CardContent, CardKind
from trainer.formats.model import CardRecord, Package, ReviewRecord
from trainer.services import io, io_import
from trainer.store import repo


def _count(col: Collection) -> int:
    with col.db.read() as session:
        return int(session.execute(select(func.count()).select_from(repo.cards_t)).scalar() or 0)


def _card(i: int) -> CardRecord:
    return CardRecord(
        f"t/{i}", "Deck", CardContent(kind=CardKind.BASIC, front=f"q{i}", back=f"a{i}"), where=f"row {i}"
    )


def test_duplicates_are_reported_not_doubled(col: Collection) -> None:
    package = Package(cards=[_card(1), _card(1), _card(2)])
    report = io.import_package(col.db, package, "f.csv", col.clock())
    assert len(report.added) == 2
    assert report.skipped == [("row 1", "duplicate of an earlier card in the file")]
    assert _count(col) == 2


def test_large_import_backs_up_first(col: Collection) -> None:
    io.import_package(col.db, Package(cards=[_card(0)]), "seed", col.clock())
    package = Package(cards=[_card(i) for i in range(1, io.LARGE_IMPORT + 1)])
    seen: list[tuple[int, int]] = []
    report = io.import_package(col.db, package, "big", col.clock(), progress=lambda d, t: seen.append((d, t)))
    assert report.backup is not None and Path(report.backup).is_file()
    assert seen[-1] == (io.LARGE_IMPORT, io.LARGE_IMPORT)
    assert _count(col) == io.LARGE_IMPORT + 1


def test_failure_mid_import_changes_nothing(col: Collection) -> None:
    bad = _card(2)
    bad.deck = "x" * 600  # longer than any deck name column allows on strict databases
    package = Package(cards=[_card(1), bad])
    package.cards[1].content = None  # type: ignore[assignment]
    with pytest.raises(AttributeError):
        io.import_package(col.db, package, "broken", col.clock())
    assert _count(col) == 0


def _reviewed(i: int, when: datetime) -> CardRecord:
    card = _card(i)
    card.deck = f"Deck {i % 3}"
    card.reviews = [ReviewRecord(when + timedelta(days=d), 1 + (i + d) % 4, 1000 * d) for d in range(i % 3)]
    return card


def _dump(col: Collection) -> tuple[list[Any], list[Any], list[Any]]:
    """Cards and reviews row by row, and the indexes (names and normalised SQL)."""
    path = col.db.sqlite_path
    assert path is not None
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        cards = conn.execute("SELECT * FROM cards ORDER BY id").fetchall()
        reviews = conn.execute("SELECT * FROM reviews ORDER BY id").fetchall()
        indexes = conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"
        ).fetchall()
    return cards, reviews, sorted((n, t, " ".join((sql or "").split())) for n, t, sql in indexes)


def test_media_only_safe_names(col: Collection) -> None:
    package = Package(cards=[_card(1)], media={"ok.png": b"x", "../evil.png": b"y", ".hidden": b"z"})
    report = io.import_package(col.db, package, "m", col.clock())
    folder = io.media_dir(col.db)
    assert folder is not None
    assert report.media == ["ok.png"]
    assert sorted(p.name for p in folder.iterdir()) == ["ok.png"]
    assert not (folder.parent / "evil.png").exists()


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(list(CardKind)),
    texts=st.lists(_TEXT, min_size=6, max_size=6),
    cloze_ord=st.integers(min_value=0, max_value=10**12),
    lists=st.lists(st.lists(_TEXT, max_size=3).map(tuple), min_size=3, max_size=3),
)
def test_content_json_round_trips(
    kind: CardKind, texts: list[str], cloze_ord: int, lists: list[tuple[str, ...]]
) -> None:
    front, back, text, hint, note, title = texts
    content = CardContent(
        kind=kind, front=front, back=back, text=text, cloze_ord=cloze_ord, answers=lists[0],
        distractors=lists[1], hint=hint, note=note, group_title=title, media=lists[2],
    )  # fmt: skip
    raw = content.to_json()
    assert CardContent.from_json(raw) == content


def test_the_import_page_cache_comes_back_after_an_error(col: Collection) -> None:
    with col.db.write() as session:
        connection = session.connection()
        before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        with pytest.raises(RuntimeError), io_import._page_cache(session, col.db, io.LARGE_IMPORT):
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -io_import.BIG_CACHE
            raise RuntimeError("disk full")
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == before
