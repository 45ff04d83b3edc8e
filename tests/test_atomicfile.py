"""Atomic writes: trainer's own stale partial files beside an export's target are cleaned (issue 19)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import FIXED_NOW, TEST_ZONE, write_deck
from trainer.atomicfile import STALE_PART_S, clean_stale_parts, temp_name
from trainer.collection import open_collection

ROOT = Path(__file__).resolve().parents[1]


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


def _age(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_only_trainers_own_old_partial_files_of_gone_processes_are_removed(tmp_path: Path) -> None:
    dead, me = _dead_pid(), os.getpid()
    gone = [
        tmp_path / f".deck.apkg.trainer-{dead}.k2j3h4l5.part",
        tmp_path / f".cards.csv.trainer-{dead}.ab_12cd.part",
    ]
    kept = [
        tmp_path / f".deck.apkg.trainer-{me}.k2j3h4l5.part",  # being written right now
        tmp_path / f".deck.apkg.{dead}.k2j3h4l5.part",  # no mark: not provably trainer's
        tmp_path / f"deck.apkg.trainer-{dead}.k2j3h4l5.part",  # not a hidden temporary name
        tmp_path / "deck.apkg.part",  # a browser's download
        tmp_path / "deck.apkg",
    ]
    recent = tmp_path / f".new.apkg.trainer-{dead}.zz9yy8xx.part"  # a gone process, but just now
    for path in [*gone, *kept, recent]:
        path.write_bytes(b"PK partial")
        _age(path, STALE_PART_S + 60)
    _age(recent, 5)
    assert sorted(clean_stale_parts(tmp_path)) == sorted(gone)
    assert all(p.exists() for p in [*kept, recent]) and not any(p.exists() for p in gone)


def test_temporary_names_carry_the_mark_and_the_process(tmp_path: Path) -> None:
    name = temp_name(tmp_path / "deck.apkg").name
    assert name.startswith(f".deck.apkg.trainer-{os.getpid()}.") and name.endswith(".part")


KILL_EXPORT = """
import os, signal, sys, zipfile
from datetime import datetime
from trainer.collection import open_collection

real = zipfile.ZipFile.writestr
def dies(self, *args, **kwargs):  # killed while the package is half written
    real(self, *args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
zipfile.ZipFile.writestr = dies
col = open_collection(sys.argv[1], install_bundled=False, clock=lambda: datetime.fromisoformat(sys.argv[3]))
col.export_file(sys.argv[2])
"""


def test_a_killed_exports_partial_file_is_removed_by_a_later_export_to_that_folder(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.load(
            [
                write_deck(
                    tmp_path / "d.toml",
                    '[deck]\nid = "d"\nname = "D"\n\n[[cards]]\nid = "a"\nfront = "Q"\nback = "A"\n',
                )
            ]
        )
    out = tmp_path / "exports"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", KILL_EXPORT, str(path), str(out / "deck.apkg"), FIXED_NOW.isoformat()],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    left = [p for p in out.iterdir() if p.name.endswith(".part")]
    assert len(left) == 1 and ".deck.apkg.trainer-" in left[0].name  # the kill left it
    with open_collection(path, clock=lambda: FIXED_NOW, zone=TEST_ZONE, install_bundled=False) as col:
        col.export_file(out / "other.apkg")
        assert left[0].exists()  # too recent to be sure of: kept
        _age(left[0], STALE_PART_S + 1)
        col.export_file(out / "other.csv")
    assert sorted(p.name for p in out.iterdir()) == ["other.apkg", "other.csv"]
