"""CSV/TSV in Anki's text format, both ways (`#separator:`, `#html:`, `#columns:`, ...).

Reading honours Anki's file headers, detects the delimiter when no header names it,
accepts quoted fields with newlines and UTF-8 with or without a BOM. Writing produces a
file Anki's own text importer reads back (one row per note, GUID column kept).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from trainer.atomicfile import write_atomic
from trainer.core.cards import CardContent, CardKind, clean_text, cloze_numbers, render
from trainer.formats.anki_notes import MULTI, shape_notes
from trainer.formats.csv_records import (
    SEPARATORS,
    RecordError,
    looks_like_html,
    named_separator,
    read_header,
    records,
    sniff_delimiter,
)
from trainer.formats.html_text import html_to_text
from trainer.formats.model import CardRecord, Package
from trainer.formats.safety import MAX_FIELD_CHARS, ImportFormatError

MAX_FILE_BYTES = 512 * 1024**2
BASIC_FIELD_NAMES = ("Front", "Back")
CLOZE_FIELDS = ("Text", "Back Extra")
BASIC_FIELDS = 2  # every note type trainer maps has two fields; a next column holds tags (as Anki)
REVLOG_COLUMNS = frozenset(("card_id", "review_time", "review_rating"))
ESCAPE_HEADER = "trainer formula escape"  # Anki ignores unknown `#key:value` lines
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(path: Path) -> str:
    raw = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else b""
    if not raw and path.stat().st_size:
        raise ImportFormatError(path, "", "file too large")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFormatError(path, f"line {line}", f"invalid UTF-8 at byte {exc.start}") from None


def _lines(text: str) -> list[str]:
    """Lines with their `\n`; CRLF and CR-only line ends read as LF (Anki accepts all three)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line + "\n" for line in text.split("\n")]
    if lines and lines[-1] == "\n":
        lines.pop()  # the split after the final line end
    return lines


