"""Old FSRS parameter sets in Anki deck options are filled to FSRS-6 as Anki fills them."""

from __future__ import annotations

import fsrs_rs_python as rs
import pytest

from trainer.formats.anki_config import parameters

FSRS45 = [0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298, 0.8975, 0.031, 1.6474, 0.1367, 1.0461,
          2.1072, 0.0793, 0.3246, 1.587, 0.2272, 2.8755]  # fmt: skip
FSRS5 = [*FSRS45, 0.5, 0.6]


@pytest.mark.parametrize("weights", [FSRS45, FSRS5], ids=["17 weights", "19 weights"])
def test_old_weights_are_filled_not_dropped(weights: list[float]) -> None:
    filled = parameters(weights)
    assert filled is not None and len(filled) == 21
    expected = rs.check_and_fill_parameters(weights)  # what Anki's engine uses for them
    assert filled == pytest.approx([round(v, 6) for v in expected], abs=1e-6)


def test_unusable_counts_are_none() -> None:
    assert parameters([]) is None
    assert parameters(FSRS45[:10]) is None
