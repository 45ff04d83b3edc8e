"""The benchmark suite in one command: trainer against Anki's backend, medians and ratios.

    python bench/run.py [--quick] [--json results.json]

Runs every `bench/bench_*.py` script (each writes rows {"op", "size", "trainer_ms",
"anki_ms", "ratio"} with `--json OUT`), merges the rows and prints one table, the growth
of each operation from the smallest to the largest size, and the foundation targets.
`--quick` uses 2,000 cards, 50,000 reviews and few repeats (a smoke run).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent

Row = dict[str, Any]


def scripts() -> list[Path]:
    """Every benchmark script, the core one first."""
    found = sorted(BENCH.glob("bench_*.py"))
    return sorted(found, key=lambda p: p.name != "bench_core.py")


def run_script(script: Path, out: Path, extra: list[str]) -> list[Row]:
    """Run one script; its rows, or none (with a message) when it fails."""
    start = time.perf_counter()
    print(f"== {script.name}", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, str(script), "--json", str(out), *extra], check=False)
    if done.returncode != 0 or not out.exists():
        print(f"   {script.name} failed (exit {done.returncode}); its rows are missing", file=sys.stderr)
        return []
    print(f"   {script.name}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    rows: list[Row] = json.loads(out.read_text(encoding="utf-8"))
    for r in rows:  # tolerate scripts that leave a field out
        for key in ("trainer_ms", "anki_ms", "ratio"):
            r.setdefault(key, None)
        r.setdefault("size", 0)
        r.setdefault("op", "?")
        r["source"] = script.stem
    return rows


def fmt(value: float | None) -> str:
    """A number for the table."""
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def table(rows: list[Row]) -> str:
    """The Markdown table of every row."""
    out = ["| operation | cards | trainer (ms) | Anki (ms) | trainer / Anki |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        times = f"{fmt(r['trainer_ms'])} | {fmt(r['anki_ms'])} | {fmt(r['ratio'])}"
        size = f"{r['size']:,}" if isinstance(r["size"], int) else str(r["size"])
        out.append(f"| {r['op']} | {size} | {times} |")
    return "\n".join(out)


def growth(rows: list[Row]) -> str:
    """How each operation grows from the smallest to the largest size."""
    by_op: dict[str, dict[int, Row]] = {}
    for r in rows:
        if isinstance(r["size"], int):
            by_op.setdefault(r["op"], {})[r["size"]] = r
    out = ["| operation | sizes | trainer growth | Anki growth |", "|---|---|---:|---:|"]
    for op, sizes in by_op.items():
        if len(sizes) < 2:
            continue
        small, large = sizes[min(sizes)], sizes[max(sizes)]

        grown = [_grow(small.get(key), large.get(key)) for key in ("trainer_ms", "anki_ms")]
        out.append(f"| {op} | {min(sizes):,} -> {max(sizes):,} | {grown[0]} | {grown[1]} |")
    return "\n".join(out)


def _grow(a: float | None, b: float | None) -> str:
    return f"x{b / a:.2f}" if a and b else "-"


def _grow(a: float | None, b: float | None) -> str:
    return f"x{b / a:.2f}" if a and b else "-"


def targets(rows: list[Row]) -> str:
    """The foundation targets, met or not, at the core benchmark's smallest size."""
    core = [r for r in rows if r.get("source", "bench_core") == "bench_core" and r["anki_ms"]]
    smallest = min((r["size"] for r in core), default=0)
    at = {r["op"]: r for r in core if r["size"] == smallest}
    checks = []

    def check(name: str, ok: bool | None) -> None:
        checks.append(f"- {name}: {'met' if ok else 'NOT met' if ok is not None else 'not measured'}")

    def ratio(op: str) -> float | None:
        r = at.get(op)
        return r["ratio"] if r else None

    answer, nxt, counts = ratio("answer"), ratio("next card + 4 previews"), ratio("deck counts")
    check("answer <= Anki", answer <= 1 if answer is not None else None)
    check("next card with four previews <= Anki", nxt <= 1 if nxt is not None else None)
    check("deck counts <= half of Anki's deck_due_tree()", counts <= 0.5 if counts is not None else None)
    load = next((r for r in rows if r["op"].startswith("load 20,000")), None)
    check("load a 20,000-card deck file < 1 s", load["trainer_ms"] < 1000 if load else None)
    return "\n".join(checks)


def main(argv: list[str] | None = None) -> int:
    """Run every script and print the merged report."""
    parser = argparse.ArgumentParser(description="trainer vs Anki benchmark suite")
    parser.add_argument("--quick", action="store_true", help="Small sizes and few repeats (smoke run).")
    parser.add_argument("--json", dest="out", type=Path, help="Also write the merged rows here.")
    args = parser.parse_args(argv)
    core_args = ["--sizes", "2000,10000", "--reviews", "50000", "--repeat", "10"] if args.quick else []
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="trainer-bench-") as tmp:
        for script in scripts():
            extra = core_args if script.name == "bench_core.py" else []
            rows.extend(run_script(script, Path(tmp) / f"{script.stem}.json", extra))
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    report = "\n\n".join(["## Medians", table(rows), "## Growth", growth(rows), "## Targets", targets(rows)])
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
