"""A card's memory state over time, from its review history (for card info)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from trainer.core.stats import retrievability


class Answer(Protocol):
    """What one history row must offer (`trainer.views.ReviewEntry` does)."""

    @property
    def reviewed_at(self) -> datetime: ...

    @property
    def stability_after(self) -> float | None: ...

    @property
    def difficulty_after(self) -> float | None: ...


@dataclass(frozen=True)
class MemoryPoint:
    """The memory state around one answer."""

    reviewed_at: datetime
    retrievability: float | None  # at the answer, from the state before it (None: first answer)
    stability: float | None  # after the answer, days
    difficulty: float | None  # after the answer, 1-10


def memory_over_time(history: Sequence[Answer], decay: float) -> list[MemoryPoint]:
    """Stability and difficulty after each answer, and the retrievability the card had when
    it was answered (FSRS forgetting curve with `decay`, from the previous answer's stability)."""
    points: list[MemoryPoint] = []
    previous: Answer | None = None
    for entry in history:
        recall = None
        if previous is not None and previous.stability_after is not None:
            elapsed = (entry.reviewed_at - previous.reviewed_at).total_seconds() / 86_400
            recall = retrievability(previous.stability_after, elapsed, decay)
        points.append(MemoryPoint(entry.reviewed_at, recall, entry.stability_after, entry.difficulty_after))
        previous = entry  # a reset (no stability after) forgets the memory state
    return points
