"""Custom study from the end-of-session screen: study ahead, more new cards, today's
forgotten cards, and unburying, as Anki offers when a deck is finished.

A custom session reviews a fixed list of cards found by a search; each answer is stored
as usual (FSRS takes an early review into account); an Again brings the card back at the
end of the session.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.core.scheduling import Rating
from trainer.tui.screens.review import ReviewScreen
from trainer.views import QueueCounts, StudyCard


@dataclass(frozen=True)
class CustomChoice:
    """One way to study on: a key, what it does, and the search that finds its cards."""

    key: str
    label: str
    query: str
    limit: int


def choices(deck: str | None) -> list[CustomChoice]:
    """The custom study choices for `deck` (every deck when None)."""
    scope = f'deck:"{deck}" ' if deck else ""
    return [
        CustomChoice(
            "a",
            "Study ahead: cards due tomorrow",
            scope + "-is:new -is:suspended -is:buried prop:due<=1",
            200,
        ),
        CustomChoice("n", "Ten more new cards", scope + "is:new", 10),
        CustomChoice("f", "Review cards forgotten today", scope + "rated:1:1 -is:suspended", 200),
    ]


class CustomReviewScreen(ReviewScreen):
    """Study a given list of cards (a custom session)."""

    def __init__(self, deck: str | None, card_ids: list[int], title: str) -> None:
        super().__init__(deck)
        self.pending = list(card_ids)
        self.title_text = title

    def show(self, study: StudyCard) -> None:
        """Show a card (the base screen's mount handler, which Textual also runs, loads the first)."""
        super().show(study)
        self.sub_title = f"{self.title_text} · {self.deck or 'All decks'}"

    def load_next(self) -> None:
        """The next card of the list, or the summary when it is done."""
        while self.pending:
            card_id = self.pending.pop(0)
            card = self.col.card(card_id)
            if card.suspended:
                continue
            counts = QueueCounts(new=0, learning=0, review=len(self.pending) + 1)
            self.show(StudyCard(card=card, preview=self.col.preview(card.id), counts=counts))
            return
        self.study = None
        self.action_finish()

    def action_rate(self, value: int) -> None:
        """Answer; an Again comes back at the end of the session."""
        if self.study is not None and self.revealed and value == int(Rating.AGAIN):
            self.pending.append(self.study.card.id)
        super().action_rate(value)
