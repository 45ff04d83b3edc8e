"""The columns of the `cards` and `reviews` tables, named once.

The store's models declare exactly these columns in this order (a test holds them to it);
the formats and services that read or write whole rows by name (export, the JSON backup,
import) take their names from here, since the formats may not import the store. A row read
as stored is one of these tuples, times in epoch milliseconds.
"""

from __future__ import annotations

from typing import NamedTuple


class CardValues(NamedTuple):
    """One `cards` row as stored (times in epoch milliseconds)."""

    id: int
    external_id: str
    deck_id: int
    kind: str
    content: str
    content_hash: str
    tags: str
    source: str
    group_id: str
    position: int
    state: int
    queue: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: int | None
    last_review: int | None
    reps: int
    lapses: int
    buried_until: int | None
    flag: int
    created_at: int
    modified_at: int


class ReviewValues(NamedTuple):
    """One `reviews` row as stored (times in epoch milliseconds)."""

    id: int
    card_id: int
    reviewed_at: int
    rating: int
    duration_ms: int
    kind: str
    state_before: int
    step_before: int | None
    stability_before: float | None
    difficulty_before: float | None
    due_before: int | None
    last_review_before: int | None
    state_after: int
    step_after: int | None
    stability_after: float | None
    difficulty_after: float | None
    due_after: int | None
    undo_data: str


CARD_COLUMNS: tuple[str, ...] = CardValues._fields
REVIEW_COLUMNS: tuple[str, ...] = ReviewValues._fields
CARD_TIMES = ("due", "last_review", "buried_until", "created_at", "modified_at")
REVIEW_TIMES = ("reviewed_at", "due_before", "last_review_before", "due_after")
# A card's study progress: what an import takes from a file for a matched card, and what a
# JSON restore without scheduling leaves out.
SCHEDULE_COLUMNS = (
    "state", "queue", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses",
    "buried_until", "flag",
)  # fmt: skip
