"""Backups: SQLite backup API, Anki-like thinning, restore, automatic backups during study."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import TEST_ZONE, Clock, write_deck
from trainer.collection import Collection, open_collection
from trainer.core.scheduling import Rating
from trainer.store.backup import BackupInfo, backups_to_keep, check_backup_file, list_backups

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
    path = col.backup()
    check_backup_file(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert [b.path for b in col.backups()] == [path]
    assert col.backups()[0].reason == "manual"


def test_restore_backs_up_first_and_brings_back_the_old_state(
    col: Collection, tmp_path: Path, clock: Clock
) -> None:
    studied(col, tmp_path)
    saved = col.backup()
    clock.advance(minutes=5)
    study = col.next_card()
    assert study is not None
    col.answer(study.card.id, Rating.AGAIN)
    assert len(col.history(study.card.id)) >= 1
    clock.advance(minutes=5)
    safety = col.restore(saved)
    assert safety != saved and "before-restore" in safety.name
    with sqlite3.connect(safety) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (2,)
    assert sum(len(col.history(c)) for c in (1, 2)) == 1
    assert col.check().problems == []


def test_restore_refuses_a_file_that_is_not_a_collection(col: Collection, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ValueError, match=r"not a usable SQLite database|not a trainer collection"):
        col.restore(bogus)
    assert col.backups() == []  # nothing happened


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
    assert col.backups() == []  # nothing to lose yet
    study = col.next_card()
    assert study is not None
    col.answer(study.card.id, Rating.GOOD)
    col.load([deck], check=True)
    assert col.backups() == []  # a check changes nothing
    col.load([deck])
    assert [b.reason for b in col.backups()] == ["before-import"]
