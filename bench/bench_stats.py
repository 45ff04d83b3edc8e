"""Statistics and optimiser benchmarks, trainer and Anki side by side in the same run.

    python bench/bench_stats.py [--json OUT] [--sizes 20000,100000] [--repeat 5] [--skip-optimizer]

- the whole statistics report (`Collection.stats_report`) against Anki's backend
  `graphs(search="", days=365)` on the same synthetic cards and review log (10 reviews a
  card: 100,000 cards have 1,000,000 reviews). Same window on both sides: Anki reads every
  card and the revlog rows from 366 days before its next day start; trainer reads every
  card and the log from the start of its 365-day calendar (older study days, which only the
  streaks need, are found by one index seek per day). The synthetic log reaches back about
  600 days, so both read about 82 % of it. Neither side caches between calls; each side's
  first call is untimed (it loads the pages);
- the deck statistics screen (report + `StatsCharts` mounted in a headless app);
- the optimiser on the real review log (../shared/data/review-log-josh.csv): fit time
  (fsrs-rs-python vs Anki's `compute_fsrs_params_from_items` on the same items), and
  log loss with one time-series split procedure applied to both (train on the first k
  fifths in time order, score the next fifth, k = 1..4, reviews-weighted mean).
Prints medians and ratios; `--json OUT` writes [{"op","size","trainer_ms","anki_ms","ratio"}].
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import build_trainer, default_now, plan
from trainer.collection import open_collection

REAL_LOG = Path(__file__).resolve().parents[2] / "shared" / "data" / "review-log-josh.csv"
Row = dict[str, Any]


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time in ms."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples) * 1000, 3)


def row(op: str, size: int, trainer_ms: float | None, anki_ms: float | None) -> Row:
    ratio = round(trainer_ms / anki_ms, 3) if trainer_ms and anki_ms else None
    return {"op": op, "size": size, "trainer_ms": trainer_ms, "anki_ms": anki_ms, "ratio": ratio}


def bench_report(size: int, repeat: int, folder: Path, with_anki: bool) -> list[Row]:
    """Statistics report (and screen) on `size` cards with 10 reviews each."""
    now = default_now()
    p = plan(size, size * 10, now)
    path = build_trainer(p, folder / f"t{size}.sqlite3")
    col = open_collection(path, clock=lambda: now, zone=ZoneInfo("UTC"), install_bundled=False)
    rows = []
    try:
        col.stats_report(days=365)  # warm
        trainer_ms = timed(lambda: col.stats_report(days=365), repeat)
        deck = p.deck_name(0)
        screen_ms = timed(lambda: draw_screen(col.stats_report(deck, days=30)), max(1, repeat // 2))
    finally:
        col.close()
    anki_ms = anki_graphs(p, folder / f"a{size}.anki2", repeat) if with_anki else None
    rows.append(row("stats report (365 d)", size, trainer_ms, anki_ms))
    rows.append(row("stats screen (one deck)", size, screen_ms, None))
    return rows


def anki_graphs(p: Any, path: Path, repeat: int) -> float:
    from anki.collection import Collection

    from bench.anki_side import build_anki

    build_anki(p, path)
    col = Collection(str(path))
    try:
        col._backend.graphs(search="", days=365)
        return timed(lambda: col._backend.graphs(search="", days=365), repeat)
    finally:
        col.close()


def draw_screen(report: Any) -> None:
    """Mount the charts view headless and let it paint once."""
    from textual.app import App, ComposeResult

    from trainer.tui.screens.stats_charts import StatsCharts

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield StatsCharts(report)

    async def go() -> None:
        app = Bench()
        async with app.run_test(size=(160, 60)) as pilot:
            await pilot.pause()

    asyncio.run(go())


def real_items(folder: Path) -> list[Any]:
    """Training items of the real log, built by trainer's import and item builder."""
    col = open_collection(folder / "real.sqlite3", install_bundled=False, zone=ZoneInfo("UTC"))
    try:
        col.optimizer.import_review_log(REAL_LOG)
        return col.optimizer.items()
    finally:
        col.close()


