"""Compare-set cards back into the `[[compare]]` table they were generated from (TOML export).

A group is written as a compare set only when expanding the rebuilt table gives exactly its
cards (same ids, same content); otherwise the caller writes the cards one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trainer.core.cards import CardContent, slugify
from trainer.core.compare import CompareSet, expand
from trainer.formats.model import CardRecord

_DIRECTIONS: tuple[str | None, ...] = (None, "both", "what", "which")  # None: the set's default


def compare_table(key: str, deck_id: str, records: Sequence[CardRecord]) -> dict[str, Any] | None:
    """The `[[compare]]` table (without tags and source) whose cards are `records`, or None."""
    title = records[0].content.group_title
    if not title or not key.startswith(f"{deck_id}/") or "/" in key[len(deck_id) + 1 :]:
        return None
    first = records[0]
    if any(
        r.content.group_title != title or r.tags != first.tags or r.source != first.source for r in records
    ):
        return None
    values: dict[str, dict[str, str]] = {}  # facet -> item -> value
    items: dict[str, None] = {}
    for record in records:
        parsed = _parse(key, title, record)
        if parsed is None:
            return None
        facet, item, value = parsed
        values.setdefault(facet, {})[item] = value
        items.setdefault(item)
    names = list(items)
    if any(set(by_item) != set(names) for by_item in values.values()):
        return None
    table = {facet: [by_item[i] for i in names] for facet, by_item in values.items()}
    wanted = {r.external_id: r.content for r in records}
    directions: dict[str, str] = {}
    for facet, column in table.items():
        mine = {k: c for k, c in wanted.items() if k.split("/")[-2] == slugify(facet)}
        for direction in _DIRECTIONS:
            chosen = {facet: direction} if direction else {}
            if _cards(CompareSet(key, title, names, {facet: column}, chosen)) == mine:
                if direction:
                    directions[facet] = direction
                break
        else:
            return None
    if _cards(CompareSet(key, title, names, table, directions)) != wanted:
        return None
    out: dict[str, Any] = {"id": key[len(deck_id) + 1 :], "title": title, "items": names, "facets": table}
    if directions:
        out["directions"] = directions
    return out


def _cards(spec: CompareSet) -> dict[str, CardContent]:
    return dict(expand(spec))


def _parse(key: str, title: str, record: CardRecord) -> tuple[str, str, str] | None:
    """(facet, item, value) from a generated card's id and text."""
    parts = record.external_id[len(key) + 1 :].split("/") if record.external_id.startswith(f"{key}/") else []
    if len(parts) != 3:
        return None
    item_slug, facet_slug, direction = parts
    c = record.content
    if direction == "what":
        middle = _between(c.front, f"{title} - ", "?")
        for left, right in _splits(middle):
            if slugify(left) == item_slug and slugify(right) == facet_slug:
                return right, left, c.back
    elif direction == "which":
        middle = _between(c.front, f"{title} - which has ", "?")
        for left, right in _splits(middle):
            if slugify(left) == facet_slug and slugify(c.back) == item_slug:
                return left, c.back, right
    return None


def _between(text: str, start: str, end: str) -> str:
    return text[len(start) : -len(end)] if text.startswith(start) and text.endswith(end) else ""


def _splits(text: str) -> list[tuple[str, str]]:
    """Every way to read `text` as "left: right"."""
    out = []
    at = text.find(": ")
    while at != -1:
        out.append((text[:at], text[at + 2 :]))
        at = text.find(": ", at + 1)
    return out
