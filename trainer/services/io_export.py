"""Reading a collection out for export: raw columns in a few Core selects, no per-row views.

Times are selected as the stored epoch milliseconds and converted once, where a writer
needs them; card content JSON is parsed once per card.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Select, Table, select, type_coerce
from sqlalchemy.orm import Session

from trainer.core.cards import CardContent, CardKind
from trainer.core.scheduling import CardState, SchedulingState
from trainer.errors import NotFoundError
from trainer.formats.model import CardRecord, ReviewRecord
from trainer.formats.safety import safe_media_name
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import QUEUE_BURIED, QUEUE_SUSPENDED

CHUNK = 900
NEW = SchedulingState()  # shared by every new card (frozen)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MS = timedelta(milliseconds=1)
cards_t = repo.cards_t
decks_t = repo.decks_t
reviews_t = repo.reviews_t
presets_t = repo.presets_t
TIME_COLUMNS = frozenset(
    {"due", "last_review", "buried_until", "created_at", "modified_at", "reviewed_at", "due_before",
     "last_review_before", "due_after"}
)  # fmt: skip


def _raw(table: Table, skip: Iterable[str] = ()) -> list[ColumnElement[Any]]:
    """The table's columns, times as their stored integers (no datetime conversion)."""
    skipped = set(skip)
    return [
        type_coerce(c, BigInteger).label(c.name) if c.name in TIME_COLUMNS else c
        for c in table.columns
        if c.name not in skipped
    ]


def _at(ms: int | None) -> datetime | None:
    return None if ms is None else EPOCH + ms * MS


def _chosen_decks(session: Session, deck: str | None) -> dict[int, str]:
    all_decks = repo.decks(session)
    chosen = repo.subtree(all_decks, deck) if deck else all_decks
    if deck and not chosen:
        raise NotFoundError(f"no deck named '{deck}'")
    return {d.id: d.name for d in chosen}


def _card_rows(session: Session, deck_ids: Sequence[int]) -> list[Any]:
    return list(
        session.execute(
            select(*_raw(cards_t))
            .where(cards_t.c.deck_id.in_(list(deck_ids)))
            .order_by(cards_t.c.deck_id, cards_t.c.position, cards_t.c.id)
        ).all()
    )


def _review_rows(session: Session, card_ids: Sequence[int], everything: bool) -> dict[int, list[Any]]:
    """Review rows by card, oldest first (all cards at once when the whole collection is exported)."""
    query = select(*_raw(reviews_t)).order_by(reviews_t.c.card_id, reviews_t.c.reviewed_at, reviews_t.c.id)
    out: dict[int, list[Any]] = {}
    chunks = [query] if everything else [
        query.where(reviews_t.c.card_id.in_(card_ids[start : start + CHUNK]))
        for start in range(0, len(card_ids), CHUNK)
    ]  # fmt: skip
    for statement in chunks:
        for row in session.execute(statement).all():
            out.setdefault(row.card_id, []).append(row)
    return out


_RECORD_CARD = (
    "id", "external_id", "deck_id", "content", "tags", "group_id", "source", "position", "state", "step",
    "stability", "difficulty", "due", "last_review", "reps", "lapses", "queue", "flag", "created_at",
)  # fmt: skip
_RECORD_REVIEW = (
    "card_id", "reviewed_at", "rating", "duration_ms", "state_before", "state_after", "due_after",
    "stability_after", "difficulty_after", "kind",
)  # fmt: skip


_KINDS = {kind.value: kind for kind in CardKind}
_SEQUENCES = ("answers", "distractors", "media")
_loads = json.JSONDecoder().decode


