"""Anki text files taken apart: `#` header lines, comments, delimiter, HTML detection, records.

Anki's text importer (its manual's "Importing text files") reads a first `tags:` line and
every leading line starting with `#` as the header (`#key:value` settings, other `#` lines
are comments), then skips any record whose line starts with `#`. Where no `#separator:`
names the delimiter, Anki takes the first of tab, pipe, semicolon, colon, comma present in
the first 8 KiB (else space); here the candidates are tried on the first records and the
one that splits them into the same number of columns wins (Anki's order breaks ties), so
`What is 1;2?,answer one` splits on the comma. Where no `#html:` says, a field of the
first five records that looks like HTML makes the file HTML, as in Anki.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from trainer.core.limits import MAX_FIELD_CHARS

SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":"}
ANKI_ORDER = ("\t", "|", ";", ":", ",")  # Anki's detection order; space is its last resort
SNIFF_RECORDS = 20
SNIFF_CHARS = 8 * 1024
HTML_RECORDS = 5
MAX_RECOVERIES = 100
csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS + 1))  # the field check says more


class RecordError(ValueError):
    """A record that cannot be read, with the line (of the body) it starts on."""

    def __init__(self, line: int, why: str) -> None:
        self.line = line
        self.why = why
        super().__init__(f"line {line}: {why}")


@dataclass
class Header:
    """What the header lines say (raw values, keys lower-cased) and how many lines it takes."""

    values: dict[str, str] = field(default_factory=dict)
    tags: str = ""
    lines: int = 0


def read_header(lines: list[str]) -> Header:
    """A first `tags:` line, then every leading `#` line (settings or comments)."""
    header = Header()
    for index, line in enumerate(lines):
        if index == 0 and line.startswith("tags:"):
            header.tags = line[5:]
        elif line.startswith("#"):
            key, colon, value = line[1:].partition(":")
            if colon:
                header.values[key.strip().lower()] = value
        else:
            break
        header.lines = index + 1
    if header.tags and "tags" not in header.values:
        header.values["tags"] = header.tags
    return header


def named_separator(value: str) -> str | None:
    """The delimiter a `#separator:` value names (`Tab`, `comma`, or the character), or None."""
    name = value.strip().lower()
    if name in SEPARATORS:
        return SEPARATORS[name]
    return value if value in SEPARATORS.values() else None


def sniff_delimiter(body: list[str]) -> str:
    """The delimiter that splits the first records most consistently (see the module doc)."""
    sample = [line for line in body[: SNIFF_RECORDS * 4] if line.strip() and not line.startswith("#")]
    text = "\n".join(sample)[:SNIFF_CHARS]
    present = [d for d in ANKI_ORDER if d in text]
    best, best_score = None, 0
    for delimiter in present:
        counts = [len(row) for row, _, _ in records(sample, delimiter)][:SNIFF_RECORDS]
        if not counts:
            continue
        width, score = Counter(counts).most_common(1)[0]
        if width >= 2 and score > best_score:
            best, best_score = delimiter, score
    if best is not None:
        return best
    return present[0] if present else " "


def looks_like_html(rows: list[list[str]]) -> bool:
    """Anki's test: some field has `<`, at least one character, then `>` on one line."""
    for row in rows[:HTML_RECORDS]:
        for cell in row:
            if "<" in cell and ">" in cell:
                for line in cell.split("\n"):
                    start = line.find("<")
                    if start >= 0 and line.find(">", start + 2) >= 0:
                        return True
    return False


def records(lines: list[str], delimiter: str) -> Iterator[tuple[list[str], int, str]]:
    """(cells, first line number, warning) per record; `#` lines between records are skipped.

    A quote left open to the end of the file would swallow every later line (Anki does);
    here it is read as a literal character, with a warning, and reading goes on.
    """
    start, recoveries = 0, 0
    while True:
        literal_line = None
        for row, first, last in _parse(lines, start, delimiter):
            # the last record, one line or many, may be a quote left open to the end of the file
            if last == len(lines) and row and _unterminated(lines[first - 1 : last], delimiter):
                literal_line = first
                break
            yield row, first, ""
        if literal_line is None:
            return
        recoveries += 1
        if recoveries > MAX_RECOVERIES:
            raise RecordError(literal_line, f"more than {MAX_RECOVERIES} quotes never closed")
        line = lines[literal_line - 1]
        row = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
        yield row, literal_line, f"line {literal_line}: a quote is never closed; read as a plain character"
        start = literal_line


def _parse(lines: list[str], start: int, delimiter: str) -> Iterator[tuple[list[str], int, int]]:
    """csv's reader over `lines[start:]`, skipping `#` lines where a record would start."""
    position = start
    at_record_start = True

    def feed() -> Iterator[str]:
        nonlocal position
        while position < len(lines):
            line = lines[position]
            position += 1
            if at_record_start and line.startswith("#"):
                continue
            yield line

    reader = csv.reader(feed(), delimiter=delimiter, quotechar='"', strict=False)
    while True:
        at_record_start = True
        before = position
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            why = str(exc)
            if "field limit" in why:
                why = f"a field longer than {MAX_FIELD_CHARS:,} characters (a quote never closed?)"
            raise RecordError(before + 1, why) from None
        first = before + 1
        while first <= position and lines[first - 1].startswith("#"):
            first += 1  # comment lines the feed skipped before this record
        yield row, first, position


def _unterminated(chunk: list[str], delimiter: str) -> bool:
    """Whether `chunk` ends inside a quoted field (other strict-mode complaints are not that)."""
    try:
        for _ in csv.reader(chunk, delimiter=delimiter, quotechar='"', strict=True):
            pass
    except csv.Error as exc:
        return "end of data" in str(exc)
    return False
