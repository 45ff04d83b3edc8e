"""New FSRS parameters on a preset recompute its cards' memory states, as Anki does."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import TEST_ZONE, Clock
from tests.services.test_stats import write_log
from trainer.collection import Collection
from trainer.core.scheduling import DEFAULT_PARAMETERS, Preset
from trainer.services import check_memory
from trainer.services.optimize import OptimizeService

NEW = list(DEFAULT_PARAMETERS)
NEW[0], NEW[2] = NEW[0] * 1.5, NEW[2] * 0.7


def memory(col: Collection) -> dict[int, tuple[float, float]]:
    with col.db.read() as session:
        rows = session.execute(
            text("SELECT id, stability, difficulty FROM cards WHERE stability IS NOT NULL")
        )
        return {int(i): (float(s), float(d)) for i, s, d in rows}


def test_new_parameters_recompute_every_reviewed_card_in_one_go(
    col: Collection, clock: Clock, tmp_path: Path
) -> None:
    col.optimizer.import_review_log(write_log(tmp_path / "log.csv", clock.now, cards=40))
    before = memory(col)
    assert len(before) == 40
    setting = "parameters=" + " ".join(repr(x) for x in NEW)
    info = col.presets.set_options("Default", [setting], now=clock.now)
    assert info.recomputed == 40 and info.to_dict()["recomputed"] == 40
    after = memory(col)
    assert after.keys() == before.keys() and all(after[c] != before[c] for c in after)
    # each equals what the check's own recompute gives from the card's history
    preset = Preset(parameters=tuple(NEW))
    with col.db.read() as session:
        histories = check_memory._histories(session)
    for card_id, state in after.items():
        assert check_memory.memory_from_log(histories[card_id], preset, TEST_ZONE) == pytest.approx(state)
    # other settings leave memory states alone
    assert col.presets.set_options("Default", ["desired_retention=0.85"], now=clock.now).recomputed == 0
    assert memory(col) == after


def test_a_failed_recompute_leaves_parameters_and_states_unchanged(
    col: Collection, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    col.optimizer.import_review_log(write_log(tmp_path / "log.csv", clock.now, cards=10))
    before = memory(col)
    real = OptimizeService.recompute_memory

    def dies_after_writing(self: OptimizeService, *args: object, **kwargs: object) -> object:
        real(self, *args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("power cut")

    monkeypatch.setattr(OptimizeService, "recompute_memory", dies_after_writing)
    with pytest.raises(RuntimeError):
        col.presets.set_options("Default", ["parameters=" + " ".join(map(repr, NEW))], now=clock.now)
    assert col.presets.get("Default").preset.parameters == DEFAULT_PARAMETERS
    assert memory(col) == before
