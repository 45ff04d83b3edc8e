"""How long a study answer waits while a large import runs (issue 19).

A student process answers every 10 ms (the answer's own transaction, `col.study.answer`, so
that the fast simulated clock does not add an automatic backup every 50 answers); this process
imports a 20,000-note Anki package (built by Anki, a quarter of it reviewed) into the same
collection. Reports the import's time, the answers given meanwhile and their median and max
wait, over `--runs` runs.

python bench/bench_import_wait.py [--notes 20000] [--runs 3] [--package FILE.apkg]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from trainer.collection import open_collection  # noqa: E402

STUDENT = """
import json, os, sys, time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from trainer.collection import open_collection

target, stop = sys.argv[1], sys.argv[2]
base = datetime(2026, 3, 2, 12, tzinfo=ZoneInfo("UTC"))
col = open_collection(target, zone=ZoneInfo("UTC"), install_bundled=False, clock=lambda: base)
step = 0
while not os.path.exists(stop):
    step += 1
    now = base + timedelta(minutes=11 * step)
    study = col.next_card("Shared", now=now)
    if study is None:
        base += timedelta(days=1)
        continue
    began = time.time()
    col.study.answer(study.card.id, 3, now)
    print(json.dumps([began, time.time() - began]), flush=True)
    if step == 20:
        print("ready", flush=True)
    time.sleep(0.01)
col.close()
"""


def one_run(folder: Path, package: Path) -> tuple[float, int, float, float]:
    """(import seconds, answers meanwhile, median wait ms, max wait s)."""
    target = folder / "col.sqlite3"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    deck = '[deck]\nid = "shared"\nname = "Shared"\n\n' + "\n".join(
        f'[[cards]]\nid = "c{i}"\nfront = "Q{i}"\nback = "A{i}"\n' for i in range(300)
    )
    (folder / "shared.toml").write_text(deck, encoding="utf-8")
    base = datetime(2026, 3, 2, 12, tzinfo=UTC)
    with open_collection(target, zone=ZoneInfo("UTC"), install_bundled=False, clock=lambda: base) as col:
        col.load([folder / "shared.toml"])
    stop = folder / "stop"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", STUDENT, str(target), str(stop)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    while proc.stdout.readline().strip() != "ready":
        pass
    began = time.time()
    with open_collection(target, zone=ZoneInfo("UTC"), install_bundled=False, clock=lambda: base) as col:
        col.import_file(package)
    ended = time.time()
    time.sleep(0.3)
    stop.touch()
    out, _ = proc.communicate(timeout=120)
    waits = [json.loads(line) for line in out.splitlines() if line.startswith("[")]
    during = [w for at, w in waits if began <= at + w and at <= ended]
    return ended - began, len(during), statistics.median(during) * 1000, max(during)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--package", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-wait-"))
    try:
        package = args.package
        if package is None:
            from anki.collection import Collection as AnkiCollection
            from anki.collection import ExportAnkiPackageOptions
            from bench_io import build

            anki = AnkiCollection(str(build(folder, args.notes)))
            package = folder / "big.apkg"
            options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True)
            anki.export_anki_package(out_path=str(package), options=options, limit=None)
            anki.close()
        for run in range(args.runs):
            took, answers, median_ms, worst = one_run(folder / f"run{run}", package)
            print(f"run {run}: import {took:.2f} s, {answers} answers meanwhile,", end=" ")
            print(f"median wait {median_ms:.1f} ms, max {worst:.3f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
