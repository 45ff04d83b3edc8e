"""The review under another trainer's long write: it says it waits, stays responsive, keeps the answer."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import drive, only_kind, screen_text
from trainer.collection import Collection
from trainer.core.scheduling import Rating
from trainer.tui.app import Start, TrainerApp
from trainer.tui.screens.review import ReviewScreen

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)  # another trainer's import holds the write turn
print("holding", flush=True)
sys.stdin.readline()
"""


def test_a_rating_under_another_trainers_write_waits_says_so_and_is_kept(demo: Collection) -> None:
    card_id = only_kind(demo, "basic")
    path = demo.db.sqlite_path
    assert path is not None
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, f"{path}.trainer-lock"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("space")
        await pilot.press("3")
        await pilot.pause(0.5)
        assert screen.answering  # waiting, and the app still draws
        assert "Waiting for another trainer to finish" in " ".join(str(n.message) for n in app._notifications)
        assert demo.history(card_id) == []  # not written yet ...
        holder.communicate(input="\n", timeout=10)  # the other trainer finishes
        for _ in range(50):
            await pilot.pause(0.1)
            if not screen.answering:
                break
        assert not screen.answering
        assert [h.rating for h in demo.history(card_id)] == [Rating.GOOD]  # ... and then kept
        assert screen_text(app)

    try:
        drive(app, script)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.communicate()
    assert os.path.exists(f"{path}.trainer-lock")


FOREIGN = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")  # a program other than trainer (sqlite3, a sync tool) writes
conn.execute("CREATE TABLE IF NOT EXISTS other_program (x)")
print("holding", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def test_a_rating_under_another_programs_write_lock_waits_says_so_and_is_kept(
    demo: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.store import rawdb

    monkeypatch.setattr(rawdb, "BUSY_TIMEOUT_S", 0.3)  # give up quickly: the TUI must try again
    card_id = only_kind(demo, "basic")
    path = demo.db.sqlite_path
    assert path is not None
    holder = subprocess.Popen(
        [sys.executable, "-c", FOREIGN, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("space")
        await pilot.press("3")
        await pilot.pause(1.5)  # several attempts time out meanwhile
        assert screen.answering  # waiting, and the app still draws
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "Waiting for another program to finish" in messages
        assert "could not be saved" not in messages
        assert demo.history(card_id) == []  # not written yet ...
        holder.communicate(input="\n", timeout=10)  # the other program commits
        for _ in range(50):
            await pilot.pause(0.1)
            if not screen.answering:
                break
        assert not screen.answering
        assert [h.rating for h in demo.history(card_id)] == [Rating.GOOD]  # ... and then kept
        assert screen_text(app)

    try:
        drive(app, script)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.communicate()
