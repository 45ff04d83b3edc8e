"""A large import beside a study session (issue 19): answers never wait a second; kills leave all or nothing.

The import is planned without the write lock and written in one short transaction
(`trainer.services.io_import`): a study session in another process keeps answering while it
runs, and a SIGKILL at any moment of it leaves the collection with every card of the file or
none of them.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, TEST_ZONE, write_deck
from trainer.collection import open_collection

pytestmark = pytest.mark.slow  # real processes: scripts/check -m 'not slow' skips them
ROOT = Path(__file__).resolve().parents[2]
BIG = 20_000
MAX_WAIT_S = 1.0

STUDENT = """
import json, os, sys, time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from trainer.collection import open_collection

target, base, stop = sys.argv[1], datetime.fromisoformat(sys.argv[2]), sys.argv[3]
col = open_collection(target, zone=ZoneInfo("Europe/Paris"), install_bundled=False, clock=lambda: base)
step = 0
while not os.path.exists(stop):
    step += 1
    now = base + timedelta(minutes=11 * step)
    study = col.next_card("Shared", now=now)
    if study is None:
        base += timedelta(days=1)
        continue
    began = time.time()
    col.study.answer(study.card.id, 3, now)  # the answer's transaction (this fast clock would make
    # every 50th col.answer take an automatic backup, due each 30 minutes of study)
    print(json.dumps([began, time.time() - began]), flush=True)
    if step == 10:
        print("ready", flush=True)
    time.sleep(0.01)
col.close()
"""

IMPORTER = """
import sys
from datetime import datetime
from zoneinfo import ZoneInfo
from trainer.collection import open_collection

target, base = sys.argv[1], datetime.fromisoformat(sys.argv[2])
col = open_collection(target, zone=ZoneInfo("Europe/Paris"), install_bundled=False, clock=lambda: base)
print("ready", flush=True)
for path in sys.argv[3:]:
    report = col.import_file(path)
    print("imported", path, len(report.added), flush=True)
"""


def deck(ident: str, name: str, n: int) -> str:
    cards = "\n".join(
        f'[[cards]]\nid = "c{i}"\nfront = "{name} {i}?"\nback = "Answer {i}"\ntags = ["t{i % 7}"]\n'
        for i in range(n)
    )
    return f'[deck]\nid = "{ident}"\nname = "{name}"\n\n{cards}'


def spawn(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_a_study_session_never_waits_a_second_for_a_large_import(tmp_path: Path) -> None:
    target = tmp_path / "col.sqlite3"
    big = write_deck(tmp_path / "big.toml", deck("big", "Big", BIG))
    with open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([write_deck(tmp_path / "shared.toml", deck("shared", "Shared", 300))])
        col.import_file(
            write_deck(tmp_path / "seed.toml", deck("seed", "Seed", 10))
        )  # not empty: backup first
    stop = tmp_path / "stop"
    student = spawn(STUDENT, str(target), FIXED_NOW.isoformat(), str(stop))
    try:
        assert student.stdout is not None
        while student.stdout.readline().strip() != "ready":
            assert student.poll() is None, student.stderr.read() if student.stderr else ""
        began = time.time()
        with open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
            report = col.import_file(big)
        ended = time.time()
        time.sleep(0.5)
    finally:
        stop.touch()
    out, err = student.communicate(timeout=60)
    assert student.returncode == 0, err[-3000:]
    assert len(report.added) == BIG and report.backup is not None
    waits = [json.loads(line) for line in out.splitlines() if line.startswith("[")]
    during = [wait for at, wait in waits if began <= at + wait and at <= ended]
    print(f"import of {BIG} cards: {ended - began:.2f} s; {len(during)} answers meanwhile,", end=" ")
    print(f"max wait {max(during):.3f} s")
    assert len(during) >= 10  # the student kept answering through the import
    assert max(during) < MAX_WAIT_S


KILLS = 12


def test_imports_killed_at_random_moments_leave_all_or_nothing(tmp_path: Path) -> None:
    target = tmp_path / "col.sqlite3"
    with open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([write_deck(tmp_path / "shared.toml", deck("shared", "Shared", 50))])
    rng = random.Random(20261207)
    sizes = [1500 + 500 * (k % 4) for k in range(KILLS)]  # a backup first from 1,000 cards on
    files = [write_deck(tmp_path / f"k{k}.toml", deck(f"k{k}", f"Kill {k}", n)) for k, n in enumerate(sizes)]
    outcomes: dict[str, int] = {"whole": 0, "none": 0}
    for k, path in enumerate(files):
        importer = spawn(IMPORTER, str(target), FIXED_NOW.isoformat(), str(path))
        assert importer.stdout is not None
        assert importer.stdout.readline().strip() == "ready", (
            importer.stderr.read() if importer.stderr else ""
        )
        time.sleep(rng.uniform(0.0, 2.5))
        importer.send_signal(signal.SIGKILL)
        out, _err = importer.communicate(timeout=60)
        # trainer opens the killed collection first and closes it last (the -wal it finds is whole)
        with open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
            assert col.maintenance.startup_warnings() == []
            conn = sqlite3.connect(target)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                (stored,) = conn.execute(
                    "SELECT count(*) FROM cards c JOIN decks d ON d.id = c.deck_id WHERE d.name = ?",
                    (f"Kill {k}",),
                ).fetchone()
            finally:
                conn.close()
        assert stored in (0, sizes[k]), f"kill {k}: {stored} of {sizes[k]} cards"
        assert stored == sizes[k] or "imported" not in out
        outcomes["whole" if stored else "none"] += 1
    print(f"{KILLS} imports killed: {outcomes}")
    assert outcomes["none"] >= 1  # some kills landed before the commit
    with open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        assert [p.message for p in col.maintenance.check().problems] == []
        report = col.import_file(files[0])  # a later run imports the file whole
        assert len(report.added) + len(report.updated) + report.unchanged == sizes[0]
