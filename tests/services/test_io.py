"""The import service: one transaction, backups, duplicates and media safety."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from trainer.collection import Collection, open_collection
from trainer.core.cards import CardContent, CardKind
from trainer.formats.model import CardRecord, Package, ReviewRecord
from trainer.services import io, io_bulk, io_export
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


def _statements(col: Collection) -> list[str]:
    seen: list[str] = []
    event.listen(col.db.engine, "before_cursor_execute", lambda c, cur, sql, *rest: seen.append(sql))
    return seen


@pytest.mark.parametrize("seeded", [0, 1])
def test_index_rebuild_stores_the_same_as_plain_inserts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded: int
) -> None:
    """A large insert on SQLite drops and recreates the secondary indexes: same rows, same schema."""
    when = datetime(2026, 3, 1, 12, tzinfo=UTC)
    package = [_reviewed(i, when) for i in range(seeded, 60)]
    dumps = []
    for limit in (10**9, 5):
        monkeypatch.setattr(io_bulk, "REBUILD_MIN", limit)
        with open_collection(tmp_path / f"{limit}.sqlite3", install_bundled=False, clock=lambda: when) as col:
            before = _dump(col)[2]
            if seeded:
                io.import_package(
                    col.db, Package(cards=[_reviewed(0, when)], has_scheduling=True), "seed", when
                )
            seen = _statements(col)
            report = io.import_package(col.db, Package(cards=package, has_scheduling=True), "big", when)
            assert report.reviews == sum(len(c.reviews) for c in package) > 0
            dropped = [s for s in seen if s.lstrip().upper().startswith("DROP INDEX")]
            assert len(dropped) == (0 if limit > 60 else 5 + 3), dropped  # cards and reviews
            dump = _dump(col)
            assert dump[2] == before
            dumps.append(dump)
    assert dumps[0] == dumps[1]


def test_no_index_rebuild_when_the_table_is_larger(col: Collection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(io_bulk, "REBUILD_MIN", 2)
    io.import_package(col.db, Package(cards=[_card(i) for i in range(10)]), "seed", col.clock())
    seen = _statements(col)
    io.import_package(col.db, Package(cards=[_card(i) for i in range(10, 15)]), "more", col.clock())
    assert not [s for s in seen if "DROP INDEX" in s.upper()]
    assert _count(col) == 15


def test_failure_after_the_index_drop_changes_nothing(
    col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dropped indexes come back with the rollback: DDL is part of the import's transaction."""
    monkeypatch.setattr(io_bulk, "REBUILD_MIN", 2)
    before = _dump(col)

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")  # after the indexes were dropped, before they are made again

    monkeypatch.setattr(io_bulk, "_insert", broken)
    when = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with pytest.raises(RuntimeError):
        io.import_package(
            col.db, Package(cards=[_reviewed(i, when) for i in range(20)], has_scheduling=True), "big", when
        )
    assert _dump(col) == before


def test_media_only_safe_names(col: Collection) -> None:
    package = Package(cards=[_card(1)], media={"ok.png": b"x", "../evil.png": b"y", ".hidden": b"z"})
    report = io.import_package(col.db, package, "m", col.clock())
    folder = io.media_dir(col.db)
    assert folder is not None
    assert report.media == ["ok.png"]
    assert sorted(p.name for p in folder.iterdir()) == ["ok.png"]
    assert not (folder.parent / "evil.png").exists()


@pytest.mark.parametrize(
    "content",
    [
        CardContent(kind=CardKind.BASIC, front='é "q"', back="a"),
        CardContent(kind=CardKind.CLOZE, text="{{c2::x}}", cloze_ord=2, note="n", media=("a.png",)),
        CardContent(kind=CardKind.TYPED, front="q", back="a", answers=("a", "b"), hint="h"),
        CardContent(kind=CardKind.CHOICE, front="q", back="a", distractors=("b",), group_title="g"),
    ],
)
def test_fast_json_matches_canonical(content: CardContent) -> None:
    assert io.content_json(content) == (content.to_json(), content.content_hash())


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(list(CardKind)),
    texts=st.lists(_TEXT, min_size=6, max_size=6),
    cloze_ord=st.integers(min_value=0, max_value=10**12),
    lists=st.lists(st.lists(_TEXT, max_size=3).map(tuple), min_size=3, max_size=3),
)
def test_fast_json_equals_canonical_on_any_content(
    kind: CardKind, texts: list[str], cloze_ord: int, lists: list[tuple[str, ...]]
) -> None:
    front, back, text, hint, note, title = texts
    content = CardContent(
        kind=kind, front=front, back=back, text=text, cloze_ord=cloze_ord, answers=lists[0],
        distractors=lists[1], hint=hint, note=note, group_title=title, media=lists[2],
    )  # fmt: skip
    assert io.content_json(content) == (content.to_json(), content.content_hash())


def test_fast_json_falls_back_on_unusual_values() -> None:
    odd = CardContent(kind=CardKind.BASIC, front="q", cloze_ord=True, answers=(1, "a"))  # type: ignore[arg-type]
    assert io.content_json(odd) == (odd.to_json(), odd.content_hash())


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(list(CardKind)),
    texts=st.lists(_TEXT, min_size=6, max_size=6),
    cloze_ord=st.integers(min_value=0, max_value=10**12),
    lists=st.lists(st.lists(_TEXT, max_size=3).map(tuple), min_size=3, max_size=3),
)
def test_fast_content_decoding_equals_from_json(
    kind: CardKind, texts: list[str], cloze_ord: int, lists: list[tuple[str, ...]]
) -> None:
    front, back, text, hint, note, title = texts
    content = CardContent(
        kind=kind, front=front, back=back, text=text, cloze_ord=cloze_ord, answers=lists[0],
        distractors=lists[1], hint=hint, note=note, group_title=title, media=lists[2],
    )  # fmt: skip
    raw = content.to_json()
    assert io_export.content_from_json(raw) == CardContent.from_json(raw) == content


@pytest.mark.parametrize(
    "raw",
    ['{"kind": "basic", "front": "q", "extra": 1}', '{"kind": "cloze", "cloze_ord": "2", "media": "ab"}'],
)
def test_fast_content_decoding_of_unusual_json(raw: str) -> None:
    assert io_export.content_from_json(raw) == CardContent.from_json(raw)


@pytest.mark.parametrize(
    "raw", ['{"front": "q"}', '{"kind": "nope"}', '{"kind": "basic", "cloze_ord": null}']
)
def test_fast_content_decoding_fails_like_from_json(raw: str) -> None:
    with pytest.raises(Exception) as slow:
        CardContent.from_json(raw)
    with pytest.raises(type(slow.value)):
        io_export.content_from_json(raw)
