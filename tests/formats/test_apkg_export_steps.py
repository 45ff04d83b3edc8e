"""(Re)learning cards leave at the step they are at: Anki shows the same next intervals.

Anki is the judge: the package is imported into Anki on the same clock (fuzz off) and its
four next states of every learning and relearning card are compared with trainer's own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.anki_clock import faketime_missing, run_anki
from tests.conftest import Clock
from tests.formats.anki_next_states import made_with_sm2_values, next_states
from tests.formats.test_apkg_export_judged import exported
from trainer.collection import Collection, open_collection
from trainer.core.scheduling import DEFAULT_PARAMETERS, CardState, Rating, preview

pytestmark = pytest.mark.skipif(faketime_missing() is not None, reason=str(faketime_missing()))

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WHEN = "2026-03-01 12:00:00"
DECK = """
[deck]
id = "s"
name = "Steps"
"""
DECK += "".join(f'\n[[cards]]\nid = "c{i}"\nfront = "q{i}"\nback = "a{i}"\n' for i in range(4))
AGAIN, HARD, GOOD, EASY = Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY


def _answer(col: Collection, clock: Clock, front: str, rating: Rating, at: datetime) -> None:
    clock.now = at
    card = next(c for c in col.search("deck:Steps") if c.content.front == front)
    col.answer(card.id, rating)


def studied(path: Path) -> Collection:
    """Cards at step 0 and 1 of learning, one relearning, one review."""
    clock = Clock(NOW - timedelta(days=9))
    col = open_collection(path, clock=clock, zone=UTC, install_bundled=False)
    deck = path.parent / "steps.toml"
    deck.write_text(DECK, encoding="utf-8")
    col.load([deck])
    _answer(col, clock, "q2", EASY, NOW - timedelta(days=9))
    _answer(col, clock, "q3", EASY, NOW - timedelta(days=9))
    minute = timedelta(minutes=1)
    _answer(col, clock, "q0", AGAIN, NOW - minute)  # learning, step 0
    _answer(col, clock, "q1", AGAIN, NOW - 3 * minute)
    _answer(col, clock, "q1", GOOD, NOW - 2 * minute)  # learning, step 1
    _answer(col, clock, "q2", AGAIN, NOW - minute)  # relearning, step 0
    clock.now = NOW
    return col


def _ours(outcomes: Any) -> list[list[Any]]:
    out = []
    for rating in (AGAIN, HARD, GOOD, EASY):
        o = outcomes[rating]
        if o.state.state is CardState.REVIEW:
            out.append(["review", o.interval.days])
        else:
            kind = "learning" if o.state.state is CardState.LEARNING else "relearning"
            out.append([kind, int(o.interval.total_seconds())])
    return out


def test_learning_cards_keep_their_step(tmp_path: Path) -> None:
    col = studied(tmp_path / "c.sqlite3")
    try:
        out = tmp_path / "steps.apkg"
        col.export_file(out, now=NOW)
        ours = exported(col)
        preset = col.presets.of_deck("Steps")
    finally:
        col.close()
    anki = next_states(out, tmp_path / "anki", WHEN, fsrs=True)
    seen = {CardState.LEARNING: 0, CardState.RELEARNING: 0}
    for key, card in anki.items():
        state = ours[key].scheduling
        assert state is not None
        if state.state not in seen:
            continue
        seen[state.state] += 1
        steps = preset.learning_steps if state.state is CardState.LEARNING else preset.relearning_steps
        assert card["left"] == len(steps) - (state.step or 0), key
        expected = _ours(preview(state, preset, NOW, zone=UTC).outcomes)
        assert card["next"] == expected, key
    assert seen == {CardState.LEARNING: 2, CardState.RELEARNING: 1}


def anki_made(folder: Path) -> Path:
    """An Anki package made by Anki: cards at learning steps 0 and 1, one relearning, one review."""
    iso = NOW.isoformat()
    early = (NOW - timedelta(days=9)).isoformat()
    package = folder / "made.apkg"
    steps = [
        {"at": early, "answer": [2, 4]},
        {"at": early, "answer": [3, 4]},
        {"at": (NOW - timedelta(minutes=3)).isoformat(), "answer": [0, 1]},
        {"at": (NOW - timedelta(minutes=3)).isoformat(), "answer": [1, 1]},
        {"at": (NOW - timedelta(minutes=2)).isoformat(), "answer": [1, 3]},
        {"at": (NOW - timedelta(minutes=1)).isoformat(), "answer": [2, 1]},
        {"at": iso, "states": [0]},
    ]
    parameters = list(DEFAULT_PARAMETERS)
    run_anki({"zone": "UTC", "cards": 4, "steps": steps, "parameters": parameters, "export": str(package)})
    return package


@pytest.mark.parametrize("fsrs", [True, False])
def test_anki_cards_come_back_at_their_step(fsrs: bool, tmp_path: Path) -> None:
    """An Anki package through trainer and back: Anki shows the same four next intervals."""
    package = anki_made(tmp_path)
    col = open_collection(tmp_path / "c.sqlite3", clock=Clock(NOW), zone=UTC, install_bundled=False)
    try:
        col.import_file(package)
        out = tmp_path / "back.apkg"
        col.export_file(out, now=NOW)
    finally:
        col.close()
    before = next_states(package, tmp_path / "before", WHEN, fsrs=fsrs)
    after = next_states(out, tmp_path / "after", WHEN, fsrs=fsrs)
    assert sorted(c["type"] for c in before.values()) == [1, 1, 2, 3]
    wrong = {
        key: (card, after.get(key))
        for key, card in before.items()
        if after.get(key) is None or card["next"] != after[key]["next"]
    }
    assert wrong == {}


def _trip(package: Path, folder: Path) -> Path:
    """`package` imported into a new trainer collection and exported again."""
    col = open_collection(folder / "c.sqlite3", clock=Clock(NOW), zone=UTC, install_bundled=False)
    try:
        col.import_file(package)
        out = folder / "back.apkg"
        col.export_file(out, now=NOW)
    finally:
        col.close()
    return out


def test_anki_ease_and_relearning_interval_come_back(tmp_path: Path) -> None:
    """With FSRS off (Anki's default) Anki schedules with the card's ease and, for a relearning
    card, its interval: both leave as they came, so Anki shows the same next intervals."""
    package = tmp_path / "sm2.apkg"
    made_with_sm2_values(package, WHEN)
    out = _trip(package, tmp_path)
    before = next_states(package, tmp_path / "before", WHEN, fsrs=False)
    after = next_states(out, tmp_path / "after", WHEN, fsrs=False)
    assert sorted((c["type"], c["ivl"], c["factor"]) for c in before.values()) == [
        (1, 0, 0), (2, 10, 1300), (3, 7, 2100)
    ]  # fmt: skip
    for key, card in before.items():
        assert (after[key]["ivl"], after[key]["factor"], after[key]["left"]) == (
            card["ivl"], card["factor"], card["left"]
        ), key  # fmt: skip
        assert after[key]["next"] == card["next"], key


def test_trainer_cards_leave_with_anki_default_ease(tmp_path: Path) -> None:
    """A trainer card has no SM-2 ease: review and relearning cards leave with Anki's starting
    ease (2500) and a relearning card with Anki's default lapse interval (1 day)."""
    col = studied(tmp_path / "c.sqlite3")
    try:
        out = tmp_path / "steps.apkg"
        col.export_file(out, now=NOW)
    finally:
        col.close()
    anki = next_states(out, tmp_path / "anki", WHEN, fsrs=False)
    values = sorted((c["type"], c["ivl"], c["factor"]) for c in anki.values())
    assert values[:2] == [(1, 0, 0), (1, 0, 0)]
    assert (values[2][0], values[2][2]) == (2, 2500) and values[3] == (3, 1, 2500)


def test_the_json_backup_keeps_anki_ease_and_interval(tmp_path: Path) -> None:
    """A JSON backup of an imported Anki package, restored into a new collection, exports the
    same SM-2 ease and relearning interval as the collection it came from (JSON stays lossless)."""
    package = tmp_path / "sm2.apkg"
    made_with_sm2_values(package, WHEN)
    col = open_collection(tmp_path / "c.sqlite3", clock=Clock(NOW), zone=UTC, install_bundled=False)
    try:
        col.import_file(package)
        col.export_file(tmp_path / "backup.json", now=NOW)
    finally:
        col.close()
    restored = open_collection(tmp_path / "r.sqlite3", clock=Clock(NOW), zone=UTC, install_bundled=False)
    try:
        restored.import_file(tmp_path / "backup.json")
        out = tmp_path / "restored.apkg"
        restored.export_file(out, now=NOW)
    finally:
        restored.close()
    before = next_states(package, tmp_path / "before", WHEN, fsrs=False)
    after = next_states(out, tmp_path / "after", WHEN, fsrs=False)
    for key, card in before.items():
        assert (after[key]["ivl"], after[key]["factor"], after[key]["next"]) == (
            card["ivl"], card["factor"], card["next"]
        ), key  # fmt: skip
