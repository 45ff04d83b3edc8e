"""Synthetic collections for the benchmarks: the same cards and reviews for trainer and Anki.

`plan(n_cards, n_reviews, now)` draws a deterministic data set (seeded); `build_trainer`
writes it into a trainer collection with bulk Core inserts; `anki_side.build_anki`
writes the same plan into an Anki collection. Each reviewed card's last log row agrees
with its scheduling columns, so `trainer check` passes on the result.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from trainer.collection import open_collection
from trainer.store import repo

N_DECKS = 20
LEARNING_CARDS = 300  # cards in (re)learning, answered today: a day's work, whatever the size
DAY_MS = 86_400_000


@dataclass(frozen=True)
class PlannedCard:
    """One card of the plan (times in epoch ms)."""

    id: int
    deck: int
    state: int  # 0 new, 1 learning, 2 review
    stability: float
    difficulty: float
    due_ms: int
    last_ms: int
    reps: int
    lapses: int


@dataclass(frozen=True)
class Plan:
    """A data set: cards and how many reviews each reviewed card has."""

    now: datetime
    cards: list[PlannedCard]
    n_reviews: int

    def deck_name(self, deck: int) -> str:
        """The name of synthetic deck number `deck`."""
        return f"Bench::D{deck:02d}"


def plan(n_cards: int, n_reviews: int, now: datetime, seed: int = 7) -> Plan:
    """Draw a deterministic data set: 30 % new, about 300 (re)learning cards, the rest in review."""
    rng = random.Random(seed + n_cards)
    now_ms = int(now.timestamp() * 1000)
    cards: list[PlannedCard] = []
    reviewed = [i for i in range(n_cards) if rng.random() >= 0.30]
    per_card = max(1, n_reviews // max(1, len(reviewed)))
    extra = n_reviews - per_card * len(reviewed)
    reviewed_set = set(reviewed)
    learning_share = min(0.05, LEARNING_CARDS / max(1, len(reviewed)))
    for i in range(n_cards):
        deck = i % N_DECKS
        if i not in reviewed_set:
            cards.append(PlannedCard(i + 1, deck, 0, 0.0, 0.0, 0, 0, 0, 0))
            continue
        reps = per_card + (1 if extra > 0 else 0)
        extra -= 1
        if rng.random() < learning_share:
            due = now_ms + rng.randint(-600_000, 600_000)
            last = due - 600_000
            cards.append(
                PlannedCard(i + 1, deck, 1, rng.uniform(0.5, 3), rng.uniform(3, 7), due, last, reps, 0)
            )
            continue
        stability = rng.uniform(1, 200)
        ivl_days = max(1, int(stability))
        last = now_ms - rng.randint(0, ivl_days + 5) * DAY_MS - rng.randint(3_600_000, DAY_MS // 2)
        due = last + ivl_days * DAY_MS
        lapses = rng.randint(0, 3)
        cards.append(PlannedCard(i + 1, deck, 2, stability, rng.uniform(2, 9), due, last, reps, lapses))
    return Plan(now=now, cards=cards, n_reviews=n_reviews)


def review_times(card: PlannedCard) -> Iterator[tuple[int, int]]:
    """(time ms, step index) of each of a card's reviews, ending at its last review."""
    gap = max(60_000, 400 * DAY_MS // max(1, card.reps))
    for k in range(card.reps):
        yield card.last_ms - (card.reps - 1 - k) * gap, k


def build_trainer(p: Plan, path: Path, chunk: int = 50_000) -> Path:
    """Write the plan into a new trainer collection at `path`."""
    col = open_collection(path, install_bundled=False, clock=lambda: p.now)
    now_ms = int(p.now.timestamp() * 1000)
    with col.db.write() as session:
        preset = repo.preset_id(session, "Default")
        assert preset is not None
        deck_ids = [repo.ensure_deck(session, p.deck_name(d), preset)[0] for d in range(N_DECKS)]
        content = [{"kind": "basic", "front": f"Question {i}", "back": f"Answer {i}"} for i in range(100)]
        rows = []
        for c in p.cards:
            rows.append(
                {
                    "id": c.id, "external_id": f"bench.d{c.deck:02d}/card-{c.id}",
                    "deck_id": deck_ids[c.deck], "kind": "basic",
                    "content": json.dumps(
                        {**content[c.id % 100], "front": f"Question {c.id}", "back": f"Answer {c.id}"}
                    ),
                    "content_hash": f"{c.id:032x}", "tags": " bench ", "source": "", "group_id": "",
                    "position": c.id, "state": c.state, "queue": c.state,
                    "step": 0 if c.state == 1 else None,
                    "stability": c.stability or None, "difficulty": c.difficulty or None,
                    "due": c.due_ms if c.state else None, "last_review": c.last_ms if c.state else None,
                    "reps": c.reps, "lapses": c.lapses, "buried_until": None, "flag": 0,
                    "created_at": now_ms - 500 * DAY_MS, "modified_at": now_ms,
                }
            )  # fmt: skip
            if len(rows) >= chunk:
                session.execute(repo.cards_t.insert(), rows)
                rows = []
        if rows:
            session.execute(repo.cards_t.insert(), rows)
    columns = (
        "card_id, reviewed_at, rating, duration_ms, kind, state_before, step_before, stability_before, "
        "difficulty_before, due_before, last_review_before, state_after, step_after, stability_after, "
        "difficulty_after, due_after, undo_data"
    )
    sql = text(
        f"INSERT INTO reviews ({columns}) VALUES ({', '.join(':' + c.strip() for c in columns.split(','))})"
    )
    batch: list[dict[str, object]] = []
    with col.db.write() as session:
        for c in p.cards:
            if c.state == 0:
                continue
            previous: tuple[int, float | None, float | None, int | None, int | None] = (
                0,
                None,
                None,
                None,
                None,
            )
            for at, k in review_times(c):
                last = k == c.reps - 1
                after_state = c.state if last else 2
                s_after = c.stability if last else max(0.5, c.stability * (k + 1) / c.reps)
                d_after = c.difficulty
                due_after = c.due_ms if last else at + DAY_MS
                batch.append(
                    {
                        "card_id": c.id, "reviewed_at": at, "rating": 3, "duration_ms": 5000,
                        "kind": "review", "state_before": previous[0], "step_before": None,
                        "stability_before": previous[1], "difficulty_before": previous[2],
                        "due_before": previous[3], "last_review_before": previous[4],
                        "state_after": after_state, "step_after": 0 if after_state == 1 else None,
                        "stability_after": s_after, "difficulty_after": d_after, "due_after": due_after,
                        "undo_data": "",
                    }
                )  # fmt: skip
                previous = (after_state, s_after, d_after, due_after, at)
                if len(batch) >= chunk:
                    session.execute(sql, batch)
                    batch = []
        if batch:
            session.execute(sql, batch)
    col.set_meta("last_backup_at", p.now.isoformat())  # no automatic backup of bench data
    col.close()
    return path


def default_now() -> datetime:
    """The benchmark's 'now': the real time (Anki's scheduler reads the real clock)."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=0)
