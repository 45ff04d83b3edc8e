"""Native TOML deck files (docs/deck-format.md): export, and import through the deck parser."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli_w

from trainer.atomicfile import write_atomic
from trainer.core.cards import CardKind, slugify
from trainer.core.deckfile import DeckFileError, parse_deck_file
from trainer.formats.model import CardRecord, Package
from trainer.formats.safety import ImportFormatError

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def deck_id(name: str) -> str:
    """A deck id from a deck name: `Lang::French` -> `lang.french`."""
    return ".".join(slugify(part) for part in name.split("::"))


def card_id(record: CardRecord, used: set[str]) -> str:
    """A card id: the author's id for cards from deck files, else a slug of the stable id."""
    key = record.group or record.external_id
    tail = key.split("/", 1)[1] if "/" in key and not key.startswith(("anki/", "text/", "md/")) else key
    tail = tail.split("#", 1)[0]
    candidate = tail if _ID_RE.match(tail) else slugify(tail)
    found, n = candidate, 1
    while found in used:
        n += 1
        found = f"{candidate}-{n}"
    used.add(found)
    return found


def deck_tables(records: Sequence[CardRecord], name: str) -> dict[str, Any]:
    """The TOML document for one deck."""
    cards: list[dict[str, Any]] = []
    used: set[str] = set()
    seen: set[str] = set()
    for record in records:
        key = record.group or record.external_id
        if key in seen:
            continue
        seen.add(key)
        c = record.content
        table: dict[str, Any] = {"id": card_id(record, used), "kind": c.kind.value}
        if c.kind is CardKind.CLOZE:
            table["text"] = c.text
        elif c.kind is CardKind.TYPED:
            table.update(front=c.front, answers=list(c.answers or (c.back,)))
        elif c.kind is CardKind.CHOICE:
            table.update(front=c.front, answer=c.back, distractors=list(c.distractors))
        elif c.kind is CardKind.REVERSED and record.external_id.endswith(("#rev", "/1")):
            table.update(front=c.back, back=c.front)
        else:
            table.update(front=c.front, back=c.back)
        if c.hint and c.kind is not CardKind.CLOZE and c.kind is not CardKind.REVERSED:
            table["hint"] = c.hint
        if c.note:
            table["note"] = c.note
        if record.tags:
            table["tags"] = list(record.tags)
        cards.append(table)
    return {"deck": {"id": deck_id(name), "name": name}, "cards": cards}


def write_native(path: Path, records: Sequence[CardRecord], deck: str | None) -> list[Path]:
    """One deck file per deck: `path` itself when there is one deck, else `stem.DECK-ID.toml`."""
    by_deck: dict[str, list[CardRecord]] = {}
    for record in records:
        by_deck.setdefault(record.deck, []).append(record)
    written = []
    for name, members in by_deck.items():
        target = path if len(by_deck) == 1 else path.with_name(f"{path.stem}.{deck_id(name)}.toml")
        write_atomic(target, tomli_w.dumps(deck_tables(members, name)))
        written.append(target)
    if not by_deck:
        write_atomic(path, tomli_w.dumps({"deck": {"id": deck_id(deck or "empty"), "name": deck or "Empty"}}))
        written.append(path)
    return written


def read_native(path: Path) -> Package:
    """A deck file as a package (ids as `trainer load` makes them)."""
    try:
        spec = parse_deck_file(path)
    except DeckFileError as exc:
        first = exc.errors[0]
        raise ImportFormatError(path, f"line {first.line}", first.message) from None
    package = Package()
    for card in spec.cards:
        package.cards.append(
            CardRecord(
                card.external_id,
                spec.name,
                card.content,
                card.tags,
                card.group,
                card.source,
                where=f"line {card.line}",
            )
        )
    return package
