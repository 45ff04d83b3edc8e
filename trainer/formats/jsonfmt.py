"""A complete, human-readable JSON export of a collection (and its import): the lossless backup.

Every column of the presets, decks, cards and reviews tables is written, with ids replaced
by names (preset, deck) and nesting (reviews inside their card), and times as ISO 8601 UTC
with milliseconds. Imported into an empty collection, it gives back the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from trainer.atomicfile import write_atomic
from trainer.core.cards import CardContent, clean_text
from trainer.core.columns import CARD_COLUMNS, CARD_TIMES, REVIEW_TIMES, SCHEDULE_COLUMNS
from trainer.core.scheduling import CardState, Preset
from trainer.errors import ImportRefusedError
from trainer.formats.anki_kept import read_anki_section
from trainer.formats.model import CardRecord, Package, ReviewRecord
from trainer.formats.safety import ImportFormatError

FORMAT = "trainer-collection"
VERSION = 2
MAX_BYTES = 1024**3
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MS = timedelta(milliseconds=1)
# A card's exact stored values the file carries (its id, deck, content and tags are written apart)
CARD_FIELDS = tuple(c for c in CARD_COLUMNS if c not in ("id", "external_id", "deck_id", "content", "tags"))
SCHEDULING_FIELDS = frozenset(SCHEDULE_COLUMNS)


def iso(ms: int | None) -> str | None:
    """Epoch milliseconds as exact ISO 8601 UTC."""
    return None if ms is None else (EPOCH + ms * MS).isoformat(timespec="milliseconds")


def millis(value: Any) -> int | None:
    """ISO 8601 (with zone) back to epoch milliseconds, exactly."""
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ImportRefusedError(f"time without zone: {value}")
    return (moment - EPOCH) // MS


def _moment(ms: int | None) -> datetime | None:
    return None if ms is None else EPOCH + ms * MS


def write_json(
    path: Path,
    presets: Sequence[dict[str, Any]],
    decks: Sequence[dict[str, Any]],
    cards: Iterable[dict[str, Any]],
    now: datetime,
    *,
    anki: dict[str, Any] | None = None,
) -> None:
    """Write raw table rows (times in epoch ms; cards carry `deck`, `tags` list and `reviews`)."""
    out_cards = []
    for card in cards:
        item = dict(card)
        item["content"] = json.loads(card["content"])
        for name in CARD_TIMES:
            item[name] = iso(card[name])
        item["reviews"] = [
            {**review, **{name: iso(review[name]) for name in REVIEW_TIMES}} for review in card["reviews"]
        ]
        out_cards.append(item)
    data = {
        "format": FORMAT, "version": VERSION, "exported_at": now.isoformat(),
        "presets": [
            {**p, **{k: json.loads(p[k]) for k in ("parameters", "learning_steps", "relearning_steps")}}
            for p in presets
        ],
        "decks": [{**d, "sources": json.loads(d["sources"] or "[]")} for d in decks],
        "cards": out_cards,
    }  # fmt: skip
    if anki:  # the Anki notes, note types and revlog values kept from imports (`anki_kept`)
        data["anki"] = anki
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))


def read_json(path: Path, *, scheduling: bool = True) -> Package:
    """Read a JSON export back; cards keep their exact stored values in `CardRecord.columns`.

    The file is not trusted: text is cleaned as every reader cleans it, the content hash is
    computed again, undo data keeps only what is checked (see `_undo_data`), and presets
    never replace the learner's own unless the import asks (`Package.replace_presets`)."""
    if path.stat().st_size > MAX_BYTES:
        raise ImportFormatError(path, "", "file too large")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFormatError(path, f"byte {exc.start}", "invalid UTF-8") from None
    except RecursionError:
        raise ImportFormatError(path, "", "not valid JSON (nested too deeply)") from None
    except ValueError as exc:
        raise ImportFormatError(path, "", f"not valid JSON ({str(exc)[:200]})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFormatError(path, "", f"not a trainer JSON export (format '{FORMAT}' expected)")
    if data.get("version") != VERSION:
        raise ImportFormatError(path, "", f"unsupported export version {data.get('version')!r}")
    package = Package(has_scheduling=scheduling)
    for key in ("presets", "decks", "cards"):
        if not isinstance(data.get(key, []), list):
            raise ImportFormatError(path, key, "not a list")
    for index, p in enumerate(data.get("presets", [])):
        try:
            package.presets.append(_preset(p))
        except _BAD_VALUE as exc:
            raise ImportFormatError(path, f"preset {index + 1}", f"invalid preset ({_why(exc)})") from None
    for index, d in enumerate(data.get("decks", [])):
        try:
            name, preset = d["name"], d["preset"]
            if not isinstance(name, str) or not isinstance(preset, str):
                raise ValueError("name and preset must be text")
            if d.get("external_id") is not None and not isinstance(d["external_id"], str):
                raise ValueError("external_id must be text")
            package.deck_presets[name] = preset
            package.deck_meta[name] = {
                "external_id": d.get("external_id"),
                **{key: clean_text(str(d.get(key, ""))) for key in ("description", "language", "origin")},
                "sources": json.dumps([clean_text(str(x)) for x in d.get("sources", [])]),
            }
        except _BAD_VALUE as exc:
            raise ImportFormatError(path, f"deck {index + 1}", f"invalid deck ({_why(exc)})") from None
    for index, raw in enumerate(data.get("cards", [])):
        try:
            package.cards.append(_card(raw, scheduling))
        except _BAD_VALUE as exc:
            raise ImportFormatError(path, f"card {index + 1}", f"invalid card ({_why(exc)})") from None
    if data.get("anki"):
        try:
            read_anki_section(data["anki"], package)
        except _BAD_VALUE as exc:
            raise ImportFormatError(path, "anki", f"invalid kept Anki notes ({_why(exc)})") from None
    return package


_BAD_VALUE = (TypeError, KeyError, ValueError, AttributeError, OverflowError, RecursionError)


def _why(exc: BaseException) -> str:
    """An exception as a short reason (a missing key is named as such)."""
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)[:200]


