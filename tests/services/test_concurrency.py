"""Concurrency: processes answering and loading one collection at once.

Writes wait their turn (`BEGIN IMMEDIATE` with a 30 s busy timeout): no "database is
locked" reaches anyone, and no answer is lost (each card's `reps` equals its log rows).
Runs on SQLite, and on PostgreSQL too when TRAINER_TEST_PG_URL is set.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import FIXED_NOW, TEST_ZONE, write_deck
from trainer.collection import open_collection

pytestmark = pytest.mark.slow  # real processes: scripts/check -m 'not slow' skips them
ROOT = Path(__file__).resolve().parents[2]
ANSWERS = 25

STUDENT = """
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from trainer.collection import open_collection

target, base, n, me = sys.argv[1], datetime.fromisoformat(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
col = open_collection(target, zone=ZoneInfo("Europe/Paris"), install_bundled=False, clock=lambda: base)
done = 0
step = 0
while done < n:
    step += 1
    now = base + timedelta(minutes=11 * step + me)
    try:
        study = col.next_card("Shared", now=now)
    except LookupError:  # the loader has not loaded the deck yet
        time.sleep(0.05)
        continue
    if study is None:
        base += timedelta(days=1)
        continue
    col.answer(study.card.id, 1 + (step + me) % 4, now=now)
    done += 1
    print("done", study.card.id, flush=True)
col.close()
"""

LOADER = """
import sys
from datetime import datetime
from zoneinfo import ZoneInfo
from trainer.collection import open_collection

target, base, first, second = sys.argv[1], datetime.fromisoformat(sys.argv[2]), sys.argv[3], sys.argv[4]
col = open_collection(target, zone=ZoneInfo("Europe/Paris"), install_bundled=False, clock=lambda: base)
for i in range(12):
    col.load([first if i % 2 else second, sys.argv[5]])
    print("loaded", i, flush=True)
col.close()
"""


def deck(ident: str, name: str, n: int, suffix: str = "") -> str:
    cards = "\n".join(
        f'[[cards]]\nid = "c{i}"\nfront = "{name} {i}{suffix}?"\nback = "A{i}"\n' for i in range(n)
    )
    return f'[deck]\nid = "{ident}"\nname = "{name}"\n\n{cards}'


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite3")
    url = os.environ.get("TRAINER_TEST_PG_URL")
    if not url:
        pytest.skip("TRAINER_TEST_PG_URL is not set (.ci/postgres.sh starts a local server and sets it)")
    from tests.store.test_postgres import fresh_schema_url

    return fresh_schema_url(url, "concurrency")


def spawn(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_students_and_a_loader_at_once_lose_nothing(target: str, tmp_path: Path) -> None:
    shared = write_deck(tmp_path / "shared.toml", deck("shared", "Shared", 80))
    first = write_deck(tmp_path / "extra1.toml", deck("extra", "Extra", 300))
    second = write_deck(tmp_path / "extra2.toml", deck("extra", "Extra", 200, suffix=" changed"))
    # Every process opens the collection at once, even its creation is concurrent.
    procs = [spawn(STUDENT, target, FIXED_NOW.isoformat(), str(ANSWERS), str(me)) for me in range(3)]
    procs.append(spawn(LOADER, target, FIXED_NOW.isoformat(), str(first), str(second), str(shared)))
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert "locked" not in err.lower()
        assert proc.returncode == 0, err
    answered = sum(out.count("done") for out, _ in outputs[:3])
    assert answered == 3 * ANSWERS
    assert outputs[3][0].count("loaded") == 12

    col = open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False)
    try:
        with col.db.read() as session:
            logged = session.execute(text("SELECT count(*) FROM reviews")).scalar()
            lost = session.execute(
                text(
                    "SELECT c.id, c.reps, count(r.id) FROM cards c LEFT JOIN reviews r ON r.card_id = c.id"
                    " GROUP BY c.id, c.reps HAVING c.reps != count(r.id)"
                )
            ).all()
        assert logged == answered
        assert lost == []  # every answer built on the one before it
        assert [p.message for p in col.maintenance.check().problems] == []
        assert {d.name: d.total for d in col.decks()}["Extra"] == 300
    finally:
        col.close()


# -- issue 19: ten writers at once, bounded in time ---------------------------------------------

TIMED_STUDENT = """
import sys, time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from trainer.collection import open_collection

target, base = sys.argv[1], datetime.fromisoformat(sys.argv[2])
until, me = float(sys.argv[3]), int(sys.argv[4])
col = open_collection(target, zone=ZoneInfo("Europe/Paris"), install_bundled=False, clock=lambda: base)
step = 0
while time.time() < until:
    step += 1
    now = base + timedelta(minutes=11 * step + me)
    study = col.next_card("Shared", now=now)
    if study is None:
        base += timedelta(days=1)
        continue
    result = col.answer(study.card.id, 1 + (step + me) % 4, now=now)
    print("done", result.review_id, flush=True)
col.close()
"""

TIMED_LOADER = """
import sys, time
from datetime import datetime
from zoneinfo import ZoneInfo
from trainer.collection import open_collection

target, base, until = sys.argv[1], datetime.fromisoformat(sys.argv[2]), float(sys.argv[3])
col = open_collection(target, zone=ZoneInfo("Europe/Paris"), install_bundled=False, clock=lambda: base)
i = 0
while time.time() < until:
    col.load([sys.argv[4 + i % 2]])  # thousands of cards changed in one transaction
    i += 1
    print("loaded", i, flush=True)
col.close()
"""

TIMED_BACKUP = """
import sys, time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from trainer.collection import open_collection

target, base, until = sys.argv[1], datetime.fromisoformat(sys.argv[2]), float(sys.argv[3])
i = 0
while time.time() < until:
    i += 1
    zone = ZoneInfo("Europe/Paris")
    with open_collection(target, zone=zone, install_bundled=False, clock=lambda: base) as col:
        col.maintenance.backup(now=base + timedelta(seconds=i))
        col.maintenance.check()
    print("backed up", i, flush=True)
"""

TIMED_CLI = """
import json, os, subprocess, sys, time

target, now, until = sys.argv[1], sys.argv[2], float(sys.argv[3])
env = {**os.environ, "TRAINER_DB": target, "TRAINER_NOW": now}
while time.time() < until:
    shown = subprocess.run([sys.executable, "-m", "trainer", "next", "Shared", "--json"], env=env,
                           capture_output=True, text=True)
    if shown.returncode != 0:
        print(shown.stderr, file=sys.stderr, flush=True)
        sys.exit(1)
    card = (json.loads(shown.stdout) or {}).get("card")
    if not card:
        continue
    answered = subprocess.run([sys.executable, "-m", "trainer", "answer", str(card["id"]), "good", "--json"],
                              env=env, capture_output=True, text=True)
    if answered.returncode != 0:
        print(answered.stderr, file=sys.stderr, flush=True)
        sys.exit(1)
    print("done", json.loads(answered.stdout)["review_id"], flush=True)
"""

SECONDS = 20


def test_ten_writers_at_once_for_a_bounded_time_lose_nothing_and_never_lock(tmp_path: Path) -> None:
    import time

    target = str(tmp_path / "ten.sqlite3")
    shared = write_deck(tmp_path / "shared.toml", deck("shared", "Shared", 200))
    big = [
        write_deck(tmp_path / "big1.toml", deck("big", "Big", 4000)),
        write_deck(tmp_path / "big2.toml", deck("big", "Big", 4000, suffix=" changed")),
    ]
    with open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([shared, big[0]])
    until = str(time.time() + SECONDS)
    now = FIXED_NOW.isoformat()
    procs = [spawn(TIMED_STUDENT, target, now, until, str(me)) for me in range(6)]
    procs += [spawn(TIMED_LOADER, target, now, until, str(big[0]), str(big[1])) for _ in range(2)]
    procs.append(spawn(TIMED_BACKUP, target, now, until))
    procs.append(spawn(TIMED_CLI, target, now, until))
    outputs = [p.communicate(timeout=SECONDS + 150) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert "locked" not in err.lower()
        assert proc.returncode == 0, err[-3000:]
    printed = [
        int(line.split()[1]) for out, _ in outputs for line in out.splitlines() if line.startswith("done")
    ]
    loads = sum(out.count("loaded") for out, _ in outputs)
    backups = sum(out.count("backed up") for out, _ in outputs)
    print(f"ten writers, {SECONDS} s: {len(printed)} answers, {loads} loads, {backups} backups")
    assert len(printed) > 20 and loads >= 2 and backups >= 1
    conn = sqlite3.connect(target)
    try:
        logged = {r[0] for r in conn.execute("SELECT id FROM reviews")}
        lost = conn.execute(
            "SELECT c.id FROM cards c LEFT JOIN reviews r ON r.card_id = c.id"
            " GROUP BY c.id, c.reps HAVING c.reps != count(r.id)"
        ).fetchall()
    finally:
        conn.close()
    assert set(printed) <= logged and len(printed) == len(set(printed)) == len(logged)  # none lost
    assert lost == []


def test_a_cli_answer_behind_a_long_writer_waits_says_so_and_is_kept(tmp_path: Path) -> None:
    import fcntl
    import json
    import time

    target = tmp_path / "held.sqlite3"
    with open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([write_deck(tmp_path / "shared.toml", deck("shared", "Shared", 5))])
        study = col.next_card()
        assert study is not None
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TRAINER_DB": str(target),
        "TRAINER_NOW": FIXED_NOW.isoformat(),
    }
    holder = os.open(f"{target}.trainer-lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another trainer's long write (an import) holds the turn
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "trainer", "answer", str(study.card.id), "good", "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        time.sleep(4)
        assert proc.poll() is None  # still waiting, not failed
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "waiting for another trainer to finish" in err
    review = json.loads(out)["review_id"]
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT card_id FROM reviews WHERE id = ?", (review,)).fetchone() == (
            study.card.id,
        )
    finally:
        conn.close()
