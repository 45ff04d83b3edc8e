"""CSV/TSV in Anki's text format, both ways (`#separator:`, `#html:`, `#columns:`, ...).

Reading honours Anki's file headers, detects the delimiter when no header names it,
accepts quoted fields with newlines and UTF-8 with or without a BOM. Writing produces a
file Anki's own text importer reads back (one row per note, GUID column kept).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from trainer.atomicfile import write_atomic
from trainer.core.cards import CardContent, CardKind, clean_text, cloze_numbers
from trainer.formats.html_text import html_to_text
from trainer.formats.model import CardRecord, Package
from trainer.formats.safety import MAX_FIELD_CHARS, ImportFormatError

SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":"}
_DETECT = ("\t", "|", ";", ",", ":")
MAX_FILE_BYTES = 512 * 1024**2


def _text(path: Path) -> str:
    raw = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else b""
    if not raw and path.stat().st_size:
        raise ImportFormatError(path, "", "file too large")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFormatError(path, f"line {line}", f"invalid UTF-8 at byte {exc.start}") from None


def _headers(lines: list[str]) -> tuple[dict[str, str], int]:
    headers: dict[str, str] = {}
    count = 0
    for line in lines:
        if not line.startswith("#") or ":" not in line:
            break
        key, _, value = line[1:].partition(":")
        headers[key.strip().lower()] = value.rstrip("\r\n")
        count += 1
    return headers, count


def _separator(value: str, sample: str, path: Path) -> str:
    if value:
        chosen = SEPARATORS.get(value.strip().lower(), value if len(value) == 1 else "")
        if not chosen:
            raise ImportFormatError(path, "header #separator", f"unknown separator '{value}'")
        return chosen
    if path.suffix.lower() == ".tsv":
        return "\t"
    return next((c for c in _DETECT if c in sample), ",")


def _column(headers: dict[str, str], key: str, path: Path) -> int | None:
    value = headers.get(key, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ImportFormatError(path, f"header #{key}", f"'{value}' is not a column number")
    return int(value) - 1


def read_text(path: Path, *, deck: str | None = None) -> Package:
    """Notes from an Anki text file; one card per note (per cloze number for cloze)."""
    text = _text(path)
    lines = text.splitlines(keepends=True)
    headers, skip = _headers(lines)
    body = "".join(lines[skip:])
    first = next((line for line in lines[skip:] if line.strip()), "")
    delimiter = _separator(headers.get("separator", ""), first, path)
    html = headers.get("html", "false").strip().lower() == "true"
    special = {
        name: _column(headers, f"{name} column", path) for name in ("guid", "deck", "tags", "notetype")
    }
    file_tags = tuple(headers.get("tags", "").split())
    default_deck = deck or headers.get("deck", "").strip() or path.stem
    notetype = headers.get("notetype", "").strip()
    package = Package()
    reader = csv.reader(io.StringIO(body), delimiter=delimiter, quotechar='"', strict=False)
    try:
        for number, row in enumerate(reader, start=skip + 1):
            if not any(cell.strip() for cell in row):
                continue
            where = f"row {number}"
            for cell in row:
                if len(cell) > MAX_FIELD_CHARS:
                    raise ImportFormatError(path, where, f"field too large ({len(cell)} characters)")
            package.cards.extend(
                _row_cards(row, special, html, file_tags, default_deck, notetype, where, package)
            )
    except csv.Error as exc:
        raise ImportFormatError(path, f"row {reader.line_num}", f"malformed CSV ({exc})") from None
    return package


def _row_cards(
    row: list[str],
    special: dict[str, int | None],
    html: bool,
    file_tags: tuple[str, ...],
    default_deck: str,
    notetype: str,
    where: str,
    package: Package,
) -> list[CardRecord]:
    def get(name: str) -> str:
        index = special[name]
        return row[index].strip() if index is not None and index < len(row) else ""

    skip = {i for i in special.values() if i is not None}
    converted = [_field(cell, html) for i, cell in enumerate(row) if i not in skip]
    fields = [text for text, _ in converted]
    media = tuple(dict.fromkeys(name for _, refs in converted for name in refs))
    guid = get("guid")
    deck = (get("deck") or default_deck).strip()
    tags = tuple(dict.fromkeys((*file_tags, *get("tags").split())))
    kind_name = (get("notetype") or notetype).lower()
    front = fields[0] if fields else ""
    if not front:
        package.skipped.append((where, "empty first field"))
        return []
    base = f"anki/{guid}" if guid else "text/" + hashlib.sha256(front.encode()).hexdigest()[:16]
    rest = fields[1:]
    if "cloze" in kind_name or (not kind_name and cloze_numbers(front)):
        numbers = cloze_numbers(front)
        if not numbers:
            package.skipped.append((where, "cloze note without {{c1::...}} deletions"))
            return []
        note = "\n".join(f for f in rest if f)
        contents = [CardContent(kind=CardKind.CLOZE, text=front, cloze_ord=n, note=note) for n in numbers]
        ords = [n - 1 for n in numbers]
    else:
        back = rest[0] if rest else ""
        note = "\n".join(f for f in rest[1:] if f)
        if "type" in kind_name:
            contents = [CardContent(kind=CardKind.TYPED, front=front, back=back, answers=(back,), note=note)]
        elif "reverse" in kind_name:
            contents = [
                CardContent(kind=CardKind.REVERSED, front=front, back=back, note=note),
                CardContent(kind=CardKind.REVERSED, front=back, back=front, note=note),
            ]
        else:
            contents = [CardContent(kind=CardKind.BASIC, front=front, back=back, note=note)]
        ords = list(range(len(contents)))
    return [
        CardRecord(
            external_id=f"{base}/{o}", deck=deck, content=replace(c, media=media) if media else c,
            tags=tags, group=base, where=where,
        )
        for o, c in zip(ords, contents, strict=True)
    ]  # fmt: skip


def _field(cell: str, html: bool) -> tuple[str, list[str]]:
    """A cell's card text and the media files it references."""
    if html:
        return html_to_text(cell)
    return clean_text(cell).strip(), []


