"""The floor under the build benchmark: precision and recall on the hand-written corpus."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_quality", ROOT / "bench" / "build_quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_quality"] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    folder = BENCH.CORPUS / "train"
    return {s.name: s for s in (BENCH.score(p) for p in BENCH.documents(folder))}


def test_every_faq_question_comes_with_its_whole_answer(scores: dict[str, Any]) -> None:
    for name, s in scores.items():
        if name.startswith("faq_"):
            assert s.recall == 1.0, (name, [str(f) for f in s.facts if f.line not in s.recalled])


def test_precision_and_recall_hold_their_floor(scores: dict[str, Any]) -> None:
    docs = list(scores.values())
    drafts = sum(s.drafts for s in docs)
    good = sum(s.share("good") * s.drafts for s in docs) / drafts
    usable = sum(s.share("good", "usable") * s.drafts for s in docs) / drafts
    facts = sum(len(s.facts) for s in docs)
    recalled = sum(len(s.recalled) for s in docs) / facts
    assert good >= 0.85 and usable >= 0.92 and recalled >= 0.84, (good, usable, recalled)


def test_documents_the_rules_were_not_written_for_hold_their_floor() -> None:
    """The held-out documents (facts written before the builder ran on them): 85 % good,
    96 % usable, 68 % recall when this floor was set; never tuned to, only guarded."""
    docs = [s for s in (BENCH.score(p) for p in BENCH.documents(BENCH.CORPUS / "heldout")) if s.drafts]
    drafts = sum(s.drafts for s in docs)
    good = sum(s.share("good") * s.drafts for s in docs) / drafts
    usable = sum(s.share("good", "usable") * s.drafts for s in docs) / drafts
    recalled = sum(len(s.recalled) for s in docs) / sum(len(s.facts) for s in docs)
    assert good >= 0.80 and usable >= 0.90 and recalled >= 0.64, (good, usable, recalled)


def test_the_judge_tells_good_from_usable_from_bad() -> None:
    from trainer.core.build import DraftCard

    facts = [BENCH.Fact(1, ("osmosis",), (("water",),))]

    def card(front: str, back: str) -> object:
        return DraftCard("x", "basic", {"front": front, "back": back}, [], "s", "", (1, 1), 0.8)

    def grade(*cards: object) -> list[str]:
        result = type("R", (), {"cards": list(cards), "compares": []})()
        return [v.grade for v in BENCH.judge(result, facts)[0]]

    assert grade(card("What is osmosis?", "The diffusion of water across a membrane.")) == ["good"]
    assert grade(card("What is **osmosis**?", "The diffusion of water.")) == ["usable"]
    assert grade(card("What is it?", "Osmosis, the diffusion of water.")) == ["usable"]
    assert grade(card("What is osmosis?", "Diffusion.")) == ["bad"]
    assert grade(card("What is diffusion?", "Movement of particles.")) == ["bad"]
    twice = card("What is osmosis?", "The diffusion of water.")
    assert grade(twice, twice, twice) == ["good", "good", "bad"]
