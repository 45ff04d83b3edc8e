"""Anki's learning-step fuzz and its elapsed-days rule near DST, against Anki's own library on a
fixed clock (libfaketime, `tests/anki_clock.py`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.anki_clock import faketime_missing, run_anki
from trainer.collection import open_collection
from trainer.core.intervals import learning_fuzz
from trainer.core.scheduling import DEFAULT_PARAMETERS, Preset, Rating, SchedulingState, outcome, preview

pytestmark = pytest.mark.skipif(faketime_missing() is not None, reason=faketime_missing() or "")

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# (first rating, second rating or None, seconds of the step the last answer gives)
GROUPS = [
    (Rating.AGAIN, None, 60),
    (Rating.HARD, None, 330),
    (Rating.GOOD, None, 600),
    (Rating.GOOD, Rating.GOOD, 3600),
]
PER_GROUP = 20


def job(cards: int, steps: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    return {
        "zone": "UTC", "rollover": 4, "cards": cards, "parameters": list(DEFAULT_PARAMETERS),
        "learn": [1.0, 10.0, 60.0], "relearn": [10.0], "fuzz": True, "steps": steps, **options,
    }  # fmt: skip


def bounds(seconds: int) -> tuple[int, int]:
    """Anki's range for a learning step's delay, upper end excluded: up to 25 %, at most 5 minutes."""
    return seconds, seconds + min(seconds // 4, 300)


def answers() -> list[tuple[datetime, int, Rating]]:
    out = []
    for g, (first, second, _) in enumerate(GROUPS):
        for i in range(g * PER_GROUP, (g + 1) * PER_GROUP):
            out.append((START, i, first))
            if second is not None:
                out.append((START + timedelta(minutes=15), i, second))
    return sorted(out, key=lambda a: a[0])


def test_learning_step_delays_have_ankis_fuzz_range(tmp_path: Path) -> None:
    """Anki delays a learning step by up to a quarter (at most 5 minutes) more; so does trainer,
    over the same range, spread by each card's fuzz draw, the button still showing the step."""
    steps = [{"at": at.isoformat(), "answer": [i, int(r)]} for at, i, r in answers()]
    cards = len(GROUPS) * PER_GROUP
    steps.append({"at": (START + timedelta(minutes=16)).isoformat(), "due": list(range(cards))})
    anki = run_anki(job(cards, steps))[0]
    col = open_collection(tmp_path / "c.sqlite3", zone=UTC, install_bundled=False)
    try:
        deck = tmp_path / "fuzz.toml"
        body = "".join(f'[[cards]]\nid = "c{i}"\nfront = "card {i}"\nback = "a"\n\n' for i in range(cards))
        deck.write_text(f'[deck]\nid = "fuzz"\nname = "Fuzz"\n\n{body}', encoding="utf-8")
        col.load([deck], now=START - timedelta(hours=1))
        col.presets.set_options("Default", ["learning_steps=1m 10m 1h"], now=START)
        ids = {int(c.content.front.split()[1]): c.id for c in col.search("deck:Fuzz", limit=1000)}
        ours: dict[int, int] = {}
        for at, i, rating in answers():
            shown = col.preview(ids[i], now=at)[rating]
            result = col.answer(ids[i], rating, now=at)
            assert result.after == shown.state  # the preview is what is stored
            assert result.after.due is not None
            ours[i] = int((result.after.due - at).total_seconds())
    finally:
        col.close()
    for g, (_, _, seconds) in enumerate(GROUPS):
        low, high = bounds(seconds)
        members = range(g * PER_GROUP, (g + 1) * PER_GROUP)
        theirs = [anki[i][1] - anki[i][2] // 1000 for i in members]  # due - the second it was answered
        # the answer's log time and its due are read from Anki's ticking clock a moment apart
        assert all(low - 1 <= d < high + 1 for d in theirs), (seconds, theirs)
        assert all(low <= ours[i] < high for i in members), (seconds, [ours[i] for i in members])
        assert len(set(theirs)) > 1 and len({ours[i] for i in members}) > 1  # both really fuzz
        # the whole range is reachable, and nothing outside it
        assert {learning_fuzz(seconds, k / 1000) for k in range(1000)} == set(range(low, high))


# (first answer, moment of the preview): each pair within an hour of a day start next to a DST
# change in Paris, where Anki's 86,400-second count differs from the study days crossed.
DST_CASES = [
    ("2026-03-28T03:30:00+01:00", "2026-03-29T12:00:00+02:00"),  # spring: a day less (1, not 2)
    ("2026-03-28T04:30:00+01:00", "2026-03-29T12:00:00+02:00"),  # spring, after the day start: 1
    ("2026-10-24T04:30:00+02:00", "2026-10-25T12:00:00+01:00"),  # autumn: a day more (2, not 1)
    ("2026-10-24T03:30:00+02:00", "2026-10-25T12:00:00+01:00"),  # autumn, before the day start: 2
]


def test_elapsed_days_next_to_dst_changes_match_anki() -> None:
    """The memory states of the four next states of a card answered next to a day start across a
    DST change in Europe/Paris: Anki's and trainer's are equal (to Anki's rounding)."""
    steps: list[dict[str, Any]] = []
    for i, (first, later) in enumerate(DST_CASES):
        steps.append({"at": first, "answer": [i, int(Rating.EASY)]})
        steps.append({"at": later, "next_memory": [i]})
    anki = run_anki(job(len(DST_CASES), steps, zone="Europe/Paris", learn=[1.0, 10.0]))
    preset = Preset(leech_threshold=9999)
    for i, (first, later) in enumerate(DST_CASES):
        answered = outcome(SchedulingState(), preset, datetime.fromisoformat(first), Rating.EASY, zone=PARIS)
        ours = preview(answered.state, preset, datetime.fromisoformat(later), zone=PARIS)
        theirs = anki[i][str(i)]
        for rating, (stability, difficulty) in zip(Rating, theirs, strict=True):
            assert ours[rating].state.stability == pytest.approx(stability, abs=1e-4), (first, rating)
            assert ours[rating].state.difficulty == pytest.approx(difficulty, abs=1e-3), (first, rating)
