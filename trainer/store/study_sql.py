"""The plain-SQL queries (no SQLAlchemy): cards, decks, presets, counts, log and meta.

The study path runs them on its `RawDB`; the ORM services run the same functions inside
their session's transaction (`trainer.store.repo.sql(session)`), so each read or write of
a deck list, the presets, one card or a collection fact is written once.

Every study query here is a range scan of one of the cards indexes ((deck, queue, due),
(deck, queue, position), (queue, buried_until)) or of the reviews' time index; counts
are bounded by the daily limits so they read a few index entries, not every card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any, NamedTuple

from trainer.core.columns import CARD_COLUMNS, REVIEW_COLUMNS, CardValues, ReviewValues
from trainer.core.queue import Key
from trainer.core.scheduling import Preset
from trainer.store.rawdb import Queries, RawDB, placeholders
from trainer.store.rows import PRESET_COLUMNS, REVIEW_INSERT_COLUMNS, DeckEntry, ReviewInsert, preset_from_row
from trainer.store.values import QUEUE_BURIED


class DeckCounts(NamedTuple):
    """What one deck's own cards (not its subdecks') have due before a time."""

    new: int
    learning: int
    review: int
    next_due: int | None


CARD_FIELDS = ", ".join(CARD_COLUMNS)  # cards are read whole, as `CardValues` (trainer.core.columns)
CARD_BY_ID = f"SELECT {CARD_FIELDS} FROM cards WHERE id = ?"


def load_card(db: Queries, card_id: int) -> CardValues | None:
    """One card, or None (inside the caller's transaction)."""
    row = db.one(CARD_BY_ID, (card_id,))
    return None if row is None else CardValues(*row)


def read_card(db: RawDB, card_id: int) -> CardValues | None:
    """One card, or None, read on its own."""
    row = db.one_alone(CARD_BY_ID, (card_id,))
    return None if row is None else CardValues(*row)


def read_cards(db: Queries, card_ids: Sequence[int]) -> list[CardValues]:
    """The cards `card_ids` that exist, by id (read in chunks of 500)."""
    found: list[CardValues] = []
    for start in range(0, len(card_ids), 500):
        chunk = card_ids[start : start + 500]
        rows = db.all(
            f"SELECT {CARD_FIELDS} FROM cards WHERE id IN ({placeholders(len(chunk))}) ORDER BY id",
            tuple(chunk),
        )
        found.extend(CardValues(*row) for row in rows)
    return found


DECKS = f"SELECT {', '.join(f.name for f in fields(DeckEntry))} FROM decks ORDER BY name"


def decks(db: Queries) -> list[DeckEntry]:
    """Every deck, sorted by name."""
    return [DeckEntry(*row) for row in db.all(DECKS)]


PRESETS = f"SELECT id, {', '.join(PRESET_COLUMNS)} FROM presets"


def presets(db: Queries) -> dict[int, Preset]:
    """Every preset by id."""
    return {int(row[0]): preset_from_row(row[1:]) for row in db.all(PRESETS)}


def preset_id(db: Queries, name: str) -> int | None:
    """The id of the preset called `name`, or None."""
    found = db.scalar("SELECT id FROM presets WHERE name = ?", (name,))
    return None if found is None else int(found)


def meta(db: Queries, key: str) -> str | None:
    """A stored collection fact, or None."""
    value = db.scalar("SELECT value FROM meta WHERE key = ?", (key,))
    return None if value is None else str(value)


def set_meta(db: Queries, key: str, value: str) -> None:
    """Store a collection fact (inside a write transaction)."""
    db.run(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def delete_meta(db: Queries, key: str) -> bool:
    """Forget a collection fact; whether it was there."""
    return db.run("DELETE FROM meta WHERE key = ?", (key,)) > 0


def meta_and_newest_answer(db: RawDB, key: str) -> tuple[str | None, int]:
    """A collection fact and `newest_answer_id`, read in one statement of its own (what every
    undo checks first: no transaction to begin and end)."""
    value, newest = db.one_alone(
        "SELECT (SELECT value FROM meta WHERE key = ?), (SELECT max(id) FROM reviews WHERE kind = 'review')",
        (key,),
    )
    return (None if value is None else str(value)), (0 if newest is None else int(newest))


def schema_revision(db: Queries) -> str | None:
    """The collection's Alembic revision, or None."""
    value = db.scalar("SELECT version_num FROM alembic_version")
    return None if value is None else str(value)


def newest_answer_id(db: Queries) -> int:
    """The id of the newest answer in the log (0 when there is none)."""
    value = db.scalar("SELECT max(id) FROM reviews WHERE kind = 'review'")
    return 0 if value is None else int(value)


def deck_counts(
    db: Queries, deck_id: int, cutoff: int, learn_until: int, new_cap: int, review_cap: int
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


def deck_totals(db: Queries) -> dict[int, int]:
    """How many cards each deck holds (its own, not its subdecks')."""
    return {int(d): int(n) for d, n in db.all("SELECT deck_id, count(*) FROM cards GROUP BY deck_id")}


def done_today_by_deck(db: Queries, since: int) -> dict[tuple[int, int], int]:
    """Answers since `since` (ms), by (deck, state before the answer)."""
    rows = db.all(
        "SELECT c.deck_id, r.state_before, count(*) FROM reviews r JOIN cards c ON c.id = r.card_id"
        " WHERE r.reviewed_at >= ? AND r.kind = 'review' GROUP BY c.deck_id, r.state_before",
        (since,),
    )
    return {(int(d), int(s)): int(n) for d, s, n in rows}


def new_keys(db: Queries, deck_id: int, limit: int) -> list[Key]:
    """The first `limit` new cards of a deck as (position, id), in order."""
    rows = db.all(
        "SELECT position, id FROM cards WHERE deck_id = ? AND queue = 0 ORDER BY position, id LIMIT ?",
        (deck_id, limit),
    )
    return [(int(p), int(i)) for p, i in rows]


def review_keys(db: Queries, deck_id: int, before: int, limit: int) -> list[Key]:
    """The first `limit` reviews of a deck due before `before` as (due, id), in order."""
    rows = db.all(
        "SELECT due, id FROM cards WHERE deck_id = ? AND queue = 2 AND due < ? ORDER BY due, id LIMIT ?",
        (deck_id, before, limit),
    )
    return [(int(d), int(i)) for d, i in rows]


def learning_keys(db: Queries, deck_ids: Sequence[int]) -> list[Key]:
    """Every (re)learning card of these decks as (due, id), in order."""
    rows = db.all(
        f"SELECT due, id FROM cards WHERE deck_id IN ({placeholders(len(deck_ids))}) AND queue IN (1, 3)",
        tuple(deck_ids),
    )
    return sorted((int(d), int(i)) for d, i in rows)


def first_burial_end(db: Queries) -> int | None:
    """When the earliest burial ends (ms), if any card is buried."""
    value = db.scalar("SELECT min(buried_until) FROM cards WHERE queue = ?", (QUEUE_BURIED,))
    return None if value is None else int(value)


def has_expired_burials(db: Queries, now: int) -> bool:
    """Whether any buried card's day is over."""
    found = db.one("SELECT 1 FROM cards WHERE queue = ? AND buried_until <= ? LIMIT 1", (QUEUE_BURIED, now))
    return found is not None


def unbury_expired(db: Queries, now: int) -> int:
    """Return buried cards whose day is over to their queue."""
    return db.run(
        "UPDATE cards SET queue = state, buried_until = NULL WHERE queue = ? AND buried_until <= ?",
        (QUEUE_BURIED, now),
    )


_CARD_UPDATABLE = frozenset(
    {"state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses", "queue",
     "buried_until", "modified_at", "tags", "flag", "content", "content_hash", "kind"}
)  # fmt: skip


def update_card(db: Queries, card_id: int, values: dict[str, Any]) -> int:
    """Set columns of one card (names from a fixed list, times in epoch ms); rows changed."""
    unknown = set(values) - _CARD_UPDATABLE
    if unknown:
        raise ValueError(f"not a card column the study path may set: {sorted(unknown)}")
    names = list(values)
    assignments = ", ".join(f"{name} = ?" for name in names)
    return db.run(f"UPDATE cards SET {assignments} WHERE id = ?", (*(values[n] for n in names), card_id))


REVIEW_INSERT = (
    f"INSERT INTO reviews ({', '.join(REVIEW_INSERT_COLUMNS)})"
    f" VALUES ({placeholders(len(REVIEW_INSERT_COLUMNS))})"
)
LAST_REVIEW = (
    f"SELECT {', '.join(REVIEW_COLUMNS)} FROM reviews WHERE kind = 'review' ORDER BY id DESC LIMIT 1"
)


def insert_review(db: RawDB, values: ReviewInsert) -> int:
    """Append a log row (`rows.review_values`); its id."""
    return db.insert(REVIEW_INSERT, values)


def last_review(db: Queries) -> ReviewValues | None:
    """The newest answer in the log (quiz answers and imports are not answers), or None."""
    row = db.one(LAST_REVIEW)
    return None if row is None else ReviewValues(*row)


def delete_review(db: Queries, review_id: int) -> None:
    """Remove one log row (undo only)."""
    db.run("DELETE FROM reviews WHERE id = ?", (review_id,))


def active_siblings(db: Queries, group_id: str, card_id: int) -> list[tuple[int, int, int]]:
    """Other new or review cards of a sibling group as (id, deck, queue)."""
    rows = db.all(
        "SELECT id, deck_id, queue FROM cards WHERE group_id = ? AND id != ? AND queue IN (0, 2)",
        (group_id, card_id),
    )
    return [(int(i), int(d), int(q)) for i, d, q in rows]


def bury_cards(db: Queries, card_ids: Sequence[int], until: int) -> None:
    """Bury cards until a time (ms)."""
    db.run(
        f"UPDATE cards SET queue = ?, buried_until = ? WHERE id IN ({placeholders(len(card_ids))})",
        (QUEUE_BURIED, until, *card_ids),
    )


def unbury_cards(db: Queries, card_ids: Sequence[int]) -> None:
    """Return those of these cards that are still buried to their queue."""
    db.run(
        "UPDATE cards SET queue = state, buried_until = NULL"
        f" WHERE queue = ? AND id IN ({placeholders(len(card_ids))})",
        (QUEUE_BURIED, *card_ids),
    )


def next_due(db: Queries, deck_ids: Sequence[int]) -> int | None:
    """When the next learning or review card of these decks is due (ms)."""
    value = db.scalar(
        f"SELECT min(due) FROM cards WHERE deck_id IN ({placeholders(len(deck_ids))}) AND queue IN (1, 2, 3)",
        tuple(deck_ids),
    )
    return None if value is None else int(value)
