"""Concurrency: processes answering and loading one collection at once.

Writes wait their turn (`BEGIN IMMEDIATE` with a 30 s busy timeout): no "database is
locked" reaches anyone, and no answer is lost (each card's `reps` equals its log rows).
Runs on SQLite, and on PostgreSQL too when TRAINER_TEST_PG_URL is set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import FIXED_NOW, TEST_ZONE, write_deck
from trainer.collection import open_collection

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
        assert [p.message for p in col.check().problems] == []
        assert {d.name: d.total for d in col.decks()}["Extra"] == 300
    finally:
        col.close()
