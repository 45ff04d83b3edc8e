"""The statistics report's SQL over the card table: counts in the database, per card only what needs it.

Card counts, cards added and the forecast are grouped by the database; only studied cards
(for retrievability and mastery) and the spans of scheduled review cards (intervals and
load) come back one row per card, as the driver's plain tuples, in card id order.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from trainer.core.stats import DAY_MS, MATURE_SPAN_MS
from trainer.core.stats.cards import FORECAST_DAYS
from trainer.services.stats_sql import LEARNING, NEW, RELEARNING, REVIEW, Scope, raw_rows
from trainer.store.values import QUEUE_SUSPENDED

# index in trainer.core.stats.cards.CATEGORIES (new, learning, relearning, young, mature, suspended, buried)
CATEGORY_SQL = f"""CASE WHEN c.queue < 0 THEN CASE WHEN c.queue = {QUEUE_SUSPENDED} THEN 5 ELSE 6 END
  WHEN c.state = {LEARNING} THEN 1 WHEN c.state = {RELEARNING} THEN 2
  WHEN c.state = {REVIEW} THEN CASE WHEN c.due IS NOT NULL AND c.last_review IS NOT NULL
   AND c.due - c.last_review >= {MATURE_SPAN_MS} THEN 4 ELSE 3 END
  ELSE 0 END"""
# `+c.queue`: the queue indexes would cost a lookup per card (and a sort by id) where one scan reads all
SCHEDULED = "c.due IS NOT NULL AND +c.queue > 0 AND +c.queue < 4"
STUDIED = f"c.state != {NEW} AND c.stability IS NOT NULL AND c.last_review IS NOT NULL"


class CardQueries:
    """The card-table queries of one report scope."""

    def __init__(self, session: Session, scope: Scope, nds: int) -> None:
        self.session = session
        self.scope = scope
        self.nds = nds
        self.expanding: list[Any] = [bindparam("decks", expanding=True)] if scope.deck_ids is not None else []

    def _rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        statement = text(sql.replace("{SCOPE}", self.scope.card_filter("c"))).bindparams(*self.expanding)
        return raw_rows(self.session.execute(statement, {"nds": self.nds, **self.scope.params(), **params}))

    def summary(
        self, period_days: int
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]], list[int]]:
        """(category, cards), (index in the period, cards added), (days ahead, cards due),
        and due - last review of each scheduled review card in id order."""
        rows = self._rows(
            f"SELECT 0, {CATEGORY_SQL} AS k, COUNT(*) FROM cards c WHERE {{SCOPE}} GROUP BY k"
            " UNION ALL SELECT 1, (c.created_at - :added) / :day AS k, COUNT(*) FROM cards c"
            " WHERE {SCOPE} AND c.created_at >= :added AND c.created_at < :nds GROUP BY k"
            " UNION ALL SELECT 2, CASE WHEN c.due < :nds THEN 0 ELSE (c.due - :nds) / :day + 1 END AS k,"
            f" COUNT(*) FROM cards c WHERE {{SCOPE}} AND {SCHEDULED} AND c.due < :horizon GROUP BY k",
            added=self.nds - period_days * DAY_MS,
            day=DAY_MS,
            horizon=self.nds + (FORECAST_DAYS - 1) * DAY_MS,
        )
        parts: tuple[list[tuple[int, int]], ...] = ([], [], [])
        for part, key, count in rows:
            parts[part].append((int(key), int(count)))
        spans = self._rows(
            f"SELECT c.due - c.last_review FROM cards c WHERE {{SCOPE}} AND {SCHEDULED}"
            f" AND c.state = {REVIEW} AND c.last_review IS NOT NULL ORDER BY c.id"
        )
        return parts[0], parts[1], parts[2], [span for (span,) in spans]

    def studied(self) -> list[tuple[Any, ...]]:
        """(id, deck, tags, set, stability, last review, difficulty) of studied cards, by id."""
        return self._rows(
            "SELECT c.id, c.deck_id, c.tags, c.group_id, c.stability, c.last_review, c.difficulty"
            f" FROM cards c WHERE {{SCOPE}} AND {STUDIED} ORDER BY c.id"
        )

    def groups(self) -> list[tuple[Any, ...]]:
        """(deck, tags, set, cards, lowest card id) of every group of cards in the scope."""
        return self._rows(
            "SELECT c.deck_id, c.tags, c.group_id, COUNT(*), MIN(c.id) FROM cards c WHERE {SCOPE}"
            " GROUP BY c.deck_id, c.tags, c.group_id"
        )


__all__ = ["CardQueries"]
