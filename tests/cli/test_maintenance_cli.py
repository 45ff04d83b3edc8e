"""`trainer check`, `backup`, `backups`, `restore` through a real subprocess."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.runner import run_trainer as run

DECK = """\
[deck]
id = "cli"
name = "Cli"

[[cards]]
id = "one"
front = "First?"
back = "One"
"""


def studied(tmp_path: Path) -> None:
    (tmp_path / "cli.toml").write_text(DECK, encoding="utf-8")
    assert run(tmp_path, "load", str(tmp_path / "cli.toml")).returncode == 0
    card = json.loads(run(tmp_path, "next", "Cli", "--json").stdout)["card"]["id"]
    assert run(tmp_path, "answer", str(card), "good").returncode == 0


def test_check_clean_then_broken_then_repaired(tmp_path: Path) -> None:
    studied(tmp_path)
    clean = run(tmp_path, "check")
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.strip() == "No problems found."
    with sqlite3.connect(tmp_path / "cli.sqlite3") as conn:
        conn.execute("UPDATE cards SET stability = 123.0 WHERE external_id = 'cli/one'")
    broken = run(tmp_path, "check", "--json")
    assert broken.returncode == 1
    assert broken.stderr.startswith("trainer: error: 1 problem(s) left in ")
    report = json.loads(broken.stdout)
    assert report["ok"] is False
    assert [p["code"] for p in report["problems"]] == ["log"]
    repaired = run(tmp_path, "check", "--repair")
    assert repaired.returncode == 0, repaired.stdout
    assert "1 problem(s) found, 1 repaired, 0 left." in repaired.stdout
    assert run(tmp_path, "check").returncode == 0


def test_backup_list_and_restore(tmp_path: Path) -> None:
    studied(tmp_path)
    made = run(tmp_path, "backup")
    assert made.returncode == 0, made.stderr
    path = Path(made.stdout.strip().removeprefix("Backed up to "))
    assert path.is_file() and path.parent == tmp_path / "backups"
    listed = json.loads(run(tmp_path, "backups", "--json").stdout)["backups"]
    # the first answer's session was backed up automatically when it closed
    assert sorted((b["reason"], b["path"] == str(path)) for b in listed) == [
        ("auto", False),
        ("manual", True),
    ]
    card = json.loads(run(tmp_path, "next", "Cli", "--json", now="2026-03-09T12:00:00+00:00").stdout)["card"]
    assert run(tmp_path, "answer", str(card["id"]), "again", now="2026-03-09T12:00:00+00:00").returncode == 0
    restored = run(tmp_path, "restore", str(path), "--yes", now="2026-03-09T12:05:00+00:00")
    assert restored.returncode == 0, restored.stderr
    assert "before-restore" in restored.stdout
    with sqlite3.connect(tmp_path / "cli.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
    reasons = [b["reason"] for b in json.loads(run(tmp_path, "backups", "--json").stdout)["backups"]]
    assert {"before-restore", "manual"} <= set(reasons)


def test_restore_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    done = run(tmp_path, "restore", str(tmp_path / "nope.sqlite3"), "--yes")
    assert done.returncode == 1
    assert done.stderr.strip() == f"trainer: error: {tmp_path / 'nope.sqlite3'}: no such backup file"


def test_backups_when_there_are_none(tmp_path: Path) -> None:
    done = run(tmp_path, "backups")
    assert done.returncode == 0
    assert done.stdout.strip() == "No backups yet. Make one with: trainer backup"


def test_check_summarises_many_problems_of_one_kind_and_verbose_lists_them(tmp_path: Path) -> None:
    studied(tmp_path)
    with sqlite3.connect(tmp_path / "cli.sqlite3") as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.executemany(  # 230 review rows of a card that is gone (a damaged file's leftovers)
            "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, state_before,"
            " state_after, undo_data) VALUES (99999, ?, 3, 1000, 'review', 0, 1, '{}')",
            [(1_700_000_000_000 + i,) for i in range(230)],
        )
    short = run(tmp_path, "check")
    assert short.returncode == 1
    lines = short.stdout.splitlines()
    orphans = [line for line in lines if line.startswith("problem: [orphan] review ")]
    assert len(orphans) == 3  # the first few examples ...
    assert "problem: [orphan] ... and 227 more like these (--verbose lists all)" in lines  # ... a count
    assert len(lines) < 10 and "230 problem(s) found, 0 repaired, 230 left." in short.stdout
    full = run(tmp_path, "check", "--verbose")
    assert len([line for line in full.stdout.splitlines() if "[orphan] review " in line]) == 230
    assert len(json.loads(run(tmp_path, "check", "--json").stdout)["problems"]) == 230
    repaired = run(tmp_path, "check", "--repair")
    assert repaired.returncode == 0, repaired.stdout
    assert len(repaired.stdout.splitlines()) < 10
    assert "repaired: [orphan] ... and 227 more like these (--verbose lists all)" in repaired.stdout
