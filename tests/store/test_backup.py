"""Backups: SQLite backup API, Anki-like thinning, restore, automatic backups during study."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import TEST_ZONE, Clock, write_deck
from trainer.collection import Collection, open_collection
from trainer.core.scheduling import Rating
from trainer.store.backup import BackupInfo, backups_to_keep, check_backup_file, list_backups

ROOT = Path(__file__).resolve().parents[2]
DECK = """\
[deck]
id = "b"
name = "Back"

[[cards]]
id = "a"
front = "A?"
back = "a"

[[cards]]
id = "b"
front = "B?"
back = "b"
"""


def info(created: datetime) -> BackupInfo:
    return BackupInfo(Path(f"/x/col-{created:%Y%m%d-%H%M%S}-auto.sqlite3"), created, "auto", 1)


def test_thinning_keeps_today_yesterday_then_12_daily_10_weekly_9_monthly() -> None:
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    # four backups a day for 3 years
    backups = [info(now - timedelta(hours=6 * i)) for i in range(4 * 365 * 3)]
    kept = backups_to_keep(backups, now, TEST_ZONE)
    local = [b.created.astimezone(TEST_ZONE).date() for b in backups if b.path in kept]
    today = now.astimezone(TEST_ZONE).date()
    recent = [d for d in local if d >= today - timedelta(days=1)]
    older = sorted((d for d in local if d < today - timedelta(days=1)), reverse=True)
    assert len(recent) == len(
        [b for b in backups if b.created.astimezone(TEST_ZONE).date() >= today - timedelta(days=1)]
    )
    assert len(older) == 12 + 10 + 9
    assert len(set(older)) == len(older)  # one per kept period
    assert older[:12] == [today - timedelta(days=d) for d in range(2, 14)]
    weekly = older[12:22]
    assert all((a - b).days >= 1 for a, b in itertools.pairwise(weekly))
    assert len({d.isocalendar()[:2] for d in weekly}) == 10
    monthly = older[22:]
    assert len({(d.year, d.month) for d in monthly}) == 9


def test_thinning_keeps_everything_when_few() -> None:
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    backups = [info(now - timedelta(days=d)) for d in range(5)]
    assert backups_to_keep(backups, now, TEST_ZONE) == {b.path for b in backups}


def studied(col: Collection, tmp_path: Path) -> None:
    col.load([write_deck(tmp_path / "b.toml", DECK)])
    study = col.next_card()
    assert study is not None
    col.answer(study.card.id, Rating.GOOD)


def test_backup_holds_committed_data_of_a_live_collection(col: Collection, tmp_path: Path) -> None:
    studied(col, tmp_path)
    path = col.maintenance.backup()
    check_backup_file(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert [b.path for b in col.maintenance.backups()] == [path]
    assert col.maintenance.backups()[0].reason == "manual"


def test_restore_backs_up_first_and_brings_back_the_old_state(
    col: Collection, tmp_path: Path, clock: Clock
) -> None:
    studied(col, tmp_path)
    saved = col.maintenance.backup()
    clock.advance(minutes=5)
    study = col.next_card()
    assert study is not None
    col.answer(study.card.id, Rating.AGAIN)
    assert len(col.history(study.card.id)) >= 1
    clock.advance(minutes=5)
    safety = col.maintenance.restore(saved)
    assert safety != saved and "before-restore" in safety.name
    with sqlite3.connect(safety) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (2,)
    assert sum(len(col.history(c)) for c in (1, 2)) == 1
    assert col.maintenance.check().problems == []


def test_restore_refuses_a_file_that_is_not_a_collection(col: Collection, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ValueError, match=r"not a usable SQLite database|not a trainer collection"):
        col.maintenance.restore(bogus)
    assert col.maintenance.backups() == []  # nothing happened


def test_automatic_backup_at_most_every_30_minutes_of_study(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "auto.sqlite3"
    col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    col.close()
    assert list_backups(path) == []  # nothing studied yet: no backup
    col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    studied(col, tmp_path)
    col.close()
    assert [b.reason for b in list_backups(path)] == ["auto"]
    for minutes in (10, 10):  # 20 minutes later: answered, but too soon for another
        clock.advance(minutes=minutes)
        col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
        study = col.next_card()
        assert study is not None
        col.answer(study.card.id, Rating.GOOD)
        col.close()
    assert len(list_backups(path)) == 1
    clock.advance(minutes=15)
    col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    study = col.next_card()
    assert study is not None
    col.answer(study.card.id, Rating.GOOD)
    col.close()
    assert len(list_backups(path)) == 2


def test_backup_of_postgres_is_refused_clearly() -> None:
    from sqlalchemy.engine import make_url

    from trainer.services import maintenance
    from trainer.store.engine import Database

    db = Database.__new__(Database)
    db.url = make_url("postgresql+psycopg://u@localhost/x")
    with pytest.raises(ValueError, match="pg_dump"):
        maintenance.backup(db, datetime(2026, 3, 2, tzinfo=UTC), TEST_ZONE)


def test_loading_deck_files_backs_up_a_collection_with_history(col: Collection, tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "b.toml", DECK)
    col.load([deck])
    assert col.maintenance.backups() == []  # nothing to lose yet
    study = col.next_card()
    assert study is not None
    col.answer(study.card.id, Rating.GOOD)
    col.load([deck], check=True)
    assert col.maintenance.backups() == []  # a check changes nothing
    col.load([deck])
    assert [b.reason for b in col.maintenance.backups()] == ["before-import"]


# -- issue 19: backups that are real ----------------------------------------------------------

ODD_FOLDERS = ["a#b", "a?b", "100%25 sure", "my[1]", "x%y"]


def held(path: Path) -> tuple[int, int]:
    """Cards and reviews in an SQLite file, read through a plain (non-URI) connection."""
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT count(*) FROM cards").fetchone()[0],
            conn.execute("SELECT count(*) FROM reviews").fetchone()[0],
        )
    finally:
        conn.close()


def strays(root: Path, expected: set[Path]) -> list[Path]:
    """Files created anywhere under `root` that are neither expected nor in backups/ nor SQLite's."""
    return [
        p
        for p in root.rglob("*")
        if p.is_file() and p not in expected and "backups" not in p.parts and "-wal" not in p.name
        and "-shm" not in p.name and not p.name.endswith((".toml", ".trainer-lock"))
    ]  # fmt: skip


