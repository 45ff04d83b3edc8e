"""The stats, optimize, simulate, preset and import-revlog commands, end to end."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.cli.runner import run_trainer as run
from tests.services.test_stats import write_log

NOW = "2026-03-02T12:00:00+00:00"


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return write_log(tmp_path / "log.csv", datetime.fromisoformat(NOW), cards=25)


def test_import_then_stats_text_and_json(tmp_path: Path, log: Path) -> None:
    imported = run(tmp_path, "import-revlog", str(log), "--deck", "Mine [red]x[/red]")
    assert imported.returncode == 0, imported.stderr
    assert "of 25 cards into 'Mine [red]x[/red]'" in imported.stdout
    text = run(tmp_path, "stats", "--days", "14")
    assert text.returncode == 0, text.stderr
    assert "True retention (desired 90.0%)" in text.stdout
    assert "Mastery (weakest first)" in text.stdout
    assert "Mine [red]x[/red]" in text.stdout  # literal, never markup
    data = json.loads(run(tmp_path, "stats", "--json", "--deck", "Mine [red]x[/red]").stdout)
    assert data["card_counts"]["total"] == 25
    assert set(data["retention"]) == {"today", "yesterday", "week", "month", "year"}
    assert len(data["calendar"]) == 365 and len(data["reviews"]) == 30
    missing = run(tmp_path, "stats", "--deck", "Nope")
    assert missing.returncode == 1 and "no deck named 'Nope'" in missing.stderr


def test_optimize_refuses_and_preset_changes(tmp_path: Path, log: Path) -> None:
    run(tmp_path, "import-revlog", str(log))
    refused = run(tmp_path, "optimize", "--json")
    assert refused.returncode == 0, refused.stderr
    assert "not enough review history" in json.loads(refused.stdout)["refused"]
    shown = run(tmp_path, "preset", "Default")
    assert "retention 0.90" in shown.stdout and "Imported review log" in shown.stdout
    changed = run(tmp_path, "preset", "Default", "--set", "desired_retention=0.85", "--reschedule")
    assert changed.returncode == 0, changed.stderr
    assert "retention 0.85" in changed.stdout and "rescheduled" in changed.stdout
    bad = run(tmp_path, "preset", "Default", "--set", "desired_retention=2")
    assert bad.returncode == 1 and "desired_retention: 2 is out of range" in bad.stderr
    sim = run(tmp_path, "simulate", "--json", "--days", "60")
    rows = json.loads(sim.stdout)
    assert [r["desired_retention"] for r in rows] == [0.75, 0.8, 0.85, 0.9, 0.95]


def test_optimize_real_log(tmp_path: Path, shared_data: Path) -> None:
    assert run(tmp_path, "import-revlog", str(shared_data / "review-log-josh.csv")).returncode == 0
    out = run(tmp_path, "optimize", "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "12580 reviews" in out.stdout and "Time-series split:  log loss 0.44" in out.stdout
    assert "Dry run: nothing saved." in out.stdout


def test_card_text_in_the_stats_table_stays_on_one_line() -> None:
    from trainer.cli.stats import one_line

    assert one_line("What is\nthe answer?\x1b[31m") == "What is the answer?[31m"
