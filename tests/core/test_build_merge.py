"""Re-running build merges into the learner's file: edits kept, rejections respected, news added."""

from __future__ import annotations

import tomllib

import pytest

from trainer.core.build import SourceDoc, apply_triage, build_drafts, render_toml
from trainer.core.build.merge import merge_into
from trainer.errors import InvalidInputError

TEXT = (
    "# Glossary\n\n"
    "Inflation - a sustained rise in the general price level.\n\n"
    "Deflation - a sustained fall in the general price level.\n"
)


def test_rejected_drafts_stay_out_and_new_ones_come_in() -> None:
    first = build_drafts([SourceDoc("econ.md", TEXT)])
    inflation, deflation = first.cards
    kept = apply_triage(first, {inflation.id: "accept", deflation.id: "reject"})
    written = render_toml(kept, "econ", "Econ", rejected=[deflation.id])
    assert deflation.id in written  # recorded as drafted, though not a card
    second = build_drafts([SourceDoc("econ.md", TEXT + "\nRecession - two quarters of falling output.\n")])
    merged = merge_into(written, second)
    data = tomllib.loads(merged.text)
    assert [c["front"] for c in data["cards"]] == ["What is inflation?", "What is recession?"]
    assert (merged.added, merged.kept, merged.left_out) == (1, 1, 1)
    assert merge_into(merged.text, second).added == 0  # idempotent


def test_an_unreadable_existing_file_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="not a deck file"):
        merge_into("this is [not toml", build_drafts([SourceDoc("econ.md", TEXT)]))
