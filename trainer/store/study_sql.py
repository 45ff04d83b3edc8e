"""The study path's queries as plain SQL over a `RawDB` (no SQLAlchemy): cards, decks, counts, log.

Every query here is a range scan of one of the cards indexes ((deck, queue, due),
(deck, queue, position), (queue, buried_until)) or of the reviews' time index; counts
are bounded by the daily limits so they read a few index entries, not every card.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from trainer.core.queue import Key
from trainer.core.scheduling import Preset
from trainer.store.rawdb import RawDB, placeholders
from trainer.store.rows import DeckEntry
from trainer.store.values import QUEUE_BURIED

CARD_FIELDS = (
    "id, external_id, deck_id, content, tags, source, group_id, state, step, stability, difficulty, "
    "due, last_review, reps, lapses, queue, flag, buried_until, position"
)


class CardRecord(NamedTuple):
    """A card row as the study path reads it (times in epoch ms)."""

    id: int
    external_id: str
    deck_id: int
    content: str
    tags: str
    source: str
    group_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: int | None
    last_review: int | None
    reps: int
    lapses: int
    queue: int
    flag: int
    buried_until: int | None
    position: int


class ReviewRecord(NamedTuple):
    """The columns of a log row that undo needs."""

    id: int
    card_id: int
    reviewed_at: int
    rating: int
    state_before: int
    step_before: int | None
    stability_before: float | None
    difficulty_before: float | None
    due_before: int | None
    last_review_before: int | None
    undo_data: str


class DeckCounts(NamedTuple):
    """What one deck's own cards (not its subdecks') have due before a time."""

    new: int
    learning: int
    review: int
    next_due: int | None


CARD_BY_ID = f"SELECT {CARD_FIELDS} FROM cards WHERE id = ?"


def load_card(db: RawDB, card_id: int) -> CardRecord | None:
    """One card, or None (inside the caller's transaction)."""
    row = db.one(CARD_BY_ID, (card_id,))
    return None if row is None else CardRecord(*row)


def read_card(db: RawDB, card_id: int) -> CardRecord | None:
    """One card, or None, read on its own."""
    row = db.one_alone(CARD_BY_ID, (card_id,))
    return None if row is None else CardRecord(*row)


def decks(db: RawDB) -> list[DeckEntry]:
    """Every deck, sorted by name."""
    rows = db.all("SELECT id, name, external_id, preset_id FROM decks ORDER BY name")
    return [DeckEntry(*row) for row in rows]


def presets(db: RawDB) -> dict[int, Preset]:
    """Every preset by id."""
    rows = db.all(
        "SELECT id, name, parameters, desired_retention, learning_steps, relearning_steps, maximum_interval, "
        "new_per_day, reviews_per_day, leech_threshold, bury_siblings, day_start_hour FROM presets"
    )
    return {
        row[0]: Preset(
            name=row[1],
            parameters=tuple(json.loads(row[2])),
            desired_retention=row[3],
            learning_steps=tuple(json.loads(row[4])),
            relearning_steps=tuple(json.loads(row[5])),
            maximum_interval=row[6],
            new_per_day=row[7],
            reviews_per_day=row[8],
            leech_threshold=row[9],
            bury_siblings=bool(row[10]),
            day_start_hour=row[11],
        )
        for row in rows
    }


def deck_counts(
    db: RawDB, deck_id: int, cutoff: int, learn_until: int, new_cap: int, review_cap: int
) -> DeckCounts:
    """A deck's own due counts: new (at most `new_cap`), learning due before `learn_until`,
    reviews due before `cutoff` (at most `review_cap`), and the earliest due learning or
    review card."""
    row = db.one(
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM cards WHERE deck_id = ? AND queue = 0 LIMIT ?) AS n),"
        " (SELECT count(*) FROM cards WHERE deck_id = ? AND queue IN (1, 3) AND due < ?),"
        " (SELECT count(*) FROM"
        "  (SELECT 1 FROM cards WHERE deck_id = ? AND queue = 2 AND due < ? LIMIT ?) AS r),"
        " (SELECT min(due) FROM cards WHERE deck_id = ? AND queue IN (1, 2, 3))",
        (deck_id, new_cap, deck_id, learn_until, deck_id, cutoff, review_cap, deck_id),
    )
    return DeckCounts(*row)


def deck_totals(db: RawDB) -> dict[int, int]:
    """How many cards each deck holds (its own, not its subdecks')."""
    return {int(d): int(n) for d, n in db.all("SELECT deck_id, count(*) FROM cards GROUP BY deck_id")}


def done_today_by_deck(db: RawDB, since: int) -> dict[tuple[int, int], int]:
    """Answers since `since` (ms), by (deck, state before the answer)."""
    rows = db.all(
        "SELECT c.deck_id, r.state_before, count(*) FROM reviews r JOIN cards c ON c.id = r.card_id"
        " WHERE r.reviewed_at >= ? AND r.kind = 'review' GROUP BY c.deck_id, r.state_before",
        (since,),
    )
    return {(int(d), int(s)): int(n) for d, s, n in rows}


