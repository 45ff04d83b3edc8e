"""A complete, human-readable JSON export of cards, presets and review log (and its import)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from trainer.core.cards import CardContent
from trainer.core.scheduling import CardState, Preset, SchedulingState
from trainer.formats.model import CardRecord, Package, ReviewRecord
from trainer.formats.safety import ImportFormatError

FORMAT = "trainer-collection"
VERSION = 1
MAX_BYTES = 1024**3


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def write_json(path: Path, records: Sequence[CardRecord], presets: Sequence[Preset], now: datetime) -> None:
    """Write everything needed to rebuild these cards in an empty collection."""
    cards = []
    for r in records:
        s = r.scheduling
        cards.append({
            "external_id": r.external_id, "deck": r.deck, "content": r.content.to_dict(), "tags": list(r.tags),
            "group": r.group, "source": r.source, "position": r.position, "flag": r.flag,
            "suspended": r.suspended, "buried": r.buried,
            "scheduling": None if s is None else {
                "state": int(s.state), "step": s.step, "stability": s.stability, "difficulty": s.difficulty,
                "due": _iso(s.due), "last_review": _iso(s.last_review), "reps": s.reps, "lapses": s.lapses,
            },
            "reviews": [
                {"reviewed_at": _iso(v.reviewed_at), "rating": v.rating, "duration_ms": v.duration_ms,
                 "state_before": int(v.state_before), "state_after": int(v.state_after), "due_after": _iso(v.due_after),
                 "stability_after": v.stability_after, "difficulty_after": v.difficulty_after, "kind": v.kind}
                for v in r.reviews
            ],
        })  # fmt: skip
    data = {
        "format": FORMAT, "version": VERSION, "exported_at": now.isoformat(),
        "presets": [{**asdict(p), "parameters": list(p.parameters)} for p in presets], "cards": cards,
    }  # fmt: skip
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_json(path: Path, *, scheduling: bool = True) -> Package:
    """Read a JSON export back."""
    if path.stat().st_size > MAX_BYTES:
        raise ImportFormatError(path, "", "file too large")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFormatError(path, f"byte {exc.start}", "invalid UTF-8") from None
    except ValueError as exc:
        raise ImportFormatError(path, "", f"not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFormatError(path, "", f"not a trainer JSON export (format '{FORMAT}' expected)")
    package = Package(has_scheduling=scheduling)
    try:
        for p in data.get("presets", []):
            package.presets.append(Preset(**{**p, "parameters": tuple(p["parameters"]),
                "learning_steps": tuple(p["learning_steps"]), "relearning_steps": tuple(p["relearning_steps"])}))  # fmt: skip
    except (TypeError, KeyError) as exc:
        raise ImportFormatError(path, "presets", f"invalid preset ({exc})") from None
    for index, raw in enumerate(data.get("cards", [])):
        try:
            package.cards.append(_card(raw))
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            raise ImportFormatError(path, f"card {index + 1}", f"invalid card ({exc})") from None
    return package


def _card(raw: dict[str, Any]) -> CardRecord:
    s = raw.get("scheduling")
    state = None
    if s:
        state = SchedulingState(
            state=CardState(s["state"]), step=s.get("step"), stability=s.get("stability"),
            difficulty=s.get("difficulty"), due=_time(s.get("due")), last_review=_time(s.get("last_review")),
            reps=int(s.get("reps", 0)), lapses=int(s.get("lapses", 0)),
        )  # fmt: skip
    reviews = [
        ReviewRecord(
            reviewed_at=_time(v["reviewed_at"]), rating=int(v["rating"]), duration_ms=int(v.get("duration_ms", 0)),  # type: ignore[arg-type]
            state_before=CardState(v["state_before"]), state_after=CardState(v["state_after"]),
            due_after=_time(v.get("due_after")), stability_after=v.get("stability_after"),
            difficulty_after=v.get("difficulty_after"), kind=str(v.get("kind", "import")),
        )
        for v in raw.get("reviews", [])
    ]  # fmt: skip
    if any(not 1 <= r.rating <= 4 for r in reviews):
        raise ValueError("rating must be 1-4")
    return CardRecord(
        external_id=str(raw["external_id"]), deck=str(raw["deck"]), content=CardContent.from_dict(raw["content"]),
        tags=tuple(raw.get("tags", ())), group=str(raw.get("group", "")), source=str(raw.get("source", "")),
        position=int(raw.get("position", 0)), scheduling=state, suspended=bool(raw.get("suspended")),
        buried=bool(raw.get("buried")), flag=int(raw.get("flag", 0)), reviews=reviews,
        where=f"card {raw['external_id']}",
    )  # fmt: skip