def _undo_data(raw: Any) -> str:
    """What undoing an imported review may use: the card's own earlier tags and bury end.

    Sibling card ids (`buried`) name cards of the exporting collection, so they are dropped:
    undoing an imported answer never unburies other cards. Anything unreadable is dropped."""
    if not isinstance(raw, str) or not raw or len(raw) > 100_000:
        return ""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return ""
    if not isinstance(data, dict):
        return ""
    kept: dict[str, Any] = {}
    if isinstance(data.get("tags"), str):
        kept["tags"] = clean_text(data["tags"])
    until = data.get("buried_until")
    if isinstance(until, int) and not isinstance(until, bool) and 0 <= until < 2**45:
        kept["buried_until"] = until
    return json.dumps(kept) if kept else ""


def _clean(value: Any) -> Any:
    """Content from the file cleaned like every reader's: no control or bidi characters."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_text(x) if isinstance(x, str) else x for x in value]
    return value


def _preset(p: dict[str, Any]) -> Preset:
    return Preset(
        name=str(p["name"]), parameters=tuple(float(x) for x in p["parameters"]),
        desired_retention=float(p["desired_retention"]), learning_steps=tuple(p["learning_steps"]),
        relearning_steps=tuple(p["relearning_steps"]), maximum_interval=int(p["maximum_interval"]),
        new_per_day=int(p["new_per_day"]), reviews_per_day=int(p["reviews_per_day"]),
        leech_threshold=int(p["leech_threshold"]), bury_siblings=bool(p["bury_siblings"]),
        day_start_hour=int(p["day_start_hour"]),
    )  # fmt: skip


def _review(v: dict[str, Any]) -> ReviewRecord:
    at = _moment(millis(v["reviewed_at"]))
    if at is None or not 1 <= int(v["rating"]) <= 4:
        raise ImportRefusedError("a review needs a time and a rating 1-4")
    return ReviewRecord(
        reviewed_at=at, rating=int(v["rating"]), duration_ms=int(v.get("duration_ms", 0)),
        state_before=CardState(v["state_before"]), state_after=CardState(v["state_after"]),
        due_after=_moment(millis(v.get("due_after"))), stability_after=v.get("stability_after"),
        difficulty_after=v.get("difficulty_after"), kind=str(v.get("kind", "import")),
        step_before=v.get("step_before"), stability_before=v.get("stability_before"),
        difficulty_before=v.get("difficulty_before"), due_before=_moment(millis(v.get("due_before"))),
        last_review_before=_moment(millis(v.get("last_review_before"))), step_after=v.get("step_after"),
        undo_data=_undo_data(v.get("undo_data", "")),
    )  # fmt: skip


def _card(raw: dict[str, Any], scheduling: bool) -> CardRecord:
    if not isinstance(raw.get("content"), dict):
        raise ValueError("content is not an object")
    content = CardContent.from_dict({k: _clean(x) for k, x in raw["content"].items()})
    columns: dict[str, Any] = {
        name: raw[name]
        for name in CARD_FIELDS
        if name in raw
        and name not in ("content_hash", "kind", "source")
        and (scheduling or name not in SCHEDULING_FIELDS)
    }
    for name in CARD_TIMES:
        if name in columns:
            columns[name] = millis(columns[name])
    return CardRecord(
        external_id=str(raw["external_id"]), deck=str(raw["deck"]), content=content,
        tags=tuple(clean_text(str(t)) for t in raw.get("tags", ())), group=str(raw.get("group_id", "")),
        source=clean_text(str(raw.get("source", ""))), position=int(raw.get("position", 0)),
        reviews=[_review(v) for v in raw.get("reviews", [])] if scheduling else [],
        where=f"card {raw['external_id']}", columns=columns,
    )  # fmt: skip
