"""Native TOML deck files (docs/deck-format.md): export, and import through the deck parser."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli_w

from trainer.atomicfile import write_atomic
from trainer.core.cards import CardKind, slugify
from trainer.core.deckfile import DeckFileError, DeckSpec, parse_deck_text
from trainer.formats.anki_notes import CLOZE, REVERSED, shape_notes
from trainer.formats.model import CardRecord, Package
from trainer.formats.native_compare import compare_table
from trainer.formats.safety import ImportFormatError

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def deck_id(name: str) -> str:
    """A deck id from a deck name: `Lang::French` -> `lang.french`."""
    return ".".join(slugify(part) for part in name.split("::"))


def card_id(record: CardRecord, used: set[str], *, own: bool = False) -> str:
    """A card id: the author's id for cards from deck files, else a slug of the stable id
    (`own`: of the card itself rather than of its note, for a card written on its own)."""
    key = record.external_id if own else record.group or record.external_id
    tail = key.split("/", 1)[1] if "/" in key and not key.startswith(("anki/", "text/", "md/")) else key
    if not own:
        tail = tail.split("#", 1)[0]
    candidate = tail if _ID_RE.match(tail) else slugify(tail)
    found, n = candidate, 1
    while found in used:
        n += 1
        found = f"{candidate}-{n}"
    used.add(found)
    return found


class _Sources:
    """The deck's `[[deck.sources]]` and each card's citation as a source id and section."""

    def __init__(self, known: Sequence[dict[str, Any]]) -> None:
        self.entries: list[dict[str, Any]] = [
            {k: v for k, v in s.items() if v not in ("", None)}
            for s in known
            if s.get("id") and s.get("title")
        ]
        self.by_title = {str(s["title"]): str(s["id"]) for s in self.entries}
        self.ids = {str(s["id"]) for s in self.entries}

    def cite(self, citation: str) -> dict[str, str]:
        """`source` (and `section`) keys for a card citing `citation` ("title" or "title (section)")."""
        if not citation:
            return {}
        if citation in self.by_title:
            return {"source": self.by_title[citation]}
        for title, source_id in self.by_title.items():
            if citation.startswith(f"{title} (") and citation.endswith(")"):
                return {"source": source_id, "section": citation[len(title) + 2 : -1]}
        source_id, n = slugify(citation)[:60] or "source", 1
        while source_id in self.ids:
            n += 1
            source_id = f"{slugify(citation)[:60]}-{n}"
        self.ids.add(source_id)
        self.by_title[citation] = source_id
        self.entries.append({"id": source_id, "title": citation})
        return {"source": source_id}


def _card_table(record: CardRecord, table_id: str, sources: _Sources) -> dict[str, Any]:
    """One card as its own `[[cards]]` table (a reversed card alone becomes basic)."""
    c = record.content
    table: dict[str, Any] = {"id": table_id, "kind": c.kind.value}
    if c.kind is CardKind.CLOZE:
        table["text"] = c.text
    elif c.kind is CardKind.TYPED:
        table.update(front=c.front, answers=list(c.answers or (c.back,)))
    elif c.kind is CardKind.CHOICE:
        table.update(front=c.front, answer=c.back, distractors=list(c.distractors))
    else:
        table.update(kind="basic", front=c.front, back=c.back)
    return _extras(table, record, sources)


def _extras(table: dict[str, Any], record: CardRecord, sources: _Sources) -> dict[str, Any]:
    c = record.content
    if c.hint and table["kind"] in ("basic", "typed", "choice"):
        table["hint"] = c.hint
    if c.note:
        table["note"] = c.note
    if record.tags:
        table["tags"] = list(record.tags)
    table.update(sources.cite(record.source))
    return table


def deck_tables(
    records: Sequence[CardRecord], name: str, meta: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The TOML document for one deck: a note trainer can regenerate (a cloze text, a reversed
    pair) is one table, a compare set its `[[compare]]` table when that expands to exactly its
    cards, any other group (an Anki note with several templates) one table per card, so that
    loading the file gives every card back with its id."""
    meta = meta or {}
    sources = _Sources(meta.get("sources") or [])
    cards: list[dict[str, Any]] = []
    compares: list[dict[str, Any]] = []
    used: set[str] = set()
    own_id = meta.get("id") or deck_id(name)
    for shape in shape_notes(records):
        first = shape.cards[0][1]
        if shape.kind == CLOZE and len(shape.cards) > 1:
            table = {"id": card_id(first, used), "kind": "cloze", "text": first.content.text}
            cards.append(_extras(table, first, sources))
        elif shape.kind == REVERSED:
            c = first.content
            table = {"id": card_id(first, used), "kind": "reversed", "front": c.front, "back": c.back}
            cards.append(_extras(table, first, sources))
        else:
            members = [record for _, record in shape.cards]
            compare = compare_table(shape.key, own_id, members) if len(members) > 1 else None
            if compare is not None and compare["id"] not in used:
                used.add(compare["id"])
                compare.update({"tags": list(first.tags)} if first.tags else {})
                compare.update(sources.cite(first.source))
                compares.append(compare)
                continue
            alone = len(shape.cards) > 1
            for _, record in shape.cards:
                cards.append(_card_table(record, card_id(record, used, own=alone), sources))
    deck: dict[str, Any] = {"id": own_id, "name": name}
    for key in ("description", "language"):
        if meta.get(key):
            deck[key] = meta[key]
    if sources.entries:
        deck["sources"] = sources.entries
    document: dict[str, Any] = {"deck": deck, "cards": cards}
    if compares:
        document["compare"] = compares
    return document


