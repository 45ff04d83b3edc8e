"""Import/export of a 20,000-note Anki package: trainer side by side with Anki.

python bench/bench_io.py [--notes 20000] [--runs 5] [--json OUT]

Both sides run in this process, their runs interleaved; each operation is reported as wall
time and as CPU time of the process (Anki's backend runs in it too), medians of the runs. On
a shared machine the CPU ratio is the steadier of the two.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from anki.collection import Collection as AnkiCollection
from anki.collection import ExportAnkiPackageOptions, ImportAnkiPackageOptions, ImportAnkiPackageRequest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from trainer.collection import open_collection


def build(folder: Path, notes: int) -> Path:
    """A collection of `notes` Basic notes in 10 decks, a quarter reviewed (revlog + FSRS state)."""
    path = folder / "big.anki2"
    col = AnkiCollection(str(path))
    col.set_config("fsrs", True)
    model = col.models.by_name("Basic")
    decks = [col.decks.id(f"Bench::Deck {i}") for i in range(10)]
    for i in range(notes):
        note = col.new_note(model)
        note.fields[0] = f"Question <b>{i}</b>"
        note.fields[1] = f"Answer {i}<br>line two"
        note.tags = [f"t{i % 7}"]
        col.add_note(note, decks[i % 10])
    col.decks.select(decks[0])
    for _ in range(notes // 40):
        card = col.sched.getCard()
        if card is None:
            break
        card.start_timer()
        col.sched.answerCard(card, 3)
    now = int(time.time())
    cids = col.find_cards("is:new")[: notes // 4]
    col.db.executemany(
        "insert into revlog values (?,?,?,?,?,?,?,?,?)",
        [((now - 86400 * 3) * 1000 + i, cid, -1, 3, 3, 0, 2500, 4000, 0) for i, cid in enumerate(cids)],
    )
    ids = ",".join(map(str, cids))
    col.db.execute(f"update cards set type=2, queue=2, ivl=3, due=3, factor=2500, reps=1 where id in ({ids})")
    col.close()
    return path


def elapsed_ms(fn: Callable[[int], None], run: int) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one run."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(run)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def medians_ms(
    ours: Callable[[int], None], theirs: Callable[[int], None], runs: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (wall, CPU) times of both sides, their runs interleaved so that a noisy machine
    slows both alike."""
    times: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    for run in range(runs):
        times[0].append(elapsed_ms(ours, run))
        times[1].append(elapsed_ms(theirs, run))
    return (
        (statistics.median(t[0] for t in times[0]), statistics.median(t[1] for t in times[0])),
        (statistics.median(t[0] for t in times[1]), statistics.median(t[1] for t in times[1])),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", dest="json_out", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-io-"))
    try:
        source = build(folder, args.notes)
        package = folder / "big.apkg"
        col = AnkiCollection(str(source))
        col.export_anki_package(
            out_path=str(package),
            options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True),
            limit=None,
        )
        col.close()
        now = datetime.now(UTC)

        def trainer_import(run: int) -> None:
            with open_collection(folder / f"t{run}" / "c.sqlite3", install_bundled=False) as ours:
                ours.import_file(package, now=now)

        def anki_import(run: int) -> None:
            target = AnkiCollection(str(folder / f"a{run}.anki2"))
            options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
            target.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))
            target.close()

        def trainer_export(run: int) -> None:
            with open_collection(folder / "t0" / "c.sqlite3", install_bundled=False) as ours:
                ours.export_file(folder / f"out{run}.apkg", now=now)

        def anki_export(run: int) -> None:
            target = AnkiCollection(str(folder / "a0.anki2"))
            target.export_anki_package(
                out_path=str(folder / f"anki-out{run}.apkg"),
                options=ExportAnkiPackageOptions(
                    with_scheduling=True, with_deck_configs=True, with_media=True, legacy=True
                ),
                limit=None,
            )
            target.close()

        results = []
        for op, ours, theirs in (
            ("import", trainer_import, anki_import),
            ("export", trainer_export, anki_export),
        ):
            ours_ms, theirs_ms = medians_ms(ours, theirs, args.runs)
            for label, t_ms, a_ms in (
                (op, ours_ms[0], theirs_ms[0]),
                (f"{op} (CPU)", ours_ms[1], theirs_ms[1]),
            ):
                ratio = t_ms / a_ms
                results.append(
                    {"op": label, "size": args.notes, "trainer_ms": round(t_ms, 1), "anki_ms": round(a_ms, 1),
                     "ratio": round(ratio, 3)}
                )  # fmt: skip
                print(f"{label:13} {args.notes} notes: trainer {t_ms:8.1f} ms  anki {a_ms:8.1f} ms", end="")
                print(f"  ratio {ratio:.2f}")
        if args.json_out:
            args.json_out.write_text(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