@pytest.mark.parametrize("folder", ODD_FOLDERS)
def test_every_backup_kind_is_real_with_odd_characters_in_the_folder(
    tmp_path: Path, clock: Clock, folder: str
) -> None:
    root = tmp_path / folder
    root.mkdir()
    path = root / "col.sqlite3"
    col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    studied(col, tmp_path)
    col.close()  # automatic backup
    auto = list_backups(path)
    assert [b.reason for b in auto] == ["auto"]
    assert held(auto[0].path) == (2, 1)
    clock.advance(minutes=1)
    col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    try:
        manual = col.maintenance.backup()
        assert held(manual) == (2, 1)
        clock.advance(minutes=1)
        col.load([write_deck(tmp_path / "b.toml", DECK)])  # before-import
        before_import = [b for b in col.maintenance.backups() if b.reason == "before-import"]
        assert len(before_import) == 1 and held(before_import[0].path) == (2, 1)
        clock.advance(minutes=1)
        safety = col.maintenance.restore(manual)  # before-restore
        assert "before-restore" in safety.name and held(safety) == (2, 1)
    finally:
        col.close()
    assert strays(tmp_path, {path}) == []
    assert all(b.size > 8192 or held(b.path) == (2, 1) for b in list_backups(path))


@pytest.mark.parametrize("folder", ["a#b", "a?b", "x%y", "my[1]"])
def test_backup_before_upgrade_is_real_with_odd_characters(tmp_path: Path, clock: Clock, folder: str) -> None:
    from trainer.store.engine import Database, database_url
    from trainer.store.migrate import HEAD_REVISION, upgrade

    if HEAD_REVISION == "0001":
        pytest.skip("no older schema to upgrade from")
    root = tmp_path / folder
    root.mkdir()
    path = root / "c.sqlite3"
    db = Database(database_url(path))
    upgrade(db, "0001")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('created_at', 'x')")
        conn.exec_driver_sql(
            "INSERT INTO presets (id, name, parameters, desired_retention, learning_steps, relearning_steps,"
            " maximum_interval, new_per_day, reviews_per_day, leech_threshold, bury_siblings,"
            " day_start_hour) VALUES (1, 'Default', '[]', 0.9, '[]', '[]', 100, 20, 200, 8, 1, 4)"
        )
    db.dispose()
    open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False).close()
    found = list_backups(path)
    assert len(found) == 1 and found[0].path.name.endswith("-before-upgrade-0001.sqlite3")
    with sqlite3.connect(found[0].path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM presets").fetchone() == (1,)


def test_a_backup_that_does_not_verify_is_not_reported(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.store import backup as backup_module

    studied(col, tmp_path)
    real = backup_module.copy_database

    def lossy(source: Path, dest: Path, *, mark: bool) -> tuple[int, int] | None:
        expected = real(source, dest, mark=mark)
        with sqlite3.connect(dest) as conn:
            conn.execute("DELETE FROM reviews")
        return expected

    monkeypatch.setattr(backup_module, "copy_database", lossy)
    with pytest.raises(ValueError, match="holds 2 cards and 0 reviews where the collection has 2 and 1"):
        col.maintenance.backup()
    assert col.maintenance.backups() == []
    assert list((tmp_path / "backups").iterdir()) == []  # no partial left


def test_a_failed_automatic_backup_is_reported_on_the_next_start(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.store import backup as backup_module

    path = tmp_path / "auto.sqlite3"
    col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    studied(col, tmp_path)

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_module, "copy_database", full)
    col.close()
    monkeypatch.undo()
    col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    try:
        warning = col.maintenance.backup_failure()
        assert warning is not None and "No space left on device" in warning
        col.maintenance.backup()
        assert col.maintenance.backup_failure() is None  # a backup that worked clears it
    finally:
        col.close()


def test_cli_warns_on_start_about_a_failed_automatic_backup(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with open_collection(path, install_bundled=False) as col:
        col.set_meta("auto_backup_failed", "2026-03-02T12:00:00+00:00|disk full")
    result = trainer_cli(path, "decks")
    assert result.returncode == 0
    assert "warning: the automatic backup of 2026-03-02 12:00 UTC failed: disk full" in result.stderr


def test_thinning_never_touches_files_trainer_did_not_write(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "col.sqlite3"
    folder = tmp_path / "backups"
    folder.mkdir()
    precious = folder / "col-20200101-000000-my-precious.sqlite3"
    with sqlite3.connect(precious) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    text = folder / "col-20200102-000000-notes.sqlite3"
    text.write_text("my own notes")
    col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    try:
        studied(col, tmp_path)
        col.maintenance.backup()
    finally:
        col.close()
    assert precious.exists() and text.exists()
    assert "my-precious" in {b.reason for b in list_backups(path)}  # listed (an old backup?), kept
    assert all(b.marked for b in list_backups(path) if b.reason != "my-precious")


def test_backups_of_a_collection_with_glob_characters_are_listed_and_thinned(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "my[1].sqlite3"
    col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    try:
        studied(col, tmp_path)
        for _ in range(40):  # one backup a day for 40 days
            col.maintenance.backup(now=clock.advance(days=1))
        found = col.maintenance.backups()
    finally:
        col.close()
    assert found and all(b.marked for b in found)
    assert len(found) < 40  # thinned
    assert all(b.path.name.startswith("my[1]-") for b in found)


def trainer_cli(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`trainer --db PATH ARGS...` in a subprocess, on the test clock."""
    env = {**os.environ, "TRAINER_NOW": "2026-03-02T13:00:00+00:00", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "trainer", "--db", str(path), *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def damage(path: Path, how: str) -> None:
    """Truncate a collection file, or flip bytes in the middle of it."""
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 2 + 100]))
    else:
        for offset in range(len(data) // 2, len(data) - 64, 509):
            data[offset] ^= 0xFF
        path.write_bytes(bytes(data))


def filled(path: Path, clock: Clock, tmp_path: Path, cards: int = 300) -> tuple[int, int]:
    body = "".join(f'[[cards]]\nid = "c{i}"\nfront = "Q{i}?"\nback = "A{i}"\n\n' for i in range(cards))
    deck = write_deck(tmp_path / "big.toml", f'[deck]\nid = "big"\nname = "Big"\n\n{body}')
    col = open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    try:
        col.load([deck])
        for _ in range(20):
            study = col.next_card()
            assert study is not None
            col.answer(study.card.id, Rating.GOOD)
    finally:
        col.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()  # the last connection: SQLite removes the -wal and -shm files
    return held(path)


@pytest.mark.parametrize("how", ["truncated", "bit-flipped"])
def test_cli_restores_a_damaged_collection_from_its_backup(tmp_path: Path, clock: Clock, how: str) -> None:
    path = tmp_path / "col#1.sqlite3"
    expected = filled(path, clock, tmp_path)
    saved = list_backups(path)[0].path  # the automatic backup
    assert held(saved) == expected
    damage(path, how)
    path.chmod(0o640)
    Path(f"{path}-wal").write_bytes(b"")  # an empty log beside it: nothing worth keeping
    result = trainer_cli(path, "restore", str(saved), "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "damaged; it is kept as" in result.stdout
    assert held(path) == expected
    assert path.stat().st_mode & 0o777 == 0o640  # the learner's permissions stay
    kept = [b for b in list_backups(path) if b.reason == "damaged"]
    assert len(kept) == 1 and kept[0].path.stat().st_size > 0
    assert not Path(f"{kept[0].path}-wal").exists()
    with open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False) as col:
        assert col.maintenance.check().problems == []


@pytest.mark.parametrize("how", ["truncated", "bit-flipped"])
def test_cli_check_says_what_is_wrong_and_repair_recovers_keeping_the_damaged_file(
    tmp_path: Path, clock: Clock, how: str
) -> None:
    path = tmp_path / "col.sqlite3"
    cards, reviews = filled(path, clock, tmp_path, cards=3000)  # the schema's pages come first
    damage(path, how)
    original = path.read_bytes()
    result = trainer_cli(path, "check")
    assert result.returncode == 1
    assert "is damaged: run 'trainer check --repair'" in result.stderr
    if how == "truncated":
        assert "is truncated:" in result.stdout and "pages of 4,096 bytes" in result.stdout
    else:
        assert "damaged:" in result.stdout
    assert path.read_bytes() == original  # a check changes nothing
    result = trainer_cli(path, "check", "--repair")
    assert "[recovered] recovered" in result.stdout, result.stdout + result.stderr
    kept = [b for b in list_backups(path) if b.reason == "damaged"]
    assert len(kept) == 1 and kept[0].path.read_bytes() == original
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    got_cards, got_reviews = held(path)
    assert 0 < got_cards <= cards and got_reviews <= reviews
    with open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False) as col:
        assert [p for p in col.maintenance.check(repair=True).problems if not p.repaired] == []


TRIGGERS = """
CREATE TRIGGER wipe AFTER INSERT ON reviews BEGIN
  UPDATE cards SET stability = 0;
  DELETE FROM reviews;
END;
CREATE VIEW everything AS SELECT * FROM cards;
CREATE TABLE loot (x);
"""


def test_restore_leaves_out_triggers_views_and_foreign_tables(col: Collection, tmp_path: Path) -> None:
    studied(col, tmp_path)
    laden = tmp_path / "laden.sqlite3"
    with sqlite3.connect(laden) as conn:
        conn.execute("SELECT 1")
    laden.unlink()
    path = col.maintenance.backup()
    laden.write_bytes(path.read_bytes())
    with sqlite3.connect(laden) as conn:
        conn.executescript(TRIGGERS)
    col.maintenance.restore(laden)
    study = col.next_card()
    assert study is not None
    col.answer(study.card.id, Rating.AGAIN)
    with sqlite3.connect(col.db.sqlite_path or "") as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (2,)
    assert not {"wipe", "everything", "loot"} & names
    assert col.maintenance.check().problems == []


def test_check_reports_triggers_in_the_live_collection_and_repair_drops_them(
    col: Collection, tmp_path: Path
) -> None:
    studied(col, tmp_path)
    with sqlite3.connect(col.db.sqlite_path or "") as conn:
        conn.executescript(TRIGGERS)
    report = col.maintenance.check()
    found = sorted(p.message for p in report.problems if p.code == "schema")
    assert found == [
        "table 'loot' is not part of trainer's schema (left alone)",
        "trigger 'wipe' on reviews is not part of trainer's schema",
        "view 'everything' on everything is not part of trainer's schema",
    ]
    repaired = col.maintenance.check(repair=True)
    assert [p.message for p in repaired.problems if not p.repaired] == [found[0]]
    with sqlite3.connect(col.db.sqlite_path or "") as conn:
        assert conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'view')"
        ).fetchone() == (0,)


def test_trainer_tables_list_every_table_of_the_models() -> None:
    from trainer.store.models import Base
    from trainer.store.sqlitefile import TRAINER_TABLES

    assert set(Base.metadata.tables) | {"alembic_version"} == TRAINER_TABLES


@pytest.mark.parametrize("blocker", ["read-only folder", "full disk"])
def test_a_collection_sqlite_cannot_open_for_lack_of_room_is_not_called_damaged(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, blocker: str
) -> None:
    from trainer.errors import TrainerError
    from trainer.services import maintenance

    path = tmp_path / "col.sqlite3"
    expected = filled(path, clock, tmp_path, cards=20)
    Path(f"{path}-wal").mkdir()  # SQLite cannot create its -wal file, as on a read-only folder
    if blocker == "read-only folder":
        real_access = os.access
        monkeypatch.setattr(
            os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode)
        )
        said = "its folder is read-only"
    else:
        monkeypatch.setattr(shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(1, 1, 0))
        said = "the disk holding it is full"
    with pytest.raises(TrainerError, match=said) as caught:
        open_collection(path, clock=clock, zone=TEST_ZONE, install_bundled=False)
    assert "not a usable database" not in str(caught.value)
    with pytest.raises(TrainerError, match=said):
        maintenance.check_file(path, clock())
    Path(f"{path}-wal").rmdir()
    assert held(path) == expected


def test_the_backup_on_closing_after_study_imports_no_orm(tmp_path: Path) -> None:
    # closing the app after a session backs up; importing SQLAlchemy for it made quitting slow
    path = tmp_path / "c.sqlite3"
    with open_collection(path, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([write_deck(tmp_path / "d.toml", DECK)])
    script = f"""
import sys
from trainer.collection import open_current
col = open_current({str(path)!r})
assert col is not None
study = col.next_card()
assert study is not None
col.answer(study.card.id, 3)
col.close()
print(sorted(m for m in sys.modules if m.startswith("sqlalchemy")))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert [b.reason for b in list_backups(path)] == ["auto"]
    with open_collection(path, zone=TEST_ZONE, install_bundled=False) as col:
        assert col.meta("last_backup_at") is not None
