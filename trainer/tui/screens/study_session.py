"""What a study session on the review screen keeps: its answers, and how choices are shown."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.views import AnswerResult


@dataclass
class Session:
    """What this study session did (for the summary and undo)."""

    answers: list[AnswerResult] = field(default_factory=list)
    durations: list[int] = field(default_factory=list)


def choice_options(card_id: int, options: tuple[str, ...]) -> list[str]:
    """The options of a choice card, shuffled the same way every time the card shows."""
    shuffled = list(options)
    random.Random(card_id).shuffle(shuffled)
    return shuffled
