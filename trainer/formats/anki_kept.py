"""Anki notes kept as Anki wrote them, so that an export gives Anki the same notes back.

Trainer shows an imported card as plain text; the note it came from (its note type's
templates, styling and fields, and the raw field HTML) is kept beside the cards. Exported
unchanged, such a note leaves with its own note type: Anki then renders every card exactly
as before the trip (type-in boxes, hints, conditionals, CSS, media). A note type is kept
as Anki's legacy (schema 11) JSON without its id and times, whatever schema it was read
from; the same definition is stored once.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from trainer.core.millis import to_millis
from trainer.formats import protobuf

if TYPE_CHECKING:
    from trainer.formats.model import Package

_DROPPED = ("id", "mod", "usn")  # what changes between copies of one note type


@dataclass(frozen=True)
class KeptNotetype:
    """An Anki note type: its id in the package, and its legacy JSON without id and times."""

    anki_id: int
    definition: str

    @cached_property
    def digest(self) -> str:
        """What identifies the definition (the same note type from two packages is stored once)."""
        return hashlib.sha256(self.definition.encode()).hexdigest()

    def model(self, mid: int, mod: int) -> dict[str, Any]:
        """The note type as `col.models` holds it, with id `mid`."""
        data: dict[str, Any] = json.loads(self.definition)
        data.update(id=mid, mod=mod, usn=-1)
        return data


@dataclass(frozen=True)
class KeptNote:
    """An Anki note: its note type (a `KeptNotetype.digest`) and raw fields."""

    notetype: str
    fields: tuple[str, ...]
    hashes: tuple[tuple[str, str], ...] = ()  # restored from a JSON backup: (card, hash at import)

    def renamed(self, renamed: dict[str, str]) -> KeptNote:
        """The note with media references pointing at renamed files (`old` -> `new`)."""
        fields = list(self.fields)
        for old, new in renamed.items():
            fields = [_rename(f, old, new) for f in fields]
        return KeptNote(self.notetype, tuple(fields), self.hashes)


def template_media(notetypes: Iterable[KeptNotetype], names: Iterable[str]) -> set[str]:
    """The media files note types use in their templates or CSS (a font, a logo): those named
    with Anki's leading `_` (which Anki keeps whether or not a field names them) that a
    definition mentions."""
    text = "\n".join(t.definition for t in notetypes)
    if not text:
        return set()
    return {name for name in names if name.startswith("_") and name in text}


def _rename(field: str, old: str, new: str) -> str:
    if old not in field:
        return field
    for quote in ('"', "'"):
        field = field.replace(f"src={quote}{old}{quote}", f"src={quote}{new}{quote}")
    return field.replace(f"src={old}", f"src={new}").replace(f"[sound:{old}]", f"[sound:{new}]")


def _kept(anki_id: int, model: dict[str, Any]) -> KeptNotetype:
    definition = {k: v for k, v in model.items() if k not in _DROPPED}
    return KeptNotetype(anki_id, json.dumps(definition, sort_keys=True, ensure_ascii=False))


def notetypes_11(models: dict[str, Any]) -> dict[int, KeptNotetype]:
    """Note type id -> kept note type, from `col.models` (schema 11)."""
    return {int(mid): _kept(int(mid), m) for mid, m in models.items() if isinstance(m, dict)}


def _text(value: int | bytes | None) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _number(value: int | bytes | None, default: int = 0) -> int:
    return value if isinstance(value, int) else default


def notetypes_18(conn: sqlite3.Connection, text: Callable[[object, str], str]) -> dict[int, KeptNotetype]:
    """Note type id -> kept note type, from the `notetypes`, `fields` and `templates` tables
    (schema 15 on), in the legacy JSON Anki's own legacy export writes."""
    models: dict[int, dict[str, Any]] = {}
    for ntid, name, raw in conn.execute("SELECT id, name, config FROM notetypes"):
        config = bytes(raw)
        models[int(ntid)] = {
            "name": text(name, f"notetype {ntid}"),
            "type": _number(protobuf.first(config, 1)),
            "sortf": _number(protobuf.first(config, 2)),
            "css": _text(protobuf.first(config, 3)),
            "latexPre": _text(protobuf.first(config, 5)),
            "latexPost": _text(protobuf.first(config, 6)),
            "latexsvg": bool(_number(protobuf.first(config, 7))),
            "did": None,
            "flds": [],
            "tmpls": [],
            "req": [],
            "tags": [],
            "vers": [],
        }
    for ntid, ordinal, name, raw in conn.execute(
        "SELECT ntid, ord, name, config FROM fields ORDER BY ntid, ord"
    ):
        if ntid in models:
            config = bytes(raw)
            models[ntid]["flds"].append(
                {
                    "name": text(name, f"notetype {ntid} field {ordinal}"), "ord": int(ordinal),
                    "sticky": bool(_number(protobuf.first(config, 1))),
                    "rtl": bool(_number(protobuf.first(config, 2))),
                    "font": _text(protobuf.first(config, 3)) or "Arial",
                    "size": _number(protobuf.first(config, 4), 20),
                    "description": _text(protobuf.first(config, 5)),
                    "plainText": bool(_number(protobuf.first(config, 6))),
                    "media": [],
                }
            )  # fmt: skip
    for ntid, ordinal, name, raw in conn.execute(
        "SELECT ntid, ord, name, config FROM templates ORDER BY ntid, ord"
    ):
        if ntid in models:
            config = bytes(raw)
            where = f"notetype {ntid} template {ordinal}"
            models[ntid]["tmpls"].append(
                {
                    "name": text(name, where), "ord": int(ordinal),
                    "qfmt": text(protobuf.first(config, 1) or b"", where),
                    "afmt": text(protobuf.first(config, 2) or b"", where),
                    "bqfmt": text(protobuf.first(config, 3) or b"", where),
                    "bafmt": text(protobuf.first(config, 4) or b"", where),
                    "did": None, "bfont": _text(protobuf.first(config, 6)),
                    "bsize": _number(protobuf.first(config, 7)),
                }
            )  # fmt: skip
    return {ntid: _kept(ntid, model) for ntid, model in models.items()}


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not an integer")
    return value


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("fields must be a list of text")
    return tuple(value)


