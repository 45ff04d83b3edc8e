"""What the public API returns: plain, immutable dataclasses (no ORM objects escape)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from trainer.core.cards import CardContent, render
from trainer.core.scheduling import CardState, Preview, Rating, SchedulingState, format_interval


@dataclass(frozen=True)
class DeckInfo:
    """A deck with its study counts (subdecks included, daily limits applied)."""

    id: int
    name: str
    external_id: str | None
    preset: str
    new: int
    learning: int
    due: int
    total: int
    next_due: datetime | None

    @property
    def depth(self) -> int:
        """0 for a top-level deck."""
        return self.name.count("::")

    @property
    def short_name(self) -> str:
        """The last part of the name."""
        return self.name.rsplit("::", 1)[-1]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "name": self.name,
            "external_id": self.external_id,
            "preset": self.preset,
            "new": self.new,
            "learning": self.learning,
            "due": self.due,
            "total": self.total,
            "next_due": _iso(self.next_due),
        }


@dataclass(frozen=True)
class CardView:
    """A card as the learner sees it, with its scheduling state."""

    id: int
    external_id: str
    deck_id: int
    deck_name: str
    content: CardContent
    tags: tuple[str, ...]
    source: str
    group_id: str
    state: SchedulingState
    queue: int
    flag: int
    buried_until: datetime | None

    @property
    def question(self) -> str:
        """The question as plain text."""
        return render(self.content).question

    @property
    def answer(self) -> str:
        """The answer as plain text."""
        return render(self.content).answer

    @property
    def suspended(self) -> bool:
        """Whether the card is suspended."""
        return self.queue == -1

    @property
    def buried(self) -> bool:
        """Whether the card is buried until the next day."""
        return self.queue == -2

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "external_id": self.external_id,
            "deck": self.deck_name,
            "kind": self.content.kind.value,
            "question": self.question,
            "answer": self.answer,
            "content": self.content.to_dict(),
            "tags": list(self.tags),
            "source": self.source,
            "state": self.state.state.name.lower(),
            "due": _iso(self.state.due),
            "stability": self.state.stability,
            "difficulty": self.state.difficulty,
            "reps": self.state.reps,
            "lapses": self.state.lapses,
            "suspended": self.suspended,
            "buried": self.buried,
            "flag": self.flag,
        }


@dataclass(frozen=True)
class QueueCounts:
    """What is left to study today in the chosen deck."""

    new: int
    learning: int
    review: int

    def to_dict(self) -> dict[str, int]:
        """JSON-ready."""
        return {"new": self.new, "learning": self.learning, "review": self.review}


@dataclass(frozen=True)
class StudyCard:
    """The next card to study with its four previewed outcomes."""

    card: CardView
    preview: Preview
    counts: QueueCounts

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "card": self.card.to_dict(),
            "counts": self.counts.to_dict(),
            "previews": {
                rating.name.lower(): {
                    "rating": int(rating),
                    "interval": format_interval(outcome.interval),
                    "interval_seconds": round(outcome.interval.total_seconds()),
                    "due": _iso(outcome.state.due),
                    "state": outcome.state.state.name.lower(),
                }
                for rating, outcome in self.preview.outcomes.items()
            },
        }


@dataclass(frozen=True)
class AnswerResult:
    """What an answer stored."""

    card_id: int
    review_id: int
    rating: Rating
    before: SchedulingState
    after: SchedulingState
    leech: bool
    buried_siblings: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "card_id": self.card_id,
            "review_id": self.review_id,
            "rating": self.rating.name.lower(),
            "state": self.after.state.name.lower(),
            "due": _iso(self.after.due),
            "interval": format_interval(self.after.due - self.after.last_review)
            if self.after.due and self.after.last_review
            else None,
            "stability": self.after.stability,
            "difficulty": self.after.difficulty,
            "leech": self.leech,
            "buried_siblings": self.buried_siblings,
        }


@dataclass(frozen=True)
class UndoResult:
    """The answer that undo took back."""

    card_id: int
    rating: Rating
    reviewed_at: datetime
    restored: SchedulingState

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "card_id": self.card_id,
            "rating": self.rating.name.lower(),
            "reviewed_at": _iso(self.reviewed_at),
            "state": self.restored.state.name.lower(),
            "due": _iso(self.restored.due),
        }


@dataclass
class SyncReport:
    """What loading deck files did."""

    decks_created: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    suspended: list[str] = field(default_factory=list)  # gone from their file
    restored: list[str] = field(default_factory=list)  # back in their file
    checked_only: bool = False
    kept_edits: list[str] = field(default_factory=list)  # edited in the app, file unchanged: edit kept
    conflicts: list[str] = field(default_factory=list)  # edited in the app and in the file: edit kept

    @property
    def changed_anything(self) -> bool:
        """Whether the collection changed."""
        return bool(self.decks_created or self.added or self.changed or self.suspended or self.restored)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "checked_only": self.checked_only,
            "decks_created": self.decks_created,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "suspended": self.suspended,
            "restored": self.restored,
            "kept_edits": self.kept_edits,
            "conflicts": self.conflicts,
        }


@dataclass(frozen=True)
class ReviewEntry:
    """One row of a card's review history."""

    id: int
    reviewed_at: datetime
    rating: Rating
    duration_ms: int
    state_before: CardState
    state_after: CardState
    stability_after: float | None
    difficulty_after: float | None
    due_after: datetime | None
    kind: str


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 card`, `2 cards` (`words` for irregular plurals: `plural(2, "entry", "entries")`)."""
    return f"{count} {word if count == 1 else (words or word + 's')}"
