"""Crafted hostile inputs per category, each run as a user would: `trainer ...` in its own process.

For every input: how it ended (refused on one line, accepted, or a traceback), the wall time
and the peak memory of the process (VmHWM), and for an accepted input whether the collection
still works afterwards (decks, next, answer, undo, check: "poisoned" when any fails).

    PYTHONPATH=. python bench/hostile_inputs.py            # all categories
    PYTHONPATH=. python bench/hostile_inputs.py apkg json  # some

Goals (issue 18): 0 tracebacks, 0 accepted-then-poisoned, peak memory under 300 MB, every
crafted file under 10 MB imported or refused in under 5 s. The Anki packages are built by
Anki's own library (tests/formats/anki_oracle.py), then edited.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NOW = "2026-03-02T12:00:00+00:00"
RUNNER = (
    "import sys, time\n"
    "from trainer.cli import main\n"
    "start = time.perf_counter()\n"
    "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
    "hwm = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) // 1024\n"
    "print(f'@@ {time.perf_counter() - start:.3f} {hwm}', file=sys.stderr)\n"
    "sys.exit(code if isinstance(code, int) else 1)\n"
)


@dataclass
class Outcome:
    category: str
    name: str
    result: str  # refused | accepted | traceback | poisoned | hung
    seconds: float
    peak_mb: int
    size: int
    message: str


def trainer(
    db: Path, *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> tuple[int, str, float, int]:
    """Run `trainer --db DB ARGS` in a process: (exit code, stderr, seconds, peak MB)."""
    variables = {**os.environ, "TRAINER_NOW": NOW, "PYTHONPATH": str(ROOT), **(env or {})}
    command = [sys.executable, "-c", RUNNER, *(["--db", str(db)] if db else []), *args]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=variables, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return -1, "timed out", timeout, 0
    lines = done.stderr.strip().splitlines()
    seconds, peak = 0.0, 0
    if lines and lines[-1].startswith("@@ "):
        _, s, p = lines.pop().split()
        seconds, peak = float(s), int(p)
    return done.returncode, "\n".join(lines), seconds, peak


def still_works(db: Path) -> str:
    """'' when the collection studies after the import, else what failed."""
    for args in (("decks",), ("next", "--json"), ("stats",), ("check",)):
        code, err, _, _ = trainer(db, *args)
        if code != 0 or "Traceback" in err:
            return f"{' '.join(args)}: {err.splitlines()[-1] if err else code}"
    return ""


def classify(
    category: str, name: str, db: Path, args: tuple[str, ...], size: int, timeout: float = 60
) -> Outcome:
    code, err, seconds, peak = trainer(db, *args, timeout=timeout)
    if code == -1:
        return Outcome(category, name, "hung", seconds, peak, size, err)
    if "Traceback" in err:
        return Outcome(category, name, "traceback", seconds, peak, size, err.strip().splitlines()[-1])
    if code != 0:
        one = err.strip().splitlines()
        result = "refused" if len(one) <= 2 else "refused (long)"
        return Outcome(category, name, result, seconds, peak, size, one[0][:160] if one else "")
    broken = still_works(db) if db else ""
    return Outcome(category, name, "poisoned" if broken else "accepted", seconds, peak, size, broken[:160])


# -- the inputs ----------------------------------------------------------------------


def anki_packages(work: Path) -> dict[str, Path]:
    from tests.formats.anki_oracle import build_collection, export_package

    built = build_collection(work / "anki")
    return {
        "legacy": export_package(built.path, work / "legacy.apkg", legacy=True),
        "current": export_package(built.path, work / "current.apkg", legacy=False),
    }


def edit_legacy(src: Path, out: Path, sql: str) -> Path:
    db = out.with_suffix(".anki21")
    with zipfile.ZipFile(src) as z:
        db.write_bytes(z.read("collection.anki21"))
    conn = sqlite3.connect(db)
    conn.executescript(sql)
    conn.commit()
    conn.close()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = db.read_bytes() if info.filename == "collection.anki21" else zin.read(info)
            zout.writestr(info.filename, data)
    db.unlink()
    return out


DCONF = """UPDATE col SET dconf = json_set(dconf, '$."1".{}', {})"""
APKG_SQL = {
    "steps 1e12 minutes": DCONF.format("new.delays", "json('[1e12]')"),
    "steps past a C int": DCONF.format("lapse.delays", "json('[3e9]')"),
    "max interval inf": DCONF.format("rev.maxIvl", "9e999"),
    "max interval 1e300": DCONF.format("rev.maxIvl", "1e300"),
    "per day past 64 bits": """UPDATE col SET dconf = replace(dconf, '"perDay":20',"""
    """ '"perDay":99999999999999999999999')""",
    "fsrs params NaN": """UPDATE col SET dconf = replace(dconf, '"fsrsParams6":[', '"fsrsParams6":[NaN,')""",
    "fsrs params huge": DCONF.format("fsrsParams6", "json('[1e300" + ",1" * 20 + "]')"),
    "retention NaN text": DCONF.format("desiredRetention", "'NaN'"),
    "garbage deck options": 'UPDATE col SET dconf = \'{"1": [1, 2, {"x": null}]}\'',
    "text creation time": "UPDATE col SET crt = 'yesterday'",
    "null-ish creation time": "UPDATE col SET crt = -99999999999999",
    "text ease factor": "UPDATE cards SET factor = 'x' WHERE type = 2",
    "huge ease factor": "UPDATE cards SET factor = 9223372036854775807 WHERE type = 2",
    "text review ease": "UPDATE revlog SET ease = 'good'",
    "text review time": "UPDATE revlog SET time = 'x'",
    "review id in the year 5000": "UPDATE revlog SET id = 95617584000000"
    " WHERE id = (SELECT MIN(id) FROM revlog)",
    "huge float due": "UPDATE cards SET due = 1e300 WHERE type = 2",
    "minimum integer due": "UPDATE cards SET due = -9223372036854775808 WHERE type = 2",
    "interval past a C int": "UPDATE cards SET ivl = 2147483648 WHERE type = 2",
    "revlog interval past a C int": "UPDATE revlog SET ivl = 2147483648",
    "stability -5 in card data": """UPDATE cards SET data = '{"s":-5,"d":5}' WHERE type = 2""",
    "stability NaN in card data": """UPDATE cards SET data = '{"s":NaN,"d":5}' WHERE type = 2""",
    "stability inf in card data": """UPDATE cards SET data = '{"s":1e999,"d":5}' WHERE type = 2""",
    "difficulty 1e300 in card data": """UPDATE cards SET data = '{"s":3,"d":1e300}' WHERE type = 2""",
    "deep card data": "UPDATE cards SET data = '" + "[" * 5000 + "]" * 5000 + "'",
    "deep note types": "UPDATE col SET models = '" + "[" * 100_000 + "]" * 100_000 + "'",
    "deep decks json": "UPDATE col SET decks = '" + '{"a":' * 50_000 + "1" + "}" * 50_000 + "'",
    "deck 4000 levels": "UPDATE col SET decks = json_set(decks, '$.\"1\".name', '"
    + "::".join(["d"] * 4000)
    + "')",
    "field of 2 M characters": "UPDATE notes SET flds = '" + "x" * 2_000_000 + "'",
    "generated column": "ALTER TABLE notes ADD COLUMN boom TEXT"
    " GENERATED ALWAYS AS (hex(zeroblob(100000000))) VIRTUAL",
    "card ord 99999": "UPDATE cards SET ord = 99999",
    "queue 99": "UPDATE cards SET queue = 99",
    "type -5": "UPDATE cards SET type = -5",
}


def apkg_cases(work: Path, packages: dict[str, Path]) -> list[tuple[str, Path]]:
    cases = [
        (name, edit_legacy(packages["legacy"], work / f"apkg-{i}.apkg", sql))
        for i, (name, sql) in enumerate(APKG_SQL.items())
    ]
    import zstandard

    bomb = zstandard.ZstdCompressor(level=19, write_content_size=False).compress(b"\0" * 500_000_000)
    for label, member in (("zstd media bomb", "0"), ("zstd collection bomb", "collection.anki21b")):
        out = work / f"{label.replace(' ', '-')}.apkg"
        with zipfile.ZipFile(packages["current"]) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                dst.writestr(info, bomb if info.filename == member else src.read(info))
        cases.append((label, out))
    return cases


def json_cases(work: Path, base: dict) -> list[tuple[str, Path]]:
    def reviewed(d: dict) -> dict:
        return next(c for c in d["cards"] if c["reviews"])

    spoil: dict[str, Callable[[dict], object]] = {
        "preset named Default": lambda d: d["presets"][0].update(name="Default", desired_retention=0.7),
        "day start 99": lambda d: d["presets"][0].update(day_start_hour=99),
        "steps 1e12": lambda d: d["presets"][0].update(learning_steps=[10**12]),
        "params NaN": lambda d: d["presets"][0].update(parameters=[float("nan")] * 21),
        "params zero": lambda d: d["presets"][0].update(parameters=[0.0] * 21),
        "max interval past 64 bits": lambda d: d["presets"][0].update(maximum_interval=10**30),
        "state 99": lambda d: reviewed(d).update(state=99),
        "front a list": lambda d: d["cards"][0]["content"].update(front=["x"]),
        "stability NaN": lambda d: reviewed(d).update(stability=float("nan")),
        "stability text": lambda d: reviewed(d).update(stability="abc"),
        "stability -5": lambda d: reviewed(d).update(stability=-5),
        "stability inf": lambda d: reviewed(d).update(stability=float("inf")),
        "position 1e30": lambda d: d["cards"][0].update(position=1e30),
        "due year 9999": lambda d: reviewed(d).update(due="9999-12-31T00:00:00+00:00"),
        "review rating 9": lambda d: reviewed(d)["reviews"][0].update(rating=9),
        "review time null": lambda d: reviewed(d)["reviews"][0].update(reviewed_at=None),
        "undo data tags+unbury": lambda d: reviewed(d)["reviews"][-1].update(
            undo_data=json.dumps({"tags": "x", "buried": list(range(1, 100))})
        ),
        "undo data garbage": lambda d: reviewed(d)["reviews"][-1].update(undo_data="[1"),
        "escapes in front and hint": lambda d: d["cards"][0]["content"].update(
            front="\x1b]0;t\x07\x1b]52;c;eA==\x07", hint="\x1b[2J"
        ),
        "deck 4000 levels": lambda d: d["cards"][0].update(deck="::".join(["d"] * 4000)),
        "field 2 M characters": lambda d: d["cards"][0]["content"].update(back="x" * 2_000_000),
        "cards not a list": lambda d: d.update(cards={"a": 1}),
    }
    cases = []
    for i, (name, change) in enumerate(spoil.items()):
        data = json.loads(json.dumps(base))
        change(data)
        path = work / f"json-{i}.json"
        path.write_text(json.dumps(data))
        cases.append((name, path))
    deep = work / "json-deep.json"
    deep.write_text("[" * 1_000_000 + "]" * 1_000_000)
    cases.append(("nested a million deep", deep))
    return cases


TOML_HEAD = '[deck]\nid = "x"\nname = "X"\n\n[[cards]]\nid = "a"\nfront = "q"\nback = "a"\n'


def toml_cases(work: Path) -> list[tuple[str, Path]]:
    bodies = {
        "arrays nested 2000 deep": TOML_HEAD + "extra = " + "[" * 2000 + "]" * 2000 + "\n",
        "inline tables nested 500 deep": TOML_HEAD + "extra = " + "{a=" * 500 + "1" + "}" * 500 + "\n",
        "10 MB unknown key": TOML_HEAD + "k" * 9_000_000 + " = 1\n",
        "field of 2 M characters": TOML_HEAD.replace('back = "a"', 'back = "' + "x" * 2_000_000 + '"'),
        "deck name 4000 levels": TOML_HEAD.replace('name = "X"', 'name = "' + "::".join(["a"] * 4000) + '"'),
        "deck name '::'": TOML_HEAD.replace('name = "X"', 'name = "::"'),
        "integer past 64 bits": TOML_HEAD + "extra = 99999999999999999999999\n",
        "10,000 answers": TOML_HEAD.replace(
            'id = "a"', 'id = "a"\nkind = "typed"\nanswers = [' + ",".join(['"x"'] * 10_000) + "]"
        ),
    }
    out = []
    for i, (name, body) in enumerate(bodies.items()):
        path = work / f"toml-{i}.toml"
        path.write_text(body)
        out.append((name, path))
    return out


def main(categories: list[str]) -> int:
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    outcomes: list[Outcome] = []
    fresh_id = iter(range(10**6))

    def fresh() -> Path:
        return work / f"col-{next(fresh_id)}" / "c.sqlite3"

    try:
        packages = anki_packages(work) if {"apkg", "json"} & set(categories) else {}
        if "apkg" in categories:
            for name, path in apkg_cases(work, packages):
                outcomes.append(classify("apkg", name, fresh(), ("import", str(path)), path.stat().st_size))
        if "json" in categories:
            base_db = fresh()
            trainer(base_db, "import", str(packages["current"]))
            backup = work / "base.json"
            trainer(base_db, "export", str(backup))
            base = json.loads(backup.read_text())
            for name, path in json_cases(work, base):
                db = fresh()
                if name == "preset named Default":
                    trainer(db, "preset", "Default", "--set", "desired_retention=0.85")
                result = classify("json", name, db, ("import", str(path)), path.stat().st_size)
                if name == "preset named Default" and result.result == "accepted":
                    kept = subprocess.run(
                        [sys.executable, "-c", RUNNER, "--db", str(db), "preset", "Default", "--json"],
                        capture_output=True,
                        text=True,
                        env={**os.environ, "PYTHONPATH": str(ROOT), "TRAINER_NOW": NOW},
                    ).stdout
                    if '"desired_retention": 0.85' not in kept:
                        result.result, result.message = "poisoned", "the learner's preset was replaced"
                outcomes.append(result)
        if "toml" in categories:
            for name, path in toml_cases(work):
                size = path.stat().st_size
                outcomes.append(
                    classify("toml", f"load --check: {name}", fresh(), ("load", "--check", str(path)), size)
                )
                outcomes.append(classify("toml", f"import: {name}", fresh(), ("import", str(path)), size))
        if "cli" in categories:
            db = fresh()
            trainer(db, "decks")
            cli_cases = {
                "answer 99999999999999999999999 good": ("answer", "99999999999999999999999", "good"),
                "preset learning_steps=60 600": ("preset", "Default", "--set", "learning_steps=60 600"),
                "preset learning_steps=99999999999999999999": (
                    "preset",
                    "Default",
                    "--set",
                    "learning_steps=99999999999999999999",
                ),
                "preset maximum_interval=99999999999999999999": (
                    "preset",
                    "Default",
                    "--set",
                    "maximum_interval=99999999999999999999",
                ),
                "preset parameters=nan x21": (
                    "preset",
                    "Default",
                    "--set",
                    "parameters=" + ",".join(["nan"] * 21),
                ),
                "preset desired_retention=inf": ("preset", "Default", "--set", "desired_retention=inf"),
                "preset day_start_hour=99": ("preset", "Default", "--set", "day_start_hour=99"),
            }
            for name, args in cli_cases.items():
                outcomes.append(classify("cli", name, db, args, 0))
            for name, target in {
                "--db mysql://u:p@h/x": "mysql://u:p@h/x",
                "--db ~nouser/x": "~nouser-hostile/x",
                "--db nosuch://x": "nosuch://x",
                "--db /dev/null/x": "/dev/null/x",
            }.items():
                code, err, s, p = trainer(Path(""), "--db", target, "decks")
                outcomes.append(
                    Outcome(
                        "cli",
                        name,
                        "traceback" if "Traceback" in err else ("refused" if code else "accepted"),
                        s,
                        p,
                        0,
                        err.splitlines()[-1][:160] if err else "",
                    )
                )
            code, err, s, p = trainer(db, "next", env={"TRAINER_NOW": "9999-12-31T23:59:59+00:00"})
            outcomes.append(
                Outcome(
                    "cli",
                    "TRAINER_NOW=9999-12-31",
                    "traceback" if "Traceback" in err else ("refused" if code else "accepted"),
                    s,
                    p,
                    0,
                    err[:160],
                )
            )
        if "files" in categories:
            fifo = work / "pipe"
            os.mkfifo(fifo)
            db = fresh()
            trainer(db, "decks")
            file_cases = {
                "import-revlog /dev/zero": ("import-revlog", "/dev/zero"),
                "import /dev/zero": ("import", "/dev/zero", "--format", "csv"),
                "build /dev/zero": ("build", "/dev/zero", "-o", str(work / "o.toml")),
                "load /dev/zero": ("load", "/dev/zero"),
                "import a FIFO": ("import", str(fifo), "--format", "csv"),
                "import-revlog a FIFO": ("import-revlog", str(fifo)),
                "build a FIFO": ("build", str(fifo), "-o", str(work / "o.toml")),
                "export to a FIFO": ("export", str(fifo), "--format", "csv"),
                "export to /dev/null": ("export", "/dev/null", "--format", "json"),
                "import a folder": ("import", str(work), "--format", "csv"),
                "study without a terminal": ("study",),
                "browse without a terminal": ("browse",),
                "quiz without a terminal": ("quiz",),
            }
            for name, args in file_cases.items():
                outcomes.append(classify("files", name, db, args, 0, timeout=20))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(outcomes)
    return 0 if all(o.result in ("refused", "accepted") for o in outcomes) else 1


def report(outcomes: list[Outcome]) -> None:
    print(f"{'category':8} {'result':10} {'s':>6} {'MB':>5} {'size':>9}  input  ->  message")
    for o in outcomes:
        head = f"{o.category:8} {o.result:10} {o.seconds:6.2f} {o.peak_mb:5d} {o.size:9d}"
        print(f"{head}  {o.name}  ->  {o.message}")
    print()
    categories = sorted({o.category for o in outcomes})
    for c in categories:
        rows = [o for o in outcomes if o.category == c]
        count = {
            r: sum(o.result == r for o in rows)
            for r in ("refused", "accepted", "traceback", "poisoned", "hung")
        }
        print(f"{c:8} {len(rows):3} inputs: " + ", ".join(f"{k} {v}" for k, v in count.items()))
    timed = [o for o in outcomes if o.size and o.size < 10_000_000]
    worst_mem = max(outcomes, key=lambda o: o.peak_mb)
    slowest = max(timed, key=lambda o: o.seconds) if timed else None
    print(f"peak memory: {worst_mem.peak_mb} MB ({worst_mem.category}: {worst_mem.name})")
    if slowest:
        print(
            f"longest crafted file under 10 MB: {slowest.seconds:.2f} s ({slowest.category}: {slowest.name})"
        )
    print(
        f"tracebacks: {sum(o.result == 'traceback' for o in outcomes)}, "
        f"accepted-then-poisoned: {sum(o.result == 'poisoned' for o in outcomes)}, "
        f"hung: {sum(o.result == 'hung' for o in outcomes)}"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["apkg", "json", "toml", "cli", "files"]))
