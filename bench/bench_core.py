"""Core benchmark: trainer's hot operations against Anki's backend on the same synthetic data.

    python bench/bench_core.py --json OUT [--sizes 20000,100000] [--reviews 1000000] [--repeat 50]

Writes a list of {"op", "size", "trainer_ms", "anki_ms", "ratio"} rows (ratio = trainer/anki;
the memory rows hold megabytes, not milliseconds, and say so in "op"; rows ending "(CPU)"
hold the thread's CPU time instead of wall time).
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import anki_side
import synthetic

from trainer.collection import open_collection
from trainer.core.scheduling import Rating

Row = dict[str, Any]


def median_ms(samples: list[float]) -> float:
    """Median of samples in seconds, as milliseconds."""
    return round(statistics.median(samples) * 1000, 3)


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of `repeat` calls (after one warm-up)."""
    fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def row(op: str, size: int, trainer_ms: float | None, anki_ms: float | None) -> Row:
    """One result row."""
    ratio = round(trainer_ms / anki_ms, 2) if trainer_ms is not None and anki_ms else None
    return {"op": op, "size": size, "trainer_ms": trainer_ms, "anki_ms": anki_ms, "ratio": ratio}


OPS = ("deck counts", "next card + 4 previews", "answer", "undo")


class _TrainerSide:
    """The study cycle's four operations on trainer."""

    def __init__(self, path: Path) -> None:
        self.col = open_collection(path, install_bundled=False)
        self.card_id = 0

    def steps(self) -> tuple[Callable[[], object], ...]:
        return (self.col.decks, self.next_card, self.answer, self.col.undo)

    def next_card(self) -> None:
        study = self.col.next_card()
        assert study is not None
        self.card_id = study.card.id

    def answer(self) -> None:
        self.col.answer(self.card_id, Rating.GOOD, duration_ms=5000)

    def close(self) -> None:
        self.col.close()


class _AnkiSide:
    """The same cycle through Anki's backend."""

    def __init__(self, path: Path) -> None:
        self.ops = anki_side.AnkiOps(path)

    def steps(self) -> tuple[Callable[[], object], ...]:
        return (self.ops.deck_counts, self.ops.next_card, self.ops.answer, self.ops.undo)

    def close(self) -> None:
        self.ops.close()


def study_cycles(
    t_path: Path, a_path: Path, repeat: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """deck counts -> next card (with previews) -> answer Good -> undo, `repeat` times on each side,
    the two sides interleaved cycle by cycle so both meet the same load on a shared machine.

    Each operation is timed in wall time and in the thread's CPU time (`time.thread_time`,
    which counts Anki's Rust backend too: it runs in the calling thread); the CPU time is
    the steadier figure when other processes compete for the cores.
    """
    sides: tuple[_TrainerSide | _AnkiSide, ...] = (_TrainerSide(t_path), _AnkiSide(a_path))
    out: tuple[dict[str, list[float]], dict[str, list[float]]] = ({}, {})
    try:
        for first in sides:
            first.steps()[0]()
        for _ in range(repeat):
            for each, times in zip(sides, out, strict=True):
                for op, step in zip(OPS, each.steps(), strict=True):
                    c0, w0 = time.thread_time(), time.perf_counter()
                    step()
                    w1, c1 = time.perf_counter(), time.thread_time()
                    times.setdefault(op, []).append(w1 - w0)
                    times.setdefault(op + " (CPU)", []).append(c1 - c0)
    finally:
        for opened in sides:
            opened.close()
    return out


MEMORY_SCRIPT = """
import resource, sys
sys.path.insert(0, {bench!r}); sys.path.insert(0, {root!r})
if {side!r} == "trainer":
    from trainer.collection import open_collection
    col = open_collection({path!r}, install_bundled=False)
    col.decks(); s = col.next_card(); col.answer(s.card.id, 3); col.undo()
else:
    import anki_side
    ops = anki_side.AnkiOps(__import__("pathlib").Path({path!r}))
    ops.deck_counts(); ops.next_card(); ops.answer(); ops.undo()
# VmHWM belongs to this process's memory map; ru_maxrss would include the parent's peak
# (Linux keeps it across fork + exec).
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")]
print(int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def peak_mb(side: str, path: Path) -> float:
    """Peak RSS (MB) of a fresh process that opens the collection and studies one card."""
    code = MEMORY_SCRIPT.format(
        bench=str(Path(__file__).resolve().parent),
        root=str(Path(__file__).resolve().parents[1]),
        side=side,
        path=str(path),
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def deck_file(n: int, folder: Path) -> Path:
    """A native deck file with `n` basic cards."""
    lines = ['[deck]\nid = "bench.load"\nname = "Bench load"\n']
    for i in range(n):
        lines.append(f'[[cards]]\nid = "c{i}"\nfront = "Question number {i}?"\nback = "Answer {i}."\n')
    path = folder / "bench-load.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def bench_load(folder: Path, repeat: int) -> float:
    """Median seconds to load a 20,000-card deck file into a fresh collection."""
    source = deck_file(20_000, folder)
    samples = []
    for i in range(repeat):
        col = open_collection(folder / f"load-{i}.sqlite3", install_bundled=False)
        start = time.perf_counter()
        col.load([source])
        samples.append(time.perf_counter() - start)
        col.close()
    return statistics.median(samples)


def run_size(size: int, reviews: int, folder: Path, repeat: int, log: Callable[[str], None]) -> list[Row]:
    """Build both collections of `size` cards and time every operation."""
    plan = synthetic.plan(size, reviews, synthetic.default_now())
    t_path, a_path = folder / f"trainer-{size}.sqlite3", folder / f"anki-{size}.anki2"
    start = time.perf_counter()
    synthetic.build_trainer(plan, t_path)
    log(f"  built trainer collection of {size} cards in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    anki_side.build_anki(plan, a_path)
    log(f"  built Anki collection of {size} cards in {time.perf_counter() - start:.1f} s")
    del plan
    gc.collect()
    rows: list[Row] = []
    open_t = timed(lambda: open_collection(t_path, install_bundled=False).close(), max(5, repeat // 4))
    open_a = timed(lambda: anki_side.open_close(a_path), max(5, repeat // 4))
    rows.append(row("open + close", size, median_ms(open_t), median_ms(open_a)))
    trainer_times, anki_times = study_cycles(t_path, a_path, repeat)
    for op in trainer_times:
        rows.append(row(op, size, median_ms(trainer_times[op]), median_ms(anki_times[op])))
    rows.append(row("peak memory MB (open, counts, one answer)", size, peak_mb("trainer", t_path),
                    peak_mb("anki", a_path)))  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the core benchmark and write JSON rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", dest="out", type=Path, required=True)
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--work", type=Path, default=None, help="Folder for the collections (default: temp).")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="trainer-bench-") as tmp:
        folder = args.work or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows: list[Row] = []
        for size in (int(s) for s in args.sizes.split(",")):
            log(f"size {size}:")
            rows.extend(run_size(size, args.reviews, folder, args.repeat, log))
            for stale in folder.glob(f"*-{size}.*"):
                if stale.is_dir():
                    shutil.rmtree(stale)
                else:
                    stale.unlink()
        load_s = bench_load(folder, 5)
        rows.append(row("load 20,000-card deck file", 20_000, round(load_s * 1000, 1), None))
    args.out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