def new_keys(db: RawDB, deck_id: int, limit: int) -> list[Key]:
    """The first `limit` new cards of a deck as (position, id), in order."""
    rows = db.all(
        "SELECT position, id FROM cards WHERE deck_id = ? AND queue = 0 ORDER BY position, id LIMIT ?",
        (deck_id, limit),
    )
    return [(int(p), int(i)) for p, i in rows]


def review_keys(db: RawDB, deck_id: int, before: int, limit: int) -> list[Key]:
    """The first `limit` reviews of a deck due before `before` as (due, id), in order."""
    rows = db.all(
        "SELECT due, id FROM cards WHERE deck_id = ? AND queue = 2 AND due < ? ORDER BY due, id LIMIT ?",
        (deck_id, before, limit),
    )
    return [(int(d), int(i)) for d, i in rows]


def learning_keys(db: RawDB, deck_ids: Sequence[int]) -> list[Key]:
    """Every (re)learning card of these decks as (due, id), in order."""
    rows = db.all(
        f"SELECT due, id FROM cards WHERE deck_id IN ({placeholders(len(deck_ids))}) AND queue IN (1, 3)",
        tuple(deck_ids),
    )
    return sorted((int(d), int(i)) for d, i in rows)


def first_burial_end(db: RawDB) -> int | None:
    """When the earliest burial ends (ms), if any card is buried."""
    value = db.scalar("SELECT min(buried_until) FROM cards WHERE queue = ?", (QUEUE_BURIED,))
    return None if value is None else int(value)


def has_expired_burials(db: RawDB, now: int) -> bool:
    """Whether any buried card's day is over."""
    found = db.one("SELECT 1 FROM cards WHERE queue = ? AND buried_until <= ? LIMIT 1", (QUEUE_BURIED, now))
    return found is not None


def unbury_expired(db: RawDB, now: int) -> int:
    """Return buried cards whose day is over to their queue."""
    return db.run(
        "UPDATE cards SET queue = state, buried_until = NULL WHERE queue = ? AND buried_until <= ?",
        (QUEUE_BURIED, now),
    )


_CARD_UPDATABLE = frozenset(
    {"state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses", "queue",
     "buried_until", "modified_at", "tags"}
)  # fmt: skip


def update_card(db: RawDB, card_id: int, values: dict[str, Any]) -> int:
    """Set columns of one card (names from a fixed list); rows changed."""
    unknown = set(values) - _CARD_UPDATABLE
    if unknown:
        raise ValueError(f"not a card column the study path may set: {sorted(unknown)}")
    names = list(values)
    assignments = ", ".join(f"{name} = ?" for name in names)
    return db.run(f"UPDATE cards SET {assignments} WHERE id = ?", (*(values[n] for n in names), card_id))


REVIEW_INSERT = (
    "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, kind, state_before, step_before,"
    " stability_before, difficulty_before, due_before, last_review_before, state_after, step_after,"
    " stability_after, difficulty_after, due_after, undo_data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def insert_review(db: RawDB, values: Sequence[Any]) -> int:
    """Append a log row (columns in `REVIEW_INSERT` order); its id."""
    return db.insert(REVIEW_INSERT, values)


def last_review(db: RawDB) -> ReviewRecord | None:
    """The newest answer in the log (quiz answers and imports are not answers), or None."""
    row = db.one(
        "SELECT id, card_id, reviewed_at, rating, state_before, step_before, stability_before,"
        " difficulty_before, due_before, last_review_before, undo_data FROM reviews"
        " WHERE kind = 'review' ORDER BY id DESC LIMIT 1"
    )
    return None if row is None else ReviewRecord(*row)


def delete_review(db: RawDB, review_id: int) -> None:
    """Remove one log row (undo only)."""
    db.run("DELETE FROM reviews WHERE id = ?", (review_id,))


def active_siblings(db: RawDB, group_id: str, card_id: int) -> list[tuple[int, int, int]]:
    """Other new or review cards of a sibling group as (id, deck, queue)."""
    rows = db.all(
        "SELECT id, deck_id, queue FROM cards WHERE group_id = ? AND id != ? AND queue IN (0, 2)",
        (group_id, card_id),
    )
    return [(int(i), int(d), int(q)) for i, d, q in rows]


def bury_cards(db: RawDB, card_ids: Sequence[int], until: int) -> None:
    """Bury cards until a time (ms)."""
    db.run(
        f"UPDATE cards SET queue = ?, buried_until = ? WHERE id IN ({placeholders(len(card_ids))})",
        (QUEUE_BURIED, until, *card_ids),
    )


def unbury_cards(db: RawDB, card_ids: Sequence[int]) -> None:
    """Return those of these cards that are still buried to their queue."""
    db.run(
        "UPDATE cards SET queue = state, buried_until = NULL"
        f" WHERE queue = ? AND id IN ({placeholders(len(card_ids))})",
        (QUEUE_BURIED, *card_ids),
    )


def next_due(db: RawDB, deck_ids: Sequence[int]) -> int | None:
    """When the next learning or review card of these decks is due (ms)."""
    value = db.scalar(
        f"SELECT min(due) FROM cards WHERE deck_id IN ({placeholders(len(deck_ids))}) AND queue IN (1, 2, 3)",
        tuple(deck_ids),
    )
    return None if value is None else int(value)