def split_log_loss(items: Sequence[Any], fit: Callable[[list[Any]], list[float]]) -> float:
    """Reviews-weighted log loss over 4 forward-chaining splits (5 chronological fifths)."""
    import fsrs_rs_python as rs

    fifth = len(items) // 5
    total = weight = 0.0
    for k in range(1, 5):
        train, test = list(items[: k * fifth]), list(items[k * fifth : (k + 1) * fifth])
        params = fit(train)
        loss = rs.FSRS(params).evaluate(test).log_loss
        total += loss * len(test)
        weight += len(test)
    return total / weight


def bench_optimizer(folder: Path, repeat: int) -> tuple[list[Row], dict[str, float]]:
    import fsrs_rs_python as rs
    from anki import scheduler_pb2
    from anki.collection import Collection

    from trainer.services.optimize import to_rs

    items = real_items(folder)
    ours = [to_rs(i) for i in items]
    theirs = [
        scheduler_pb2.FsrsItem(
            reviews=[scheduler_pb2.FsrsReview(rating=s.rating, delta_t=s.delta_t) for s in i.steps]
        )
        for i in items
    ]
    anki = Collection(str(folder / "opt.anki2"))

    def fit_ours(sub: list[Any]) -> list[float]:
        return list(rs.FSRS(list(rs.DEFAULT_PARAMETERS)).compute_parameters(sub))

    def fit_anki(sub: list[Any]) -> list[float]:
        return list(anki._backend.compute_fsrs_params_from_items(items=sub).params)

    try:
        trainer_ms = timed(lambda: fit_ours(ours), repeat)
        anki_ms = timed(lambda: fit_anki(theirs), repeat)
        fifth = len(items) // 5
        ours_loss = split_log_loss(ours, fit_ours)
        index = {id(o): t for o, t in zip(ours, theirs, strict=True)}

        def fit_anki_same(sub: list[Any]) -> list[float]:
            return fit_anki([index[id(x)] for x in sub])

        anki_loss = split_log_loss(ours, fit_anki_same)
        builtin = rs.evaluate_with_time_series_splits(ours)
        in_sample_default = rs.FSRS(list(rs.DEFAULT_PARAMETERS)).evaluate(ours).log_loss
        in_sample_ours = rs.FSRS(fit_ours(ours)).evaluate(ours).log_loss
    finally:
        anki.close()
    figures = {
        "items": float(len(items)),
        "fifth": float(fifth),
        "tss_log_loss_trainer": ours_loss,
        "tss_log_loss_anki": anki_loss,
        "fsrs_rs_builtin_tss_log_loss": float(builtin.log_loss),
        "in_sample_log_loss_default": float(in_sample_default),
        "in_sample_log_loss_optimised": float(in_sample_ours),
    }
    return [row("optimise real log (fit)", len(items), trainer_ms, anki_ms)], figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", dest="out", type=Path)
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--anki-max", type=int, default=20000, help="Largest size also built in Anki.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 cards and few repeats.")
    parser.add_argument("--skip-optimizer", action="store_true")
    args = parser.parse_args(argv)
    sizes = [2000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeat = 2 if args.quick else args.repeat
    rows: list[Row] = []
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in sizes:
            rows += bench_report(size, repeat, folder, with_anki=size <= args.anki_max)
        if not args.skip_optimizer and REAL_LOG.exists():
            opt_rows, figures = bench_optimizer(folder, 1 if args.quick else 3)
            rows += opt_rows
    for r in rows:
        times = f"trainer {r['trainer_ms']} ms  Anki {r['anki_ms']} ms  ratio {r['ratio']}"
        print(f"{r['op']:<28} {r['size']:>8,}  {times}")
    for key, value in figures.items():
        print(f"{key}: {value:.4f}")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
