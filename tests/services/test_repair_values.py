"""`check --repair` fixes the values an older version let in, so `next`, `answer` and `undo` work again."""

from __future__ import annotations

import pytest

from tests.services.test_maintenance import raw, studied  # noqa: F401  (fixture)
from trainer.collection import Collection
from trainer.core.scheduling import Rating

REVIEWED = "UPDATE cards SET {} WHERE state != 0"
POISON = {
    "stability -5": REVIEWED.format("stability = -5, due = 0") + "; UPDATE reviews SET stability_after = -5",
    "stability inf": REVIEWED.format("stability = 9e999") + "; UPDATE reviews SET stability_after = 9e999",
    "stability text": REVIEWED.format("stability = 'abc'"),
    "no memory state": REVIEWED.format("stability = NULL, difficulty = NULL") + "; DELETE FROM reviews",
    "difficulty 50": REVIEWED.format("difficulty = 50") + "; UPDATE reviews SET difficulty_after = 50",
    "learning without step": REVIEWED.format("state = 1, queue = 1, step = NULL") + "; DELETE FROM reviews",
    "due year 292 million": REVIEWED.format("due = 9223372036854775807"),
    "last review minimum": REVIEWED.format("last_review = -9223372036854775807"),
    "state 7": REVIEWED.format("state = 7, queue = 7") + "; DELETE FROM reviews",
    "undo data not an object": "UPDATE reviews SET undo_data = '[1'",
    "undo data wrong types": 'UPDATE reviews SET undo_data = \'{"buried": "all", "tags": 5}\'',
    "steps 1e12 minutes": "UPDATE presets SET learning_steps = '[60000000000000]',"
    " relearning_steps = '[1e300]'",
    "parameters NaN": "UPDATE presets SET parameters = '[" + ",".join(["NaN"] * 21) + "]'",
    "day start 99": "UPDATE presets SET day_start_hour = 99",
}


@pytest.mark.parametrize("name", sorted(POISON))
def test_repair_undoes_poison(name: str, studied: Collection) -> None:  # noqa: F811
    with raw(studied) as conn:
        conn.executescript(POISON[name])
    found = studied.maintenance.check()
    assert found.problems and not found.ok
    repaired = studied.maintenance.check(repair=True)
    assert repaired.ok
    assert studied.maintenance.check().problems == []
    for _ in range(3):
        study = studied.next_card()
        assert study is not None
        studied.answer(study.card.id, Rating.GOOD, duration_ms=1000)
    assert studied.undo() is not None
    studied.decks()