def note_rows(records: Sequence[CardRecord]) -> list[tuple[str, str, str, list[str], tuple[str, ...]]]:
    """One (guid, deck, notetype, fields, tags) per note: siblings are written once."""
    seen: set[str] = set()
    rows = []
    for record in records:
        key = record.group or record.external_id
        if key in seen:
            continue
        seen.add(key)
        c = record.content
        if c.kind is CardKind.CLOZE:
            notetype, fields = "Cloze", [c.text, c.note]
        elif c.kind is CardKind.REVERSED:
            notetype, fields = "Basic (and reversed card)", [c.front, c.back]
        elif c.kind is CardKind.TYPED:
            notetype, fields = "Basic (type in the answer)", [c.front, c.correct_answer]
        else:
            notetype, fields = "Basic", [c.front, c.back]
        rows.append((guid_for(key), record.deck, notetype, fields, record.tags))
    return rows


def guid_for(key: str) -> str:
    """The Anki GUID of a note: kept from Anki, else derived from our stable id."""
    if key.startswith("anki/"):
        return key[len("anki/") :]
    return "t" + hashlib.sha256(key.encode()).hexdigest()[:15]


def write_text(path: Path, records: Sequence[CardRecord], *, delimiter: str = ",") -> None:
    """Write notes as an Anki text file with headers (plain text, html:false)."""
    name = {v: k for k, v in SEPARATORS.items()}[delimiter].capitalize()
    out = io.StringIO()
    out.write(f"#separator:{name}\n#html:false\n#guid column:1\n#notetype column:2\n#deck column:3\n")
    out.write("#tags column:6\n")
    writer = csv.writer(
        out, delimiter=delimiter, quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n"
    )
    for guid, deck, notetype, fields, tags in note_rows(records):
        writer.writerow([guid, notetype, deck, *fields, " ".join(tags)])
    write_atomic(path, out.getvalue())
