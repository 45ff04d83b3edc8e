"""The real review log, answered live through the public API, against fsrs-rs (Anki's engine).

Every card's memory state after its last answer must equal what fsrs-rs-python computes
from the card's whole history with Anki's elapsed days (study days crossed, here 04:00 UTC),
to Anki's rounding: stability to 4 decimals, difficulty to 3.
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs_rs_python as rs
import pytest

from tests.conftest import Clock
from trainer.collection import open_collection
from trainer.core.scheduling import DEFAULT_PARAMETERS

Log = dict[int, list[tuple[datetime, int]]]


def read_log(path: Path) -> Log:
    by_card: Log = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            at = datetime.fromisoformat(row["review_time"]).astimezone(UTC)
            by_card[int(row["card_id"])].append((at, int(row["review_rating"])))
    for answers in by_card.values():
        answers.sort()
    return by_card


def anki_memory_states(log: Log) -> dict[int, tuple[float, float]]:
    """fsrs-rs's memory state of each card from its whole history, Anki's delta_t (4 am UTC days)."""
    model = rs.FSRS(list(DEFAULT_PARAMETERS))
    out = {}
    for card, answers in log.items():
        days = [(at - timedelta(hours=4)).date() for at, _ in answers]
        reviews = [
            rs.FSRSReview(rating, 0 if i == 0 else (days[i] - days[i - 1]).days)
            for i, (_, rating) in enumerate(answers)
        ]
        state = model.memory_state(rs.FSRSItem(reviews))
        out[card] = (state.stability, state.difficulty)
    return out


def deck_file(path: Path, cards: list[int]) -> Path:
    lines = ['[deck]\nid = "josh"\nname = "Josh"\n']
    for card in cards:
        lines.append(f'[[cards]]\nid = "c{card}"\nfront = "card {card}"\nback = "answer"\n')
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def fast_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory where there is one (12,580 answers, each one fsync), else tmp_path."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm, prefix="trainer-test-") as folder:
        yield Path(folder)


def test_real_log_answered_live_equals_fsrs_rs(fast_dir: Path, shared_data: Path) -> None:
    log = read_log(shared_data / "review-log-josh.csv")
    first = min(at for answers in log.values() for at, _ in answers)
    clock = Clock(first - timedelta(days=1))
    col = open_collection(fast_dir / "josh.sqlite3", clock=clock, zone=UTC, install_bundled=False)
    try:
        col.load([deck_file(fast_dir / "josh.toml", sorted(log))])
        col.preset_options.change("Default", ["leech_threshold=9999"], now=clock.now)
        ids = {int(c.content.front.split()[1]): c.id for c in col.search("deck:Josh", limit=5000)}
        answers = sorted((at, card, rating) for card, rows in log.items() for at, rating in rows)
        for at, card, rating in answers:
            col.answer(ids[card], rating, now=at)
        expected = anki_memory_states(log)
        got = {card: col.card(ids[card]).state for card in log}
    finally:
        col.close()
    stability = [c for c in log if round(got[c].stability or 0, 4) != round(expected[c][0], 4)]
    difficulty = [c for c in log if round(got[c].difficulty or 0, 3) != round(expected[c][1], 3)]
    assert len(log) == 1205
    assert stability == [] and difficulty == []
