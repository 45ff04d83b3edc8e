"""Text formats on hostile input: 10 MB fields, a 387 KB `#html:true` CSV, a hashcards file of clozes.

    python bench/bench_text_formats.py [--quick] [--json OUT]

Each row is a median over repeats (trainer only: Anki's text importer has no such inputs
in common use). Every case must stay linear: 10 MB of any of them within a few seconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from trainer.formats.csv_text import read_text
from trainer.formats.html_text import html_to_text, strip_html
from trainer.formats.markdown import read_markdown

FIELDS = {
    "unclosed <b>": "<b>",
    "<b>x</b> pairs": "<b>x</b>",
    "< runs": "<",
    "<a without >": "<a",
    "unclosed comments": "<!--",
    "unclosed <script>": "<script>",
    "<div> blocks": "<div>",
    "nested lists": "<ul><li>x",
    "table cells": "<td>x",
    "superscripts": "<sup>2</sup>",
    "furigana": "漢[かな]",
    "entities": "&amp;",
    "spaces": " ",
}


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples) * 1000, 1)


def rows(size: int, repeat: int, folder: Path) -> list[dict[str, Any]]:
    out = []
    for name, token in FIELDS.items():
        field = token * (size // len(token))
        ms = median_ms(lambda f=field: (html_to_text(f), strip_html(f)), repeat)  # type: ignore[misc]
        out.append({"op": f"html_to_text: {name}", "size": len(field), "trainer_ms": ms, "anki_ms": None})
    csv_path = folder / "hostile.csv"
    cell = "<b>" * 60_000
    csv_path.write_text(f"#html:true\n#separator:comma\n{cell},{cell}\n", encoding="utf-8")
    ms = median_ms(lambda: read_text(csv_path), repeat)
    out.append({"op": "csv #html:true, <b> x 120k", "size": csv_path.stat().st_size, "trainer_ms": ms})
    md_path = folder / "clozes.md"
    md_path.write_text("C: " + " ".join(f"{'x' * 90} [w{i}]" for i in range(9_999)) + "\n", encoding="utf-8")
    ms = median_ms(lambda: read_markdown(md_path), repeat)
    out.append({"op": "markdown: 9,999 clozes", "size": md_path.stat().st_size, "trainer_ms": ms})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    size, repeat = (1_000_000, 1) if args.quick else (10_000_000, 3)
    with tempfile.TemporaryDirectory() as folder:
        result = rows(size, repeat, Path(folder))
    for row in result:
        row.setdefault("anki_ms", None)
        row["ratio"] = None
        print(f"{row['op']:34s} {row['size']:>10,d} chars/bytes {row['trainer_ms']:>9.1f} ms")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
