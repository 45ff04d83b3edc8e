"""Plain review-log CSV in the FSRS optimiser's layout.

Columns (a header row names them, in any order): `card_id`, `review_time` (ISO 8601
with offset, or epoch milliseconds), `review_rating` (1-4), `review_duration` (ms), and
optionally `review_state` (0 new, 1 learning, 2 review, 3 relearning; a 0 after earlier
answers marks a reset of the card's history). Reading is pure; the collection writes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from trainer.core.files import regular_file
from trainer.core.scheduling import Preset, Rating, SchedulingState, cap_duration, replay_outcome
from trainer.errors import ImportRefusedError

REQUIRED = ("card_id", "review_time", "review_rating")


class RevlogError(ImportRefusedError):
    """A problem in a review-log file, with its line number."""


@dataclass(frozen=True)
class LoggedReview:
    """One row of the log."""

    card_id: int
    at: datetime
    rating: int
    duration_ms: int
    state: int | None = None


@dataclass(frozen=True)
class ReplayedReview:
    """A logged review with the scheduling state before and after it."""

    review: LoggedReview
    before: SchedulingState
    after: SchedulingState


def parse_time(text: str) -> datetime:
    """ISO 8601 with offset (UTC assumed when none), or epoch milliseconds."""
    value = text.strip()
    if value.lstrip("-").isdigit():
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def read_revlog(path: Path) -> dict[int, list[LoggedReview]]:
    """Reviews by card, each card's in time order. Raises `RevlogError` with the line."""
    by_card: dict[int, list[LoggedReview]] = {}
    for review in _rows(path):
        by_card.setdefault(review.card_id, []).append(review)
    for reviews in by_card.values():
        reviews.sort(key=lambda r: r.at)
    return by_card


def _rows(path: Path) -> Iterator[LoggedReview]:
    regular_file(path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            raise RevlogError(f"{path}:1: missing column(s): {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            try:
                rating = int(row["review_rating"])
                if not 1 <= rating <= 4:
                    raise RevlogError(f"rating {rating} is not 1-4")
                state_text = (row.get("review_state") or "").strip()
                yield LoggedReview(
                    card_id=int(row["card_id"]),
                    at=parse_time(row["review_time"]),
                    rating=rating,
                    duration_ms=cap_duration(int(float(row.get("review_duration") or 0))),
                    state=int(state_text) if state_text else None,
                )
            except (TypeError, ValueError) as exc:
                raise RevlogError(f"{path}:{line}: {exc}") from None


def replay(reviews: list[LoggedReview], preset: Preset, zone: tzinfo) -> list[ReplayedReview]:
    """Run a card's reviews through the scheduler (no fuzz) to get every state.

    Each answer goes through the scheduler's one code path (`replay_outcome`): elapsed
    time in study days of `zone` with the preset's day start.
    """
    state = SchedulingState()
    result: list[ReplayedReview] = []
    for index, review in enumerate(reviews):
        if index and review.state == 0:
            state = SchedulingState()
        after = replay_outcome(state, preset, review.at, Rating(review.rating), zone=zone).state
        result.append(ReplayedReview(review, state, after))
        state = after
    return result
