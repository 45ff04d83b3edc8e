"""Crash safety: review processes killed with SIGKILL at random moments lose nothing reported.

Workers answer (and now and then undo) in a loop through the public API, printing each
committed answer; the test kills them at random moments (30+ times), then checks the
file's integrity, that every reported answer is in the log, that every card agrees with
its last log row, and that a fresh process carries on.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import text

from tests.conftest import FIXED_NOW, TEST_ZONE, write_deck
from trainer.collection import open_collection

pytestmark = pytest.mark.slow  # real processes: scripts/check -m 'not slow' skips them
ROOT = Path(__file__).resolve().parents[2]
KILLS = 32
LANES = 2

WORKER = """
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from trainer.collection import open_collection

path, base, limit = sys.argv[1], datetime.fromisoformat(sys.argv[2]), int(sys.argv[3])
state = {"extra": timedelta(0)}
col = open_collection(path, zone=ZoneInfo("Europe/Paris"), install_bundled=False, clock=lambda: base)
start = col.db.engine.connect().exec_driver_sql("SELECT count(*) FROM reviews").scalar()

def now(n):
    return base + timedelta(minutes=7 * (start + n)) + state["extra"]

print("ready", flush=True)
n = 0
while limit < 0 or n < limit:
    n += 1
    study = col.next_card(now=now(n))
    if study is None:
        state["extra"] += timedelta(days=1)
        continue
    if n % 7 == 0:
        print("undoing", flush=True)
        undone = col.undo(now=now(n))
        print("undone", undone.card_id if undone else 0, flush=True)
        continue
    try:
        result = col.answer(study.card.id, 1 + n % 4, duration_ms=1000, now=now(n))
    except ValueError:  # the other lane made it a leech (suspended) since it was shown
        print("skipped", flush=True)
        continue
    print("done", result.review_id, result.card_id, flush=True)
"""


def deck_text(n: int) -> str:
    cards = "\n".join(f'[[cards]]\nid = "c{i}"\nfront = "Q{i}?"\nback = "A{i}"\n' for i in range(n))
    return f'[deck]\nid = "crash"\nname = "Crash"\n\n{cards}'


def start_worker(path: Path, limit: int = -1, base: datetime = FIXED_NOW) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(path), base.isoformat(), str(limit)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def read_all(stream: IO[str], into: list[str]) -> None:
    """Collect a worker's output until it dies, then close the pipe."""
    into.extend(stream)
    stream.close()


