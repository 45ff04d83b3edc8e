"""Anki's own scheduler on a fixed clock (libfaketime) against trainer's, on the same input.

The Anki side runs in a subprocess (`tests/anki_clock.py`); trainer's side is the one code
path every preview and answer takes (`trainer.core.scheduling`), fuzz off on both sides.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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
        assert col.maintenance.check().problems == []
        repaired = col.maintenance.check(repair=True)
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
        assert col.maintenance.check().problems == []
        assert col.maintenance.check(repair=True).problems == []
        assert {c.id: c.state for c in col.search("", limit=5000)} == states
    finally:
        col.close()


ZONES = [
    ("UTC", date(2026, 3, 2)),
    ("Etc/GMT+4", date(2026, 3, 2)),  # UTC-4
    ("Asia/Kolkata", date(2026, 3, 2)),  # UTC+5:30
    ("Europe/Paris", date(2026, 3, 28)),  # the night of the 29th loses an hour
    ("Europe/Paris", date(2026, 10, 24)),  # the night of the 25th gains one
]
# (day offset, local time, card, rating) answers; then counts at (day offset, local time)
ANSWERS = [
    (0, "10:00", 0, 1),
    (0, "10:00", 1, 3),
    (0, "10:00", 2, 3),
    (0, "10:11", 2, 3),
    (0, "10:00", 3, 2),
    (0, "10:00", 4, 4),
    (0, "23:50", 5, 3),
    (1, "03:55", 6, 3),
    (1, "10:00", 7, 3),
    (1, "10:11", 7, 3),
]
MOMENTS = [(0, "10:05"), (0, "10:25"), (0, "10:45"), (0, "23:55"), (1, "00:05"), (1, "03:50"),
           (1, "03:58"), (1, "04:10"), (1, "10:05"), (2, "03:59"), (2, "04:01"), (2, "23:59"),
           (3, "00:01"), (3, "04:01"), (5, "04:01")]  # fmt: skip


def local(zone: str, day: date, offset: int, clock: str) -> datetime:
    hour, minute = (int(x) for x in clock.split(":"))
    return datetime.combine(day + timedelta(days=offset), time(hour, minute), ZoneInfo(zone)).astimezone(UTC)


@pytest.mark.parametrize(("zone", "day"), ZONES, ids=[f"{z}-{d}" for z, d in ZONES])
def test_deck_counts_around_day_start_and_midnight_match_anki(zone: str, day: date, tmp_path: Path) -> None:
    """New / learning / review counts of the deck list at moments around the 04:00 day start
    and midnight, across both DST changes in Paris: Anki's and trainer's are equal."""
    events: list[tuple[datetime, dict[str, Any]]] = []
    for offset, clock, card, rating in ANSWERS:
        events.append((local(zone, day, offset, clock), {"answer": [card, rating]}))
    for offset, clock in MOMENTS:
        events.append((local(zone, day, offset, clock), {"counts": True}))
    events.sort(key=lambda e: (e[0], "counts" in e[1]))
    steps = [{"at": at.isoformat(), **step} for at, step in events]
    # a second step of an hour: a card due in it is outside the 20-minute learn-ahead limit
    anki = run_anki(job(10, steps, zone=zone, fuzz=True, learn=[1.0, 60.0]))
    col = open_collection(tmp_path / "c.sqlite3", zone=ZoneInfo(zone), install_bundled=False)
    try:
        deck = tmp_path / "oracle.toml"
        cards = "".join(f'[[cards]]\nid = "c{i}"\nfront = "card {i}"\nback = "a"\n\n' for i in range(10))
        deck.write_text(f'[deck]\nid = "oracle"\nname = "Oracle"\n\n{cards}', encoding="utf-8")
        col.load([deck], now=events[0][0] - timedelta(hours=1))
        col.presets.set_options(
            "Default", ["new_per_day=9999", "reviews_per_day=9999", "learning_steps=1m 1h"], now=events[0][0]
        )
        ids = {int(c.content.front.split()[1]): c.id for c in col.search("deck:Oracle", limit=100)}
        ours = []
        for at, step in events:
            if "answer" in step:
                col.answer(ids[step["answer"][0]], step["answer"][1], now=at)
            else:
                info = next(d for d in col.decks(now=at) if d.name == "Oracle")
                ours.append([info.new, info.learning, info.due])
    finally:
        col.close()
    moments = [at.astimezone(ZoneInfo(zone)).isoformat() for at, step in events if "counts" in step]
    assert list(zip(moments, ours, strict=True)) == list(zip(moments, anki, strict=True))