def content_from_json(raw: str) -> CardContent:
    """`CardContent.from_json(raw)`, faster for the stored canonical JSON (hot on export).

    Only the keys present are passed on; anything `from_dict` would treat differently (an
    unknown key, a missing or unknown kind) takes `from_dict` itself.
    """
    data = _loads(raw)
    try:
        kind = _KINDS[data.pop("kind")]
        for key in _SEQUENCES:
            if key in data:
                data[key] = tuple(data[key])
        if "cloze_ord" in data:
            data["cloze_ord"] = int(data["cloze_ord"])
        return CardContent(kind, **data)
    except (KeyError, TypeError, AttributeError):
        return CardContent.from_json(raw)


def _driver_rows(session: Session, statement: Select[Any]) -> list[tuple[Any, ...]]:
    """A select's rows as the driver's plain tuples (no SQLAlchemy row objects: 20,000 rows add up).

    Only for selects whose columns need no result processing (ints, floats, text).
    """
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    if compiled.positional:
        args: Any = tuple(params[name] for name in compiled.positiontup or ())
    else:
        args = params
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(compiled.string, args)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _columns(table: Table, names: Sequence[str]) -> list[ColumnElement[Any]]:
    return [type_coerce(table.c[n], BigInteger).label(n) if n in TIME_COLUMNS else table.c[n] for n in names]


def collect_cards(db: Database, deck: str | None, *, scheduling: bool) -> list[CardRecord]:
    """The collection's cards (optionally one deck tree) as records for the file writers.

    Rows are unpacked as plain tuples: attribute access on 20,000 rows is measurable here.
    """
    with db.read() as session:
        names = _chosen_decks(session, deck)
        rows = _driver_rows(
            session,
            select(*_columns(cards_t, _RECORD_CARD))
            .where(cards_t.c.deck_id.in_(list(names)))
            .order_by(cards_t.c.deck_id, cards_t.c.position, cards_t.c.id),
        )
        history: dict[int, list[ReviewRecord]] = {}
        if scheduling:
            query = select(*_columns(reviews_t, _RECORD_REVIEW)).order_by(
                reviews_t.c.card_id, reviews_t.c.reviewed_at, reviews_t.c.id
            )
            ids = [r[0] for r in rows]
            statements = [query] if deck is None else [
                query.where(reviews_t.c.card_id.in_(ids[start : start + CHUNK]))
                for start in range(0, len(ids), CHUNK)
            ]  # fmt: skip
            states = list(CardState)
            for statement in statements:
                for (
                    cid,
                    at,
                    rating,
                    duration,
                    before,
                    after,
                    due,
                    stability,
                    difficulty,
                    kind,
                ) in _driver_rows(session, statement):
                    history.setdefault(cid, []).append(
                        ReviewRecord(
                            reviewed_at=EPOCH + at * MS, rating=rating, duration_ms=duration,
                            state_before=states[before], state_after=states[after], due_after=_at(due),
                            stability_after=stability, difficulty_after=difficulty, kind=kind,
                        )
                    )  # fmt: skip
    states = list(CardState)
    records: list[CardRecord] = []
    for (
        cid, external_id, deck_id, content, tags, group, source, position, state, step, stability,
        difficulty, due, last_review, reps, lapses, queue, flag, created_at,
    ) in rows:  # fmt: skip
        records.append(
            CardRecord(
                external_id=external_id, deck=names[deck_id], content=content_from_json(content),
                tags=tuple(tags.split()), group=group, source=source, position=position,
                scheduling=None if not scheduling else NEW if state == 0 and not reps else SchedulingState(
                    state=states[state], step=step, stability=stability, difficulty=difficulty,
                    due=_at(due), last_review=_at(last_review), reps=reps, lapses=lapses,
                ),
                suspended=scheduling and queue == QUEUE_SUSPENDED,
                buried=scheduling and queue == QUEUE_BURIED, flag=flag if scheduling else 0,
                reviews=history.get(cid, []), created_at=_at(created_at),
            )
        )  # fmt: skip
    return records