class Lane:
    """Starts workers one after another and kills each at a random moment."""

    def __init__(self, path: Path, rng: random.Random, kills: int) -> None:
        self.path, self.rng, self.kills = path, rng, kills
        self.done: dict[int, int] = {}  # review id -> card id, reported committed
        self.uncertain_undos = 0
        self.undone = 0
        self.errors: list[str] = []

    def run(self) -> None:
        for _ in range(self.kills):
            proc = start_worker(self.path)
            try:
                self._kill_once(proc)
            finally:  # a failed round must not leak its pipes
                for stream in (proc.stdout, proc.stderr):
                    if stream is not None and not stream.closed:
                        stream.close()

    def _kill_once(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            proc.kill()
            _out, err = proc.communicate()
            self.errors.append(err)
            return
        lines: list[str] = []
        reader = threading.Thread(target=read_all, args=(proc.stdout, lines))
        reader.start()
        time.sleep(self.rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join()
        if proc.returncode != -signal.SIGKILL:
            err = proc.stderr.read() if proc.stderr is not None else ""
            self.errors.append(f"worker ended by itself ({proc.returncode}): {err[-2000:]}")
        pending_undo = False
        for line in lines:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "done" and line.endswith("\n"):  # a whole line
                self.done[int(parts[1])] = int(parts[2])
            elif parts[:1] == ["undoing"]:
                pending_undo = True
            elif parts[:1] == ["undone"]:
                pending_undo = False
                self.undone += 1
        self.uncertain_undos += pending_undo


def test_sigkilled_review_processes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    col = open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False)
    col.load([write_deck(tmp_path / "crash.toml", deck_text(60))])
    col.close()

    rng = random.Random(20260302)
    lanes = [Lane(path, random.Random(rng.random()), KILLS // LANES) for _ in range(LANES)]
    threads = [threading.Thread(target=lane.run) for lane in lanes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [e for lane in lanes for e in lane.errors] == []
    assert sum(lane.kills for lane in lanes) >= 30

    # trainer opens the crashed collection first: it finds the -wal in place (nothing lost) and
    # forgets the killed sessions; a plain SQLite connection closing last could not tell it that.
    col = open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False)
    assert col.maintenance.startup_warnings() == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    logged = dict(conn.execute("SELECT id, card_id FROM reviews").fetchall())
    conn.close()
    reported = {k: v for lane in lanes for k, v in lane.done.items()}
    assert len(reported) > 30, "the workers should have answered between kills"
    # Undo removes the newest answer (and SQLite may reuse its id for a later one), so a
    # reported answer may be absent from the log only when an undo took it back.
    missing = {rid for rid, card in reported.items() if logged.get(rid) != card}
    undos = sum(lane.undone + lane.uncertain_undos for lane in lanes)
    assert len(missing) <= undos
    assert len(reported) - len(missing) > 30

    try:
        report = col.maintenance.check()
        assert [(p.code, p.message) for p in report.problems] == []
    finally:
        col.close()

    # The lanes' clocks jump a day whenever nothing is due, so the schedule may now lie
    # months ahead of FIXED_NOW: the fresh process starts when the last card is due.
    conn = sqlite3.connect(path)
    last_due = conn.execute("SELECT max(due) FROM cards WHERE queue >= 0").fetchone()[0]
    conn.close()
    base = max(FIXED_NOW, datetime.fromtimestamp(last_due / 1000, tz=UTC)) if last_due else FIXED_NOW
    fresh = start_worker(path, limit=40, base=base)
    out, err = fresh.communicate(timeout=60)
    assert fresh.returncode == 0, err
    assert out.count("done") >= 5


# -- issue 19: every file written atomically; recovery that works when it is needed ------------

KILL_AT_WRITE = """
import builtins, io, os, signal, sys
from datetime import datetime
from pathlib import Path
from trainer.collection import open_collection

path, target, fmt = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
real_open = io.open


class Killing:
    # A file whose first write lands half its bytes and then SIGKILLs the process.
    def __init__(self, handle):
        self._handle = handle

    def write(self, data):
        self._handle.write(data[: max(1, len(data) // 2)])
        self._handle.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()

    def __getattr__(self, name):
        return getattr(self._handle, name)


def killing_open(file, mode="r", *args, **kwargs):
    handle = real_open(file, mode, *args, **kwargs)
    inside = isinstance(file, (str, os.PathLike)) and Path(file).parent == target.parent
    return Killing(handle) if inside and any(m in mode for m in "wax+") else handle


col = open_collection(path, install_bundled=False, clock=lambda: datetime.fromisoformat(sys.argv[4]))
builtins.open = io.open = killing_open
col.export_file(target, fmt=fmt)
print("not killed", flush=True)
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize("fmt", ["csv", "tsv", "toml", "json", "apkg"])
def test_an_export_killed_while_writing_leaves_the_previous_file_whole(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "c.sqlite3"
    with open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([write_deck(tmp_path / "crash.toml", deck_text(40))])
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"cards.{fmt}"
    with open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.export_file(target, fmt=fmt)
    before = target.read_bytes()
    assert len(before) > 100
    done = _run(KILL_AT_WRITE, str(path), str(target), fmt, FIXED_NOW.isoformat())
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    assert target.read_bytes() == before  # the previous export, whole
    assert [p.name for p in out.iterdir() if p.name.startswith("cards.")] == [target.name]


class DiskFull:
    """A file whose writes land half their bytes, then fail as a full disk does."""

    def __init__(self, handle: IO[Any]) -> None:
        self._handle = handle

    def write(self, data: Any) -> int:
        self._handle.write(data[: max(1, len(data) // 2)])
        self._handle.flush()
        raise OSError(28, "No space left on device")

    def __enter__(self) -> DiskFull:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


@pytest.mark.parametrize("fmt", ["csv", "toml", "json", "apkg"])
def test_an_export_on_a_full_disk_leaves_the_previous_file_and_no_fragment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    import builtins
    import io

    path = tmp_path / "c.sqlite3"
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"cards.{fmt}"
    target.write_bytes(b"previous export\n")
    real_open = io.open

    def full_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        inside = isinstance(file, str | os.PathLike) and Path(file).parent == out
        return DiskFull(handle) if inside and any(m in mode for m in "wax+") else handle

    with open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([write_deck(tmp_path / "crash.toml", deck_text(5))])
        monkeypatch.setattr(builtins, "open", full_open)
        monkeypatch.setattr(io, "open", full_open)
        with pytest.raises(OSError, match="No space left"):
            col.export_file(target, fmt=fmt)
        monkeypatch.undo()
    assert target.read_bytes() == b"previous export\n"
    assert [p.name for p in out.iterdir()] == [target.name]


ANSWER_THEN_DIE = """
import os, signal, sys
from datetime import datetime, timedelta
from trainer.collection import open_collection

path, base, n = sys.argv[1], datetime.fromisoformat(sys.argv[2]), int(sys.argv[3])
col = open_collection(path, install_bundled=False, clock=lambda: base)
for i in range(n):
    now = base + timedelta(minutes=10 * i)  # learning cards come back: no daily limit in the way
    study = col.next_card(now=now)
    col.answer(study.card.id, 1, now=now)
print("answered", n, flush=True)
if sys.argv[4] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
col.close()
"""


def _reviews(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    finally:
        conn.close()


def _crashed_collection(tmp_path: Path, how: str) -> Path:
    path = tmp_path / "live" / "collection.sqlite3"
    path.parent.mkdir()
    with open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.load([write_deck(tmp_path / "crash.toml", deck_text(60))])
    done = _run(ANSWER_THEN_DIE, str(path), FIXED_NOW.isoformat(), "43", how)
    assert "answered 43" in done.stdout, done.stderr[-2000:]
    return path


@pytest.mark.parametrize("loss", ["copied without its -wal", "-wal deleted"])
def test_a_collection_that_lost_its_wal_after_a_crash_says_so(tmp_path: Path, loss: str) -> None:
    path = _crashed_collection(tmp_path, "kill")
    assert Path(f"{path}-wal").stat().st_size > 0  # the 43 answers are in the -wal
    if loss == "-wal deleted":
        target = path
        Path(f"{path}-wal").unlink()
        Path(f"{path}-shm").unlink(missing_ok=True)
    else:
        target = tmp_path / "copy" / "collection.sqlite3"
        target.parent.mkdir()
        target.write_bytes(path.read_bytes())
    with open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        assert _reviews(target) < 43  # the answers are gone ...
        warnings = col.maintenance.startup_warnings()
        assert len(warnings) == 1 and "may be lost" in warnings[0]  # ... and it is said
        assert "no collection.sqlite3-wal lies beside it" in warnings[0]
        problems = col.maintenance.check().problems
        assert [p.code for p in problems] == ["wal"]
        assert [p.repaired for p in col.maintenance.check(repair=True).problems] == [True]
        assert col.maintenance.check().problems == []  # acknowledged
    with open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        assert col.maintenance.startup_warnings() == []  # said once, kept by check until acknowledged


def test_a_crash_with_the_wal_in_place_or_a_clean_close_raise_no_alarm(tmp_path: Path) -> None:
    path = _crashed_collection(tmp_path, "kill")
    with open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        assert col.maintenance.startup_warnings() == []
        assert _reviews(path) == 43
    assert not Path(f"{path}-wal").exists()  # closed cleanly: everything is in the main file
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(path.read_bytes())
    with open_collection(copy, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        assert col.maintenance.startup_warnings() == []
        assert _reviews(copy) == 43
        assert col.maintenance.check().problems == []


def test_the_cli_warns_about_a_lost_wal(tmp_path: Path) -> None:
    path = _crashed_collection(tmp_path, "kill")
    Path(f"{path}-wal").unlink()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRAINER_NOW": FIXED_NOW.isoformat()}
    done = subprocess.run(
        [sys.executable, "-m", "trainer", "--db", str(path), "decks"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0
    assert "trainer: warning:" in done.stderr and "may be lost" in done.stderr


def test_leftovers_of_killed_writers_are_cleaned_on_start(tmp_path: Path) -> None:
    import tempfile
    import time

    from trainer.store.leftovers import clean_leftovers

    path = tmp_path / "col.sqlite3"
    open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False).close()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)  # a process that has ended
    me = os.getpid()
    backups, media, temp = tmp_path / "backups", tmp_path / "media", tmp_path / "tmp"
    for folder in (backups, media, temp):
        folder.mkdir(exist_ok=True)
    gone = [
        backups / f"col-20260302-120000-auto.sqlite3.{pid}.partial",
        backups / f"col-20260302-120000-auto.sqlite3.{pid}.partial-journal",
        backups / "col-20200302-120000-auto.sqlite3.partial",  # an old one without a process id
        tmp_path / f".col.sqlite3.{pid}.abc123.part",
        tmp_path / f".col.sqlite3.{pid}.abc123.part-journal",
        media / f".pic.png.{pid}.xyz.part",
        temp / f"trainer-import-{pid}-q1w2e3",
        temp / f"trainer-export-{pid}-r4t5y6",
    ]
    kept = [
        backups / f"col-20260302-120000-auto.sqlite3.{me}.partial",  # being written right now
        tmp_path / f".col.sqlite3.{me}.abc123.part",
        temp / f"trainer-import-{me}-a1s2d3",
        backups / "col-20260302-120000-auto.sqlite3.partial",  # recent, without a process id
        backups / "notes.partial.txt",
        media / "pic.png",
        temp / "trainer-importer",
    ]
    for item in gone + kept:
        if item.parent == temp and item.name.startswith("trainer-"):
            item.mkdir()
            (item / "collection.anki21").write_bytes(b"x" * 100)
        else:
            item.write_bytes(b"x")
    old = time.time() - 3 * 24 * 3600
    os.utime(backups / "col-20200302-120000-auto.sqlite3.partial", (old, old))
    removed = clean_leftovers(path, temp_root=temp)
    assert sorted(removed) == sorted(gone)
    assert all(p.exists() for p in kept) and not any(p.exists() for p in gone)
    assert Path(tempfile.gettempdir()).is_dir()


def test_opening_a_collection_cleans_leftovers(tmp_path: Path) -> None:
    path = tmp_path / "col.sqlite3"
    open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False).close()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    partial = tmp_path / "backups" / f"col-20260302-120000-auto.sqlite3.{int(dead.stdout)}.partial"
    partial.parent.mkdir()
    partial.write_bytes(b"x" * 4096)
    open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False).close()
    assert not partial.exists()


def test_optimize_saves_parameters_and_memory_states_together_or_not_at_all(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.core.scheduling import DEFAULT_PARAMETERS, stored_memory
    from trainer.services import optimize

    col = open_collection(
        tmp_path / "c.sqlite3", clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False
    )
    try:
        col.optimizer.import_review_log(shared_data / "review-log-josh.csv")
        with col.db.read() as session:
            before = session.execute(text("SELECT id, stability, difficulty FROM cards ORDER BY id")).all()
        real, calls = stored_memory, []

        def dies_midway(stability: float, difficulty: float) -> tuple[float, float]:
            calls.append(1)
            if len(calls) > 600:  # half of the cards' new states computed: the process dies here
                raise KeyboardInterrupt
            return real(stability, difficulty)

        monkeypatch.setattr(optimize, "stored_memory", dies_midway)
        with pytest.raises(KeyboardInterrupt):
            col.optimizer.optimize(now=FIXED_NOW)
        monkeypatch.undo()
        assert col.presets.get("Default").preset.parameters == DEFAULT_PARAMETERS  # no new parameters ...
        with col.db.read() as session:  # ... and no new memory states
            assert (
                session.execute(text("SELECT id, stability, difficulty FROM cards ORDER BY id")).all()
                == before
            )
        result = col.optimizer.optimize(now=FIXED_NOW)
        assert result.saved and col.presets.get("Default").preset.parameters == pytest.approx(result.new)
    finally:
        col.close()


def _pictured(key: str, picture: str) -> Any:
    from trainer.core.cards import CardContent, CardKind
    from trainer.formats.model import CardRecord

    content = CardContent(kind=CardKind.BASIC, front=f"{key}? [image: {picture}]", back="a", media=(picture,))
    return CardRecord(f"t/{key}", "Deck", content)


def test_a_second_package_with_the_same_media_name_does_not_replace_the_first(
    tmp_path: Path,
) -> None:
    from trainer.formats.model import Package
    from trainer.services import io

    with open_collection(
        tmp_path / "c.sqlite3", clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False
    ) as col:
        first = io.import_package(
            col.db, Package(cards=[_pictured("one", "pic.png")], media={"pic.png": b"FIRST"}), "1", FIXED_NOW
        )
        second = io.import_package(
            col.db, Package(cards=[_pictured("two", "pic.png")], media={"pic.png": b"SECOND"}), "2", FIXED_NOW
        )
        again = io.import_package(
            col.db, Package(cards=[_pictured("two", "pic.png")], media={"pic.png": b"SECOND"}), "2", FIXED_NOW
        )
        folder = io.media_dir(col.db)
        assert folder is not None
        shown = {c.content.front: c.content.media for c in col.search("")}
    import hashlib

    stored = f"pic-{hashlib.sha1(b'SECOND').hexdigest()}.png"
    assert first.media == ["pic.png"] and second.media == [stored] and again.media == [stored]
    assert (folder / "pic.png").read_bytes() == b"FIRST"  # the first package's picture is intact
    assert (folder / stored).read_bytes() == b"SECOND"
    assert shown == {"one? [image: pic.png]": ("pic.png",), f"two? [image: {stored}]": (stored,)}
    assert again.unchanged == 1


@pytest.mark.parametrize("failure", ["media write", "commit"])
def test_an_import_whose_media_or_commit_fails_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    from trainer.formats.model import Package
    from trainer.services import io, media_stage

    col = open_collection(
        tmp_path / "c.sqlite3", clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False
    )
    try:
        package = Package(
            cards=[_pictured(str(i), f"p{i}.png") for i in range(5)],
            media={f"p{i}.png": b"x" * (i + 1) for i in range(5)},
        )
        if failure == "media write":
            calls: list[int] = []
            real_write = Path.write_bytes

            def full(self: Path, data: bytes) -> int:
                calls.append(1)
                if len(calls) == 3:
                    raise OSError(28, "No space left on device")
                return real_write(self, data)

            monkeypatch.setattr(Path, "write_bytes", full)
        else:
            real_place = media_stage.StagedMedia.place

            def place_then_fail(self: Any) -> None:
                real_place(self)
                raise OSError(5, "disk I/O error at commit")

            monkeypatch.setattr(media_stage.StagedMedia, "place", place_then_fail)
        with pytest.raises(OSError):
            io.import_package(col.db, package, "f", FIXED_NOW)
        monkeypatch.undo()
        assert col.search("") == []  # no card added
        folder = io.media_dir(col.db)
        assert folder is None or not folder.exists() or list(folder.iterdir()) == []  # no media, no temp
    finally:
        col.close()


def test_a_crashed_collection_closed_last_by_another_program_raises_no_false_alarm(tmp_path: Path) -> None:
    path = _crashed_collection(tmp_path, "kill")
    assert Path(f"{path}-wal").stat().st_size > 0  # the 43 answers are in the -wal
    other = sqlite3.connect(path)  # sqlite3, a backup tool, a sync program: not trainer
    assert other.execute("SELECT count(*) FROM reviews").fetchone() == (43,)
    other.close()  # the last connection: the -wal goes into the file and is removed
    assert not Path(f"{path}-wal").exists()
    with open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        assert col.maintenance.startup_warnings() == []  # the file is whole: nothing to say
        assert _reviews(path) == 43
        assert col.maintenance.check().problems == []


def test_a_wal_lost_after_another_program_read_the_file_is_still_reported(tmp_path: Path) -> None:
    path = _crashed_collection(tmp_path, "kill")
    wal = Path(f"{path}-wal").read_bytes()
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    target = copy / path.name
    target.write_bytes(path.read_bytes())  # the file without its -wal, beside its lock file's note
    Path(f"{target}.trainer-lock").write_bytes(Path(f"{path}.trainer-lock").read_bytes())
    assert wal
    with open_collection(target, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        warnings = col.maintenance.startup_warnings()
        assert len(warnings) == 1 and "may be lost" in warnings[0]