def read_anki_section(section: dict[str, Any], package: Package) -> None:
    """The `anki` part of a JSON backup (kept notes, note types, revlog and card values) into `package`:
    a note keeps the content hashes of its cards at their first import, so an edit made before
    the backup still makes its note leave as trainer shows it."""
    for digest, kept in section.get("notetypes", {}).items():
        definition = kept["definition"]
        if not isinstance(definition, dict):
            raise ValueError("a note type definition must be an object")
        notetype = _kept(_int(kept["anki_id"]), definition)
        if notetype.digest != digest:
            raise ValueError(f"note type {digest[:12]}... does not match its definition")
        package.anki_notetypes[digest] = notetype
    for group, note in section.get("notes", {}).items():
        if note["notetype"] not in package.anki_notetypes:
            raise ValueError(f"note {group}: unknown note type")
        cards = note["cards"]
        if not isinstance(cards, dict) or not all(isinstance(v, str) for v in cards.values()):
            raise ValueError(f"note {group}: cards must map card ids to hashes")
        package.anki_notes[str(group)] = KeptNote(
            note["notetype"], _texts(note["fields"]), tuple(sorted((str(k), v) for k, v in cards.items()))
        )
    kept_cards = section.get("cards", {})
    if kept_cards:
        for card in package.cards:
            values = kept_cards.get(card.external_id)
            if values is not None:
                ivl, factor, reps = values
                card.anki_card = (_int(ivl), _int(factor), _int(reps))
    revlog = section.get("revlog", {})
    if not revlog:
        return
    for card in package.cards:
        rows = revlog.get(card.external_id)
        if not rows:
            continue
        by_time: dict[int, tuple[int, int, int | None, int | None]] = {}
        for at, factor, rtype, ivl, last_ivl in rows:
            by_time[_int(at)] = (
                _int(factor),
                _int(rtype),
                None if ivl is None else _int(ivl),
                None if last_ivl is None else _int(last_ivl),
            )
        card.reviews = [
            replace(r, anki=by_time[key]) if (key := to_millis(r.reviewed_at)) in by_time else r
            for r in card.reviews
        ]
