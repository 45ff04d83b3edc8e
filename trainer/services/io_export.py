"""Reading a collection out for export: whole rows in a few Core selects, no per-row views.

Rows arrive as `trainer.core.columns` tuples, times as the stored epoch milliseconds,
converted once where a writer needs them; card content JSON is parsed once per card.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Select, Table, select, type_coerce
from sqlalchemy.orm import Session

from trainer.core.cards import CardContent
from trainer.core.columns import CARD_TIMES, REVIEW_TIMES, CardValues, ReviewValues
from trainer.core.scheduling import CardState, SchedulingState
from trainer.errors import NotFoundError
from trainer.formats.model import CardRecord, ReviewRecord
from trainer.formats.safety import safe_media_name
from trainer.services.io_bulk import driver_rows
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
_TIMES = frozenset((*CARD_TIMES, *REVIEW_TIMES))


def _stored(table: Table) -> Select[Any]:
    """Every column of `table` as stored, times as their epoch milliseconds (no conversion)."""
    return select(
        *(type_coerce(c, BigInteger).label(c.name) if c.name in _TIMES else c for c in table.columns)
    )


def _at(ms: int | None) -> datetime | None:
    return None if ms is None else EPOCH + ms * MS


def _chosen_decks(session: Session, deck: str | None) -> dict[int, str]:
    all_decks = repo.decks(session)
    chosen = repo.subtree(all_decks, deck) if deck else all_decks
    if deck and not chosen:
        raise NotFoundError(f"no deck named '{deck}'")
    return {d.id: d.name for d in chosen}


def _rows(
    session: Session, decks: dict[int, str], everything: bool
) -> tuple[list[CardValues], dict[int, list[ReviewValues]]]:
    """Whole rows of the cards of `decks` and their logs (oldest answer first), as stored;
    `everything`: the whole collection is chosen, so the log is read without a filter."""
    chosen = _stored(cards_t).where(cards_t.c.deck_id.in_(list(decks)))
    order = (cards_t.c.deck_id, cards_t.c.position, cards_t.c.id)
    cards = list(map(CardValues._make, driver_rows(session, chosen.order_by(*order))))
    history: dict[int, list[ReviewValues]] = {}
    query = _stored(reviews_t).order_by(reviews_t.c.card_id, reviews_t.c.reviewed_at, reviews_t.c.id)
    for statement in _per_card(query, [card.id for card in cards], everything):
        for review in map(ReviewValues._make, driver_rows(session, statement)):
            history.setdefault(review.card_id, []).append(review)
    return cards, history


def _per_card(query: Select[Any], ids: list[int], everything: bool) -> list[Select[Any]]:
    """A review query for these cards: unfiltered for the whole collection, else in chunks."""
    if everything:
        return [query]
    return [
        query.where(reviews_t.c.card_id.in_(ids[start : start + CHUNK]))
        for start in range(0, len(ids), CHUNK)
    ]


def _projection(table: Table, names: Sequence[str]) -> Select[Any]:
    return select(
        *(type_coerce(table.c[n], BigInteger).label(n) if n in _TIMES else table.c[n] for n in names)
    )


# What the file writers' records are made of: projections of `CARD_COLUMNS` / `REVIEW_COLUMNS`
# (tests/store/test_columns.py), unpacked in this order below. Reading whole rows as
# `CardValues` instead made a 20,000-card export read about a quarter slower.
RECORD_CARD = (
    "id", "external_id", "deck_id", "content", "tags", "group_id", "source", "position", "state", "step",
    "stability", "difficulty", "due", "last_review", "reps", "lapses", "queue", "flag", "created_at",
)  # fmt: skip
RECORD_REVIEW = (
    "card_id", "reviewed_at", "rating", "duration_ms", "state_before", "state_after", "due_after",
    "stability_after", "difficulty_after", "kind",
)  # fmt: skip
_STATES = list(CardState)


def collect_cards(db: Database, deck: str | None, *, scheduling: bool) -> list[CardRecord]:
    """The collection's cards (optionally one deck tree) as records for the file writers."""
    with db.read() as session:
        names = _chosen_decks(session, deck)
        chosen = _projection(cards_t, RECORD_CARD).where(cards_t.c.deck_id.in_(list(names)))
        rows = driver_rows(session, chosen.order_by(cards_t.c.deck_id, cards_t.c.position, cards_t.c.id))
        history: dict[int, list[ReviewRecord]] = {}
        if scheduling:
            query = _projection(reviews_t, RECORD_REVIEW).order_by(
                reviews_t.c.card_id, reviews_t.c.reviewed_at, reviews_t.c.id
            )
            for statement in _per_card(query, [row[0] for row in rows], deck is None):
                for cid, at, rating, duration, before, after, due, stability, difficulty, kind in driver_rows(
                    session, statement
                ):
                    history.setdefault(cid, []).append(
                        ReviewRecord(
                            reviewed_at=EPOCH + at * MS, rating=rating, duration_ms=duration,
                            state_before=_STATES[before], state_after=_STATES[after], due_after=_at(due),
                            stability_after=stability, difficulty_after=difficulty, kind=kind,
                        )
                    )  # fmt: skip
    split = {text: tuple(text.split()) for text in {row[4] for row in rows}}  # cards share tag sets
    records: list[CardRecord] = []
    for (
        cid, external_id, deck_id, content, tags, group, source, position, state, step, stability,
        difficulty, due, last_review, reps, lapses, queue, flag, created_at,
    ) in rows:  # fmt: skip
        records.append(
            CardRecord(
                external_id=external_id, deck=names[deck_id], content=CardContent.from_json(content),
                tags=split[tags], group=group, source=source, position=position,
                scheduling=None if not scheduling else NEW if state == 0 and not reps else SchedulingState(
                    state=_STATES[state], step=step, stability=stability, difficulty=difficulty,
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


def deck_steps(db: Database, deck: str | None) -> dict[str, tuple[int, int]]:
    """Per exported deck: how many learning and relearning steps its preset has."""
    with db.read() as session:
        names = _chosen_decks(session, deck)
        rows = session.execute(
            select(decks_t.c.name, presets_t.c.learning_steps, presets_t.c.relearning_steps)
            .join(presets_t, presets_t.c.id == decks_t.c.preset_id)
            .where(decks_t.c.id.in_(list(names)))
        ).all()
    counts: dict[str, tuple[int, int]] = {}
    for name, learn, relearn in rows:
        try:
            counts[name] = (len(json.loads(learn)), len(json.loads(relearn)))
        except (ValueError, TypeError):
            continue
    return counts


def export_json(db: Database, path: Path, now: datetime, deck: str | None) -> tuple[int, int, int]:
    """Write the lossless JSON export; (cards, notes, reviews) written."""
    from trainer.formats.jsonfmt import write_json

    with db.read() as session:
        names = _chosen_decks(session, deck)
        cards, history = _rows(session, names, everything=deck is None)
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
    reviews = sum(len(log) for log in history.values())

    def card_items() -> Iterable[dict[str, Any]]:
        for card in cards:
            item = {k: v for k, v in card._asdict().items() if k not in ("id", "deck_id", "tags")}
            item["deck"] = names[card.deck_id]
            item["tags"] = card.tags.split()
            item["reviews"] = [
                {k: v for k, v in review._asdict().items() if k not in ("id", "card_id")}
                for review in history.get(card.id, ())
            ]
            yield item

    from trainer.services.anki_keep import json_section

    anki = json_section(db, [card.external_id for card in cards])
    write_json(path, presets, decks, card_items(), now, anki=anki)
    return len(cards), len({c.group_id or c.external_id for c in cards}), reviews


def read_media(folder: Path | None, names: Iterable[str]) -> dict[str, bytes]:
    """Media files referenced by exported cards, when present in the media folder."""
    out: dict[str, bytes] = {}
    if folder is None or not folder.is_dir():
        return out
    for name in names:
        if safe_media_name(name) and (folder / name).is_file():
            out[name] = (folder / name).read_bytes()
    return out
