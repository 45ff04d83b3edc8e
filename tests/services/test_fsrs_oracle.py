"""The real review log, answered live through the public API, against fsrs-rs (Anki's engine).

Every card's memory state after its last answer must equal what fsrs-rs-python computes
with Anki's elapsed days (study days crossed, here 04:00 UTC), answer by answer as Anki
does it: Anki stores a card's memory state rounded (stability to 4 decimals, difficulty
to 3, in single precision) and the next answer starts from the stored value. Anki's own
scheduler agrees (tests/services/test_anki_clock_oracle.py drives it on the same log).
"""

from __future__ import annotations

import csv
import math
import struct
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


def anki_rounded(value: float, places: int) -> float:
    """Anki's `round_to_places` on an f32: (value * 10^places).round() / 10^places."""

    def f32(x: float) -> float:
        return float(struct.unpack("f", struct.pack("f", x))[0])

    scaled = f32(value * 10**places)
    return f32(math.floor(scaled + 0.5) / 10**places)


def anki_memory_states(log: Log, *, stored: bool = True) -> dict[int, tuple[float, float]]:
    """fsrs-rs's memory state of each card after its history with Anki's delta_t (4 am UTC days),
    stored after each answer as Anki stores it (or, `stored=False`, never rounded)."""
    model = rs.FSRS(list(DEFAULT_PARAMETERS))
    out = {}
    for card, answers in log.items():
        memory = None
        previous = None
        for at, rating in answers:
            day = (at - timedelta(hours=4)).date()
            elapsed = 0 if previous is None else (day - previous).days
            nexts = model.next_states(memory, 0.9, elapsed)
            memory = [nexts.again, nexts.hard, nexts.good, nexts.easy][rating - 1].memory
            if stored:
                memory = rs.MemoryState(anki_rounded(memory.stability, 4), anki_rounded(memory.difficulty, 3))
            previous = day
        assert memory is not None
        out[card] = (memory.stability, memory.difficulty)
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
        col.presets.set_options("Default", ["leech_threshold=9999"], now=clock.now)
        ids = {int(c.content.front.split()[1]): c.id for c in col.search("deck:Josh", limit=5000)}
        answers = sorted((at, card, rating) for card, rows in log.items() for at, rating in rows)
        for at, card, rating in answers:
            col.answer(ids[card], rating, now=at)
        expected = anki_memory_states(log)
        got = {card: col.card(ids[card]).state for card in log}
    finally:
        col.close()
    assert len(log) == 1205
    assert {c: (got[c].stability, got[c].difficulty) for c in log} == expected
