"""Plain review-log CSV in the FSRS optimiser's layout.

Columns (a header row names them, in any order): `card_id`, `review_time` (ISO 8601
with offset, or epoch milliseconds), `review_rating` (1-4), `review_duration` (ms), and
optionally `review_state` (0 new, 1 learning, 2 review, 3 relearning; a 0 after earlier
answers marks a reset of the card's history). Reading is pure; the collection writes.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from trainer.core.files import regular_file
from trainer.core.scheduling import Preset, Rating, SchedulingState, cap_duration, replay_outcome
from trainer.errors import ImportRefusedError

REQUIRED = ("card_id", "review_time", "review_rating")
MAX_LINE_BYTES = 64 * 1024
MAX_FILE_BYTES = 2 * 1024**3


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


def _lines(path: Path) -> Iterator[str]:
    """The file's lines, each at most `MAX_LINE_BYTES` and all together at most `MAX_FILE_BYTES`.

    A file without line breaks (`/dev/zero`) or an endless one stops with an error at the
    limit instead of growing in memory.
    """
    total = 0
    with path.open("rb") as handle:
        for number in itertools.count(1):
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            total += len(raw)
            if len(raw) > MAX_LINE_BYTES:
                raise RevlogError(f"{path}:{number}: line longer than {MAX_LINE_BYTES} bytes")
            if total > MAX_FILE_BYTES:
                raise RevlogError(f"{path}:{number}: file larger than {MAX_FILE_BYTES // 1024**2} MB")
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise RevlogError(f"{path}:{number}: invalid UTF-8 at byte {exc.start} of the line") from None
            yield line


def _rows(path: Path) -> Iterator[LoggedReview]:
    regular_file(path)
    reader = csv.DictReader(_lines(path))
    try:
        fieldnames = reader.fieldnames
        missing = [c for c in REQUIRED if c not in (fieldnames or ())]
        if missing:
            raise RevlogError(f"{path}:1: missing column(s): {', '.join(missing)}")
        for row in reader:
            yield _review(row, path, reader.line_num)
    except csv.Error as exc:
        raise RevlogError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None


def _review(row: dict[str, str], path: Path, line: int) -> LoggedReview:
    try:
        rating = int(row["review_rating"])
        if not 1 <= rating <= 4:
            raise ValueError(f"rating {rating} is not 1-4")
        state_text = (row.get("review_state") or "").strip()
        card_id = int(row["card_id"])
        if not -(2**63) <= card_id < 2**63:
            raise ValueError(f"card_id {str(card_id)[:30]} is not a 64-bit integer")
        return LoggedReview(
            card_id=card_id,
            at=parse_time(row["review_time"]),
            rating=rating,
            duration_ms=cap_duration(int(float(row.get("review_duration") or 0))),
            state=int(state_text) if state_text else None,
        )
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise RevlogError(f"{path}:{line}: {str(exc)[:200]}") from None


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
