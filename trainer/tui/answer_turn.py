"""Writing an answer while another writer holds the collection: wait for the turn, retry.

Runs in a worker thread of the study screen, so the app stays responsive while an import or
another program writes; the screen is told through callbacks on the app's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from trainer.core.scheduling import Rating
from trainer.errors import CollectionBusyError

if TYPE_CHECKING:
    from trainer.collection import Collection
    from trainer.views import AnswerResult


def answer_in_turn(
    col: Collection,
    card_id: int,
    rating: Rating,
    duration_ms: int,
    *,
    cancelled: Callable[[], bool],
    still_busy: Callable[[], None],
) -> AnswerResult | None:
    """Answer once the write turn is ours, again and again while another program keeps the
    collection locked (`still_busy` is told each time); None when cancelled meanwhile. Any
    other error is raised."""
    while True:
        try:
            with col.write_turn():  # waits here, holding nothing the app's thread needs
                return col.answer(card_id, rating, duration_ms=duration_ms)
        except CollectionBusyError:
            if cancelled():
                return None
            still_busy()
