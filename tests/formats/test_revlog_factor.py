"""Review-log ease factor and type leave trainer as Anki writes them, judged by Anki.

Anki logs, in `revlog.factor`, the FSRS difficulty of the card after the answer shifted to
100..1100 (rslib's `difficulty_shifted` in permille) when the card has a memory state, else
the SM-2 ease (0 while in first learning); `type` is the kind of the answer (learning,
review, relearning, filtered, manual, rescheduled). Rows imported from Anki keep their own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from anki.collection import Collection as AnkiCollection

from tests.formats.anki_judge import judge_package
from tests.formats.anki_oracle import Built, answer_some, export_package
from tests.formats.test_apkg_export_judged import exported, studied
from trainer.collection import Collection, open_collection


def shifted(difficulty: float) -> int:
    return round(((difficulty - 1) / 9 + 0.1) * 1000)


def test_anki_logs_the_shifted_difficulty(tmp_path: Path) -> None:
    """The rule itself, from Anki: each card's last row holds its memory state's difficulty."""
    anki = AnkiCollection(str(tmp_path / "c.anki2"))
    try:
        anki.set_config("fsrs", True)
        for i in range(4):
            note = anki.new_note(anki.models.by_name("Basic"))
            note.fields[0], note.fields[1] = f"q{i}", "a"
            anki.add_note(note, 1)
        answer_some(anki, 1)
        checked = 0
        for cid in anki.find_cards(""):
            card = anki.get_card(cid)
            last = anki.db.scalar("select factor from revlog where cid = ? order by id desc limit 1", cid)
            assert card.memory_state is not None
            assert last == shifted(card.memory_state.difficulty)
            checked += 1
        assert checked == 4
    finally:
        anki.close()


def test_trainer_answers_leave_with_anki_factor_and_type(tmp_path: Path) -> None:
    zone = ZoneInfo("UTC")
    col, now = studied(tmp_path / "col.sqlite3", zone, datetime(2026, 1, 5, 3, 0, tzinfo=UTC))
    try:
        out = tmp_path / "days.apkg"
        col.export_file(out, now=now)
        ours = exported(col)
    finally:
        col.close()
    judged = judge_package(out, tmp_path / "anki")
    rows: dict[int, list[list[int]]] = {}
    for row in judged["revlog"]:
        rows.setdefault(row[1], []).append(row)
    checked = 0
    for key, card in judged["cards"].items():
        record = ours[key]
        log = rows.get(_cid(judged, key), [])
        assert len(log) == len(record.reviews) > 0
        for row, review in zip(log, record.reviews, strict=True):
            assert review.difficulty_after is not None
            assert row[5] == shifted(review.difficulty_after)  # factor
            assert row[7] == {0: 0, 1: 0, 2: 1, 3: 2}[int(review.state_before)]  # type
        # Anki's memory state of the card agrees with the last row, as in Anki
        if card["difficulty"] is not None:
            assert abs(log[-1][5] - shifted(card["difficulty"])) <= 1
        checked += 1
    assert checked >= 4
    assert {row[5] for row in judged["revlog"]} - {0, 2500}  # no more 2500 / 0 only


def _cid(judged: dict[str, object], key: str) -> int:
    cards = judged["cards"]
    assert isinstance(cards, dict)
    return int(cards[key]["cid"])


def _round_trip_revlog(
    col: Collection, package: Path, folder: Path
) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
    before = judge_package(package, folder / "before")["revlog"]
    col.import_file(package)
    out = folder / "back.apkg"
    col.export_file(out)
    after = judge_package(out, folder / "after")["revlog"]
    shape: list[tuple[int, ...]] = [
        (r[0], r[2], r[3], r[5], r[7]) for r in before
    ]  # id, ease, ivl, factor, type
    return shape, [(r[0], r[2], r[3], r[5], r[7]) for r in after]


def test_imported_fsrs_rows_keep_factor_and_type(
    col: Collection, packages: dict[str, Path], tmp_path: Path
) -> None:
    before, after = _round_trip_revlog(col, packages["current"], tmp_path)
    assert len(before) > 4 and after == before


def test_imported_sm2_rows_keep_factor_and_type(
    col: Collection, anki_sm2_source: Built, tmp_path: Path
) -> None:
    package = export_package(anki_sm2_source.path, tmp_path / "sm2.apkg", legacy=True)
    before, after = _round_trip_revlog(col, package, tmp_path)
    assert {row[3] for row in before} >= {0, 2500}
    assert len(before) > 4 and after == before


REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "anki"


def test_real_v1_package_rows_come_back_as_anki_reads_them(col: Collection, tmp_path: Path) -> None:
    """AnkiDroid's templates.apkg is a v1-scheduler collection: Anki turns its (re)learning Good and
    Easy (2, 3 of three buttons) into 3 and 4 on import; trainer reads them so, and its export
    gives back every row as Anki has it (intervals as logged, e.g. a learning step before a first
    answer)."""
    package = REAL / "ankidroid_templates.apkg"
    if not package.is_file():
        pytest.skip(f"{package} not found (../shared/data/real/anki)")
    before, after = _round_trip_revlog(col, package, tmp_path)
    assert len(before) == 102 and after == before


def test_the_json_backup_keeps_imported_revlog_values(col: Collection, tmp_path: Path) -> None:
    package = REAL / "ankidroid_templates.apkg"
    if not package.is_file():
        pytest.skip(f"{package} not found (../shared/data/real/anki)")
    col.import_file(package)
    col.export_file(tmp_path / "direct.apkg")
    col.export_file(tmp_path / "backup.json")
    restored = open_collection(tmp_path / "restored.sqlite3", install_bundled=False)
    try:
        restored.import_file(tmp_path / "backup.json")
        restored.export_file(tmp_path / "restored.apkg")
    finally:
        restored.close()
    direct = judge_package(tmp_path / "direct.apkg", tmp_path / "a")["revlog"]
    assert (
        len(direct) == 102 and judge_package(tmp_path / "restored.apkg", tmp_path / "b")["revlog"] == direct
    )