def _column(headers: dict[str, str], key: str, path: Path) -> int | None:
    value = headers.get(key, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ImportFormatError(path, f"header #{key}", f"'{value}' is not a column number")
    return int(value) - 1


def deck_name(name: str) -> str:
    """A deck name with its `::` parts trimmed and empty parts dropped (`::` alone is no name)."""
    return "::".join(part.strip() for part in name.split("::") if part.strip())


def _refuse_review_log(path: Path, header: list[str]) -> None:
    names = {cell.strip().lower() for cell in header}
    if names >= REVLOG_COLUMNS:
        raise ImportFormatError(
            path,
            "line 1",
            "this is a review log (card_id, review_time, review_rating): use `trainer import-revlog`",
        )


def read_text(path: Path, *, deck: str | None = None) -> Package:
    """Notes from an Anki text file; one card per note (per cloze number for cloze)."""
    lines = _lines(_text(path))
    header = read_header(lines)
    headers = header.values
    body = lines[header.lines :]
    separator = headers.get("separator", "").rstrip("\n")
    if separator:
        chosen = named_separator(separator)
        if chosen is None:
            raise ImportFormatError(path, "header #separator", f"unknown separator '{separator.strip()}'")
        delimiter = chosen
    else:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(body)
    html_value = headers.get("html", "").strip().lower()
    special = {
        name: _column(headers, f"{name} column", path) for name in ("guid", "deck", "tags", "notetype")
    }
    unescape = ESCAPE_HEADER in headers
    file_tags = tuple(headers.get("tags", "").split())
    if deck is not None and not deck_name(deck):
        raise ImportFormatError(path, "--deck", f"'{deck}' names no deck")
    default_deck = deck_name(deck or "") or deck_name(headers.get("deck", "")) or path.stem
    notetype = headers.get("notetype", "").strip()
    package = Package(keep_decks=True)
    try:
        rows = [
            (row, first, warning)
            for row, first, warning in records(body, delimiter)
            if any(cell.strip() for cell in row)
        ]
    except RecordError as exc:
        raise ImportFormatError(path, f"line {exc.line + header.lines}", exc.why) from None
    except csv.Error as exc:
        raise ImportFormatError(path, "", f"malformed CSV ({exc})") from None
    if rows and not header.lines:
        _refuse_review_log(path, rows[0][0])
    html = (
        html_value == "true" if html_value in ("true", "false") else looks_like_html([r for r, _, _ in rows])
    )
    labels = next(csv.reader([headers.get("columns", "").rstrip("\n")], delimiter=delimiter), [])
    width = len(labels) if any(labels) else (len(rows[0][0]) if rows else 0)
    meta = {i for i in special.values() if i is not None}
    names = CLOZE_FIELDS if "cloze" in notetype.lower() else BASIC_FIELD_NAMES
    columns = _field_columns(labels, meta, width, names)
    if special["tags"] is None:  # Anki: the first column after the fields holds tags
        mapped = [c for c in columns or range(width) if c is not None and c not in meta][:BASIC_FIELDS]
        top = max(mapped, default=-1)
        special["tags"] = next((i for i in range(top + 1, width) if i not in meta), None)
    repeats: dict[str, int] = {}  # note id -> rows with the same first field so far
    for row, first, warning in rows:
        where = f"line {first + header.lines}"
        if warning:
            package.notices.append((where, warning.partition(": ")[2]))
        for cell in row:
            if len(cell) > MAX_FIELD_CHARS:
                raise ImportFormatError(path, where, f"field too large ({len(cell)} characters)")
        row = [_nfc(cell) for cell in row]
        if unescape:
            row = [_unescape_formula(cell) for cell in row]
        cards = _row_cards(row, special, columns, html, file_tags, default_deck, notetype, where, package)
        if cards and cards[0].group.startswith("text/"):
            _number_repeat(cards, repeats)
        package.cards.extend(cards)
    return package


def _field_columns(
    labels: list[str], meta: set[int], width: int, names: tuple[str, ...]
) -> list[int | None] | None:
    """Column of each field when `#columns:` names them (as Anki maps them by name), else None.

    A field no label names stays empty, except the first, which takes the first free column.
    """
    if not any(labels):
        return None
    by_label = {label: i for i, label in enumerate(labels) if i not in meta}
    columns = [by_label.get(name) for name in names]
    if columns[0] is None:
        columns[0] = next((i for i in range(width) if i not in meta), None)
    return columns


def _row_cards(
    row: list[str],
    special: dict[str, int | None],
    columns: list[int | None] | None,
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

    if columns is None:  # by position: the columns no header claims, in order
        skip = {i for i in special.values() if i is not None}
        cells = [cell for i, cell in enumerate(row) if i not in skip][:BASIC_FIELDS]
    else:
        cells = [row[c] if c is not None and c < len(row) else "" for c in columns]
    converted = [_field(cell, html) for cell in cells]
    fields = [text for text, _ in converted]
    media = tuple(dict.fromkeys(name for _, refs in converted for name in refs))
    guid = get("guid")
    deck = deck_name(get("deck")) or default_deck
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
        note = rest[0] if rest else ""
        contents = [CardContent(kind=CardKind.CLOZE, text=front, cloze_ord=n, note=note) for n in numbers]
        ords = [n - 1 for n in numbers]
    else:
        back = rest[0] if rest else ""
        note = ""
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


def _number_repeat(cards: list[CardRecord], repeats: dict[str, int]) -> None:
    """A row whose first field an earlier row of the file has is a note of its own, as Anki adds
    it: its id gets the repeat's number (`text/<hash>~2/0`), the same on every import of the file."""
    group = cards[0].group
    count = repeats[group] = repeats.get(group, 0) + 1
    if count == 1:
        return
    for card in cards:
        card.external_id = f"{group}~{count}/{card.external_id.rsplit('/', 1)[-1]}"
        card.group = f"{group}~{count}"


def _nfc(cell: str) -> str:
    """Text in Unicode's composed form, as Anki stores note text and tags."""
    if cell.isascii() or unicodedata.is_normalized("NFC", cell):
        return cell
    return unicodedata.normalize("NFC", cell)


def _field(cell: str, html: bool) -> tuple[str, list[str]]:
    """A cell's card text and the media files it references."""
    if html:
        return html_to_text(cell)
    return clean_text(cell).strip(), []


Row = tuple[str, str, str, list[str], tuple[str, ...]]  # guid, deck, note type, fields, tags


def note_rows(records: Sequence[CardRecord]) -> list[Row]:
    """One (guid, deck, notetype, fields, tags) per note. Siblings that a stock note type makes
    again (the clozes of one text, a card and its reverse) are one row; any other group (a compare
    set, an Anki note with other templates) is one row per card, so every card leaves."""
    rows: list[Row] = []
    for shape in shape_notes(records):
        if shape.kind == MULTI:
            rows.extend(_row(record.external_id, record, alone=True) for _, record in shape.cards)
        else:
            rows.append(_row(shape.key, shape.cards[0][1]))
    return rows


def _row(key: str, record: CardRecord, *, alone: bool = False) -> Row:
    """A card's note row (`alone`: a card written without its siblings: a cloze or reversed card
    as the basic card it shows, since their note types would make the siblings too)."""
    c = record.content
    if alone and c.kind in (CardKind.CLOZE, CardKind.REVERSED):
        shown = render(c)
        notetype, fields = (
            "Basic",
            [shown.question, f"{shown.answer}\n\n{c.note}" if c.note else shown.answer],
        )
    elif c.kind is CardKind.CLOZE:
        notetype, fields = "Cloze", [c.text, c.note]
    elif c.kind is CardKind.REVERSED:
        notetype, fields = "Basic (and reversed card)", [c.front, c.back]
    elif c.kind is CardKind.TYPED:
        notetype, fields = "Basic (type in the answer)", [c.front, c.correct_answer]
    else:
        notetype, fields = "Basic", [c.front, c.back]
    return guid_for(key), record.deck, notetype, fields, record.tags


def guid_for(key: str) -> str:
    """The Anki GUID of a note: kept from Anki, else derived from our stable id."""
    if key.startswith("anki/"):
        return key[len("anki/") :]
    return "t" + hashlib.sha256(key.encode()).hexdigest()[:15]


def _formula_like(cell: str) -> bool:
    core = cell.lstrip("'")
    return core.startswith(_FORMULA_START) and not _NUMBER.fullmatch(core)


def _escape_formula(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, with a `'` in front (numbers stay as they are).

    A cell already starting with `'` before such a character gets one more, so that removing
    one on import gives the text back exactly.
    """
    return "'" + cell if _formula_like(cell) else cell


def _unescape_formula(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _formula_like(cell) else cell


_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def write_text(
    path: Path, records: Sequence[CardRecord], *, delimiter: str = ",", spreadsheet_safe: bool = False
) -> int:
    """Write notes as an Anki text file with headers (plain text, html:false); returns the notes written.

    Every cell is written as it is, so that Anki stores exactly the card's text. With
    `spreadsheet_safe`, field and tag cells that start like a spreadsheet formula (`=`, `+`, `-`,
    `@`) get a leading `'` (spreadsheets show such a cell as text; ids, note types and decks stay
    as they are): trainer removes it again on import (the `#trainer formula escape` header says
    so), but Anki, which ignores that header, keeps it in the card.
    Ids starting with `#` are quoted so that Anki does not read their rows as comments.
    """
    name = {v: k for k, v in SEPARATORS.items()}[delimiter].capitalize()
    out = io.StringIO()
    out.write(f"#separator:{name}\n#html:false\n#guid column:1\n#notetype column:2\n#deck column:3\n")
    out.write("#tags column:6\n" + (f"#{ESCAPE_HEADER}:'\n" if spreadsheet_safe else ""))
    escape = _escape_formula if spreadsheet_safe else str
    writer = csv.writer(
        out, delimiter=delimiter, quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n"
    )
    rows = note_rows(records)
    for guid, deck, notetype, fields, tags in rows:
        row = [guid, notetype, deck, *(escape(c) for c in (*fields, " ".join(tags)))]
        if guid.startswith("#"):
            out.write('"' + guid.replace('"', '""') + '"' + delimiter)
            row = row[1:]
        writer.writerow(row)
    write_atomic(path, out.getvalue())
    return len(rows)
