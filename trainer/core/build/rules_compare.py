"""Compare sets: the same items described on the same facets (tables, labelled bullets)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import capitalise, plain

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_LABEL = re.compile(r"^(?P<label>[^:;]{1,40}?)\s*:\s+(?P<value>\S.*)$")


@dataclass(frozen=True)
class CompareDraft:
    """A compare set before ids and sources are attached."""

    title: str
    items: list[str]
    facets: dict[str, list[str]]


def _cells(row: str) -> list[str]:
    """The plain-text cells of one Markdown table row."""
    row = row.strip()
    row = row.removeprefix("|").removesuffix("|")
    return [plain(cell) for cell in re.split(r"(?<!\\)\|", row)]


def table_compare(rows: list[str], title: str) -> CompareDraft | str:
    """A compare set from a Markdown table (first column = items), or a reason."""
    if len(rows) < 4 or not _SEPARATOR.match(rows[1]):
        return "table too small for a compare set"
    header = _cells(rows[0])
    body = [_cells(row) for row in rows[2:]]
    if len(header) < 2 or any(len(cells) != len(header) for cells in body):
        return "ragged table (rows and header differ in length)"
    if not all(header[1:]) or len(set(h.casefold() for h in header[1:])) != len(header) - 1:
        return "table header has empty or repeated facet names"
    items = [cells[0] for cells in body]
    if not all(items) or len(set(i.casefold() for i in items)) != len(items):
        return "table has empty or repeated item names"
    if any(not cell for cells in body for cell in cells):
        return "table has empty cells"
    facets = {capitalise(h): [cells[col] for cells in body] for col, h in enumerate(header) if col}
    return CompareDraft(plain(title) or capitalise(header[0]), items, facets)


def bullets_compare(items: list[str], title: str) -> CompareDraft | str:
    """A compare set from bullets like "Item: description; facet: value; facet: value"."""
    if len(items) < 2 or not title:
        return "not a compare list"
    default = "Description"
    names: list[str] = []
    rows: list[dict[str, str]] = []
    for raw in items:
        text = plain(raw).rstrip(".")
        head = _LABEL.match(text)
        if not head or ";" not in head.group("value"):
            return "not a compare list"
        names.append(head.group("label"))
        row: dict[str, str] = {}
        for position, segment in enumerate(head.group("value").split(";")):
            segment = segment.strip()
            labelled = _LABEL.match(segment)
            if labelled:
                row[capitalise(labelled.group("label"))] = capitalise(labelled.group("value").strip())
            elif position == 0 and segment:
                row[default] = capitalise(segment)
            else:
                return "not a compare list (unlabelled value)"
        rows.append(row)
    keys = [k.casefold() for k in rows[0]]
    if any(sorted(k.casefold() for k in row) != sorted(keys) for row in rows):
        return "items are not described on the same facets"
    if len(set(n.casefold() for n in names)) != len(names) or not any(k != "description" for k in keys):
        return "not a compare list"
    facets: dict[str, list[str]] = {}
    for name in rows[0]:
        facets[name] = [next(v for k, v in row.items() if k.casefold() == name.casefold()) for row in rows]
    if any(not v for values in facets.values() for v in values):
        return "compare list has empty values"
    return CompareDraft(plain(title), names, facets)
