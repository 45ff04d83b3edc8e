"""Anki's backend on the same synthetic data: build the collection, then drive its public API.

The collection is built by bulk SQL on Anki's own tables (notes, cards, revlog) inside
one `db.transact`, then FSRS is switched on; everything timed afterwards goes through
the ordinary API (`deck_due_tree`, `get_queued_cards`, `describe_next_states`,
`answer_card`, `undo`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from synthetic import DAY_MS, N_DECKS, Plan, review_times


def _csum(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


def build_anki(p: Plan, path: Path) -> Path:
    """Write the plan into a new Anki collection at `path`."""
    from anki.collection import Collection

    col = Collection(str(path))
    try:
        model = col.models.by_name("Basic")
        assert model is not None
        mid = model["id"]
        dids = [col.decks.id(p.deck_name(d)) for d in range(N_DECKS)]
        crt = col.crt
        now_ms = int(p.now.timestamp() * 1000)
        base = 1_500_000_000_000

        def fill() -> None:
            notes: list[list[Any]] = []
            cards: list[list[Any]] = []
            for c in p.cards:
                nid = base + c.id
                front, back = f"Question {c.id}", f"Answer {c.id}"
                notes.append([nid, f"g{c.id}", mid, now_ms // 1000, -1, " bench ", f"{front}\x1f{back}",
                              front, _csum(front), 0, ""])  # fmt: skip
                if c.state == 0:
                    cards.append([nid, nid, dids[c.deck], 0, now_ms // 1000, -1, 0, 0, c.id, 0, 0, 0, 0,
                                  0, 0, 0, 0, ""])  # fmt: skip
                    continue
                data = json.dumps({"s": round(c.stability, 4), "d": round(c.difficulty, 4), "dr": 0.9,
                                   "lrt": c.last_ms // 1000})  # fmt: skip
                if c.state == 1:
                    cards.append([nid, nid, dids[c.deck], 0, now_ms // 1000, -1, 1, 1, c.due_ms // 1000, 0,
                                  2500, c.reps, c.lapses, 1001, 0, 0, 0, data])  # fmt: skip
                else:
                    due_day = (c.due_ms // 1000 - crt) // 86400
                    ivl = max(1, (c.due_ms - c.last_ms) // DAY_MS)
                    cards.append([nid, nid, dids[c.deck], 0, now_ms // 1000, -1, 2, 2, due_day, ivl, 2500,
                                  c.reps, c.lapses, 0, 0, 0, 0, data])  # fmt: skip
            col.db.executemany("insert into notes values (?,?,?,?,?,?,?,?,?,?,?)", notes)
            col.db.executemany("insert into cards values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
            used: set[int] = set()
            batch: list[list[Any]] = []
            for c in p.cards:
                if c.state == 0:
                    continue
                for at, k in review_times(c):
                    rid = at
                    while rid in used:
                        rid += 1
                    used.add(rid)
                    batch.append([rid, base + c.id, -1, 3, max(1, k), max(0, k - 1), 2500, 5000, 1])
                    if len(batch) >= 100_000:
                        col.db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", batch)
                        batch = []
            if batch:
                col.db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", batch)

        col.db.transact(fill)
        col.set_config("fsrs", True)
    finally:
        col.close()
    return path


class AnkiOps:
    """The timed operations on an open Anki collection."""

    def __init__(self, path: Path) -> None:
        from anki.collection import Collection

        self.col = Collection(str(path))
        self.col.decks.select(self.col.decks.id("Bench"))
        self.card_id = 0
        self.states: Any = None

    def deck_counts(self) -> None:
        """The deck list with counts."""
        self.col.sched.deck_due_tree()

    def next_card(self) -> None:
        """The next card with its four previewed intervals."""
        queued = self.col.sched.get_queued_cards(fetch_limit=1)
        card = queued.cards[0]
        self.card_id = card.card.id
        self.states = card.states
        self.col.sched.describe_next_states(card.states)

    def answer(self) -> None:
        """Answer the last fetched card Good."""
        from anki.scheduler.v3 import CardAnswer

        answer = CardAnswer(
            card_id=self.card_id,
            current_state=self.states.current,
            new_state=self.states.good,
            rating=CardAnswer.GOOD,
            answered_at_millis=int(__import__("time").time() * 1000),
            milliseconds_taken=5000,
        )
        self.col.sched.answer_card(answer)

    def undo(self) -> None:
        """Take back the last answer."""
        self.col.undo()

    def close(self) -> None:
        """Close the collection."""
        self.col.close()


def open_close(path: Path) -> None:
    """Open and close an Anki collection."""
    from anki.collection import Collection

    Collection(str(path)).close()