def write_native(
    path: Path,
    records: Sequence[CardRecord],
    deck: str | None,
    meta: dict[str, dict[str, Any]] | None = None,
    *,
    split: bool = False,
) -> list[Path]:
    """`path` itself: a deck file for one deck, a collection file (`[[decks]]`) for several; with
    `split`, one deck file per deck (`stem.DECK-ID.toml`)."""
    meta = meta or {}
    by_deck: dict[str, list[CardRecord]] = {}
    for record in records:
        by_deck.setdefault(record.deck, []).append(record)
    if not by_deck:
        write_atomic(path, tomli_w.dumps({"deck": {"id": deck_id(deck or "empty"), "name": deck or "Empty"}}))
        return [path]
    documents = {name: deck_tables(members, name, meta.get(name)) for name, members in by_deck.items()}
    if len(documents) == 1:
        write_atomic(path, tomli_w.dumps(next(iter(documents.values()))))
        return [path]
    if not split:
        write_atomic(path, tomli_w.dumps({"decks": list(documents.values())}))
        return [path]
    written = []
    for document in documents.values():
        target = path.with_name(f"{path.stem}.{document['deck']['id']}.toml")
        write_atomic(target, tomli_w.dumps(document))
        written.append(target)
    return written


def read_native(path: Path) -> Package:
    """A deck file, or a collection file of several (`[[decks]]`), as a package (ids as
    `trainer load` makes them; the decks' descriptions, languages and sources kept)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFormatError(path, "", f"unreadable ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        data = {}
    documents = data.get("decks") if isinstance(data.get("decks"), list) and "deck" not in data else None
    package = Package()
    try:
        if documents is None:
            _add_spec(package, parse_deck_text(text, str(path)))
        else:
            for index, document in enumerate(documents, 1):
                if not isinstance(document, dict):
                    raise ImportFormatError(path, f"deck {index}", "each [[decks]] entry must be a table")
                where = f"{path} (deck {index} of [[decks]])"
                _add_spec(package, parse_deck_text(tomli_w.dumps(document), where))
    except DeckFileError as exc:
        first = exc.errors[0]
        where = f"line {first.line}" if documents is None else f"{first.file}, line {first.line} of that deck"
        raise ImportFormatError(path, where, first.message) from None
    return package


def _add_spec(package: Package, spec: DeckSpec) -> None:
    package.deck_meta[spec.name] = {
        "description": spec.description,
        "language": spec.language,
        "sources": json.dumps(
            [{"id": s.id, "title": s.title, "file": s.file, "note": s.note} for s in spec.sources],
            ensure_ascii=False,
        ),
    }
    for card in spec.cards:
        package.cards.append(
            CardRecord(
                card.external_id, spec.name, card.content, card.tags, card.group, card.source,
                where=f"line {card.line}",
            )
        )  # fmt: skip
