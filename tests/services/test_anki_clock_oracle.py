"""Anki's own scheduler on a fixed clock (libfaketime) against trainer's, on the same input.

The Anki side runs in a subprocess (`tests/anki_clock.py`); trainer's side is the one code
path every preview and answer takes (`trainer.core.scheduling`), fuzz off on both sides.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.anki_clock import faketime_missing, run_anki
from tests.services.test_fsrs_oracle import read_log
from trainer.collection import open_collection
from trainer.core.scheduling import (
    DEFAULT_PARAMETERS,
    CardState,
    Outcome,
    Preset,
    Rating,
    SchedulingState,
    outcome,
    preview,
)

pytestmark = pytest.mark.skipif(faketime_missing() is not None, reason=faketime_missing() or "")

PRESET = Preset(leech_threshold=9999, new_per_day=9999, reviews_per_day=9999)


def shown(result: Outcome) -> list[Any]:
    """An outcome as (kind, days or seconds), the way the Anki side reports its states."""
    kind = {CardState.REVIEW: "review", CardState.LEARNING: "learning", CardState.RELEARNING: "relearning"}
    seconds = int(result.interval.total_seconds())
    return [kind[result.state.state], seconds // 86400 if result.state.state is CardState.REVIEW else seconds]


def job(cards: int, steps: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    return {
        "zone": "UTC", "rollover": 4, "cards": cards, "parameters": list(DEFAULT_PARAMETERS),
        "learn": [1.0, 10.0], "relearn": [10.0], "fuzz": False, "steps": steps, **options,
    }  # fmt: skip


def test_learning_sequences_of_four_answers_match_anki() -> None:
    """Every sequence of four ratings on a new card: the four previewed states before each answer."""
    sequences = list(itertools.product(list(Rating), repeat=4))
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    moments = [start, start + timedelta(minutes=10), start + timedelta(days=1, hours=1),
               start + timedelta(days=4, hours=2)]  # fmt: skip
    steps: list[dict[str, Any]] = []
    for k, at in enumerate(moments):
        steps.append({"at": at.isoformat(), "states": list(range(len(sequences)))})
        steps += [{"at": at.isoformat(), "answer": [i, int(seq[k])]} for i, seq in enumerate(sequences)]
    anki = run_anki(job(len(sequences), steps))
    states = [SchedulingState() for _ in sequences]
    mismatches = []
    for k, at in enumerate(moments):
        for i, seq in enumerate(sequences):
            p = preview(states[i], PRESET, at, zone=UTC)
            ours = [shown(p[r]) for r in Rating]
            theirs = anki[k][str(i)]
            if ours != theirs:
                mismatches.append((seq[:k], ours, theirs))
            states[i] = p[seq[k]].state
    assert mismatches == []


def test_intervals_on_the_day_after_the_real_log_match_anki(shared_data: Path) -> None:
    """The whole real log answered in Anki and in trainer (04:00 UTC days), then the four
    intervals each card would get the day after the log ends: equal for every card."""
    log = read_log(shared_data / "review-log-josh.csv")
    cards = sorted(log)
    index = {card: i for i, card in enumerate(cards)}
    answers = sorted((at, card, rating) for card, rows in log.items() for at, rating in rows)
    after = datetime.combine(answers[-1][0].date() + timedelta(days=1), datetime.min.time(), UTC)
    after += timedelta(hours=12)
    steps: list[dict[str, Any]] = [
        {"at": at.isoformat(), "answer": [index[card], rating]} for at, card, rating in answers
    ]
    steps.append({"at": after.isoformat(), "states": list(range(len(cards)))})
    anki = run_anki(job(len(cards), steps))[0]
    states = {card: SchedulingState() for card in cards}
    for at, card, rating in answers:
        states[card] = outcome(states[card], PRESET, at, Rating(rating), zone=UTC).state
    equal = 0
    differ = []
    for card in cards:
        p = preview(states[card], PRESET, after, zone=UTC)
        ours = [shown(p[r]) for r in Rating]
        if ours == anki[str(index[card])]:
            equal += 1
        else:
            differ.append((card, ours, anki[str(index[card])]))
    assert differ == [] and equal == 1205


def test_anki_package_with_history_checks_clean_and_repair_keeps_memory(
    shared_data: Path, tmp_path: Path
) -> None:
    """200 cards of the real log studied in Anki over six months, exported with scheduling:
    imported, `check` finds nothing and `check --repair` changes no memory state."""
    log = read_log(shared_data / "review-log-josh.csv")
    cards = sorted(log)[:200]
    index = {card: i for i, card in enumerate(cards)}
    answers = sorted((at, card, rating) for card in cards for at, rating in log[card])
    steps = [{"at": at.isoformat(), "answer": [index[card], rating]} for at, card, rating in answers]
    package = tmp_path / "studied.apkg"
    run_anki(job(len(cards), steps, export=str(package), fuzz=True))
    col = open_collection(tmp_path / "col.sqlite3", zone=UTC, install_bundled=False)
    try:
        col.import_file(package, now=answers[-1][0] + timedelta(days=1))
        studied = [c for c in col.search("", limit=5000) if c.state.state is not CardState.NEW]
        assert len(studied) == 200
        before = {c.id: (c.state.stability, c.state.difficulty) for c in studied}
        assert all(s is not None and d is not None for s, d in before.values())
        assert col.check().problems == []
        repaired = col.check(repair=True)
        assert repaired.problems == []
        assert {c.id: (c.state.stability, c.state.difficulty) for c in studied} == before
        assert {i: (col.card(i).state.stability, col.card(i).state.difficulty) for i in before} == before
    finally:
        col.close()


def test_real_ankidroid_package_checks_clean(tmp_path: Path, shared_data: Path) -> None:
    col = open_collection(tmp_path / "col.sqlite3", zone=UTC, install_bundled=False)
    try:
        col.import_file(shared_data / "real" / "anki" / "ankidroid_templates.apkg")
        states = {c.id: c.state for c in col.search("", limit=5000)}
        assert col.check().problems == [] and col.check(repair=True).problems == []
        assert {c.id: c.state for c in col.search("", limit=5000)} == states
    finally:
        col.close()