def deck_meta(db: Database, deck: str | None) -> dict[str, dict[str, Any]]:
    """Per exported deck: its id (the deck file's, when it came from one), description, language
    and sources (for deck files)."""
    with db.read() as session:
        names = _chosen_decks(session, deck)
        rows = session.execute(
            select(
                decks_t.c.name,
                decks_t.c.description,
                decks_t.c.language,
                decks_t.c.sources,
                decks_t.c.external_id,
            ).where(decks_t.c.id.in_(list(names)))
        ).all()
    out: dict[str, dict[str, Any]] = {}
    for name, description, language, raw, external_id in rows:
        try:
            sources = json.loads(raw or "[]")
        except ValueError:
            sources = []
        out[name] = {
            "id": external_id or "",
            "description": description or "",
            "language": language or "",
            "sources": [s for s in sources if isinstance(s, dict)] if isinstance(sources, list) else [],
        }
    return out


def deck_settings(db: Database, deck: str | None) -> tuple[dict[str, str], dict[str, list[float]], int]:
    """Per exported deck: its description and its preset's FSRS parameters; and the day-start hour
    most of those decks use (an Anki collection has one)."""
    with db.read() as session:
        names = _chosen_decks(session, deck)
        rows = session.execute(
            select(decks_t.c.name, decks_t.c.description, presets_t.c.parameters, presets_t.c.day_start_hour)
            .join(presets_t, presets_t.c.id == decks_t.c.preset_id)
            .where(decks_t.c.id.in_(list(names)))
        ).all()
    descriptions = {name: text for name, text, _, _ in rows if text}
    parameters: dict[str, list[float]] = {}
    hours: dict[int, int] = {}
    for name, _, raw, hour in rows:
        try:
            values = [float(v) for v in json.loads(raw)]
        except (ValueError, TypeError):
            values = []
        parameters[name] = values
        hours[hour] = hours.get(hour, 0) + 1
    return descriptions, parameters, max(hours, key=hours.__getitem__) if hours else 4


def export_json(db: Database, path: Path, now: datetime, deck: str | None) -> tuple[int, int, int]:
    """Write the lossless JSON export; (cards, notes, reviews) written."""
    from trainer.formats.jsonfmt import write_json

    with db.read() as session:
        names = _chosen_decks(session, deck)
        rows = _card_rows(session, list(names))
        history = _review_rows(session, [r.id for r in rows], deck is None)
        deck_rows = list(session.execute(select(decks_t).where(decks_t.c.id.in_(list(names)))))
        preset_rows = list(session.execute(select(presets_t).order_by(presets_t.c.id)))
    preset_names = {p.id: p.name for p in preset_rows}
    used = {d.preset_id for d in deck_rows}
    presets = [
        {k: v for k, v in p._mapping.items() if k != "id"}
        for p in preset_rows
        if deck is None or p.id in used
    ]
    decks = [
        {
            **{k: v for k, v in d._mapping.items() if k not in ("id", "preset_id")},
            "preset": preset_names[d.preset_id],
        }
        for d in sorted(deck_rows, key=lambda d: d.name)
    ]
    reviews = 0

    def cards() -> Iterable[dict[str, Any]]:
        nonlocal reviews
        for r in rows:
            item = {k: v for k, v in r._mapping.items() if k not in ("id", "deck_id", "tags")}
            item["deck"] = names[r.deck_id]
            item["tags"] = r.tags.split()
            log = history.get(r.id, ())
            reviews += len(log)
            item["reviews"] = [
                {k: v for k, v in x._mapping.items() if k not in ("id", "card_id")} for x in log
            ]
            yield item

    write_json(path, presets, decks, cards(), now)
    return len(rows), len({r.group_id or r.external_id for r in rows}), reviews


def read_media(folder: Path | None, names: Iterable[str]) -> dict[str, bytes]:
    """Media files referenced by exported cards, when present in the media folder."""
    out: dict[str, bytes] = {}
    if folder is None or not folder.is_dir():
        return out
    for name in names:
        if safe_media_name(name) and (folder / name).is_file():
            out[name] = (folder / name).read_bytes()
    return out
