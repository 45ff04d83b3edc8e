"""Quiz sources and stored quiz answers (with the confusion record)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import DECK
from trainer.collection import Collection
from trainer.services.quiz import QuizService


@pytest.fixture
def demo(col: Collection, tmp_path: Path) -> Collection:
    path = tmp_path / "demo.toml"
    path.write_text(DECK)
    col.load([path])
    return col


def test_questions_skip_suspended_and_honour_mode(demo: Collection) -> None:
    all_ids = {c.id for c in demo.search("")}
    suspended = demo.search("kind:cloze")[0].id
    demo.set_suspended([suspended], True)
    questions = demo.quiz_questions("Demo", 50, "mixed", seed=3)
    assert suspended not in {q.card_id for q in questions}
    assert {q.card_id for q in questions} <= all_ids
    assert all(q.mode == "choice" for q in demo.quiz_questions(None, 50, "choice", seed=3))
    assert all(q.mode == "typed" for q in demo.quiz_questions(None, 50, "typed", seed=3))
    assert len(demo.quiz_questions("Demo", 2, "mixed", seed=3)) == 2


def test_bad_arguments(demo: Collection) -> None:
    with pytest.raises(LookupError):
        demo.quiz_questions("Nope", 5)
    with pytest.raises(ValueError):
        demo.quiz_questions("Demo", 5, "essay")
    with pytest.raises(ValueError):
        demo.quiz_questions("Demo", 0)


def test_record_stores_confusion_and_caps_time(demo: Collection, clock: object) -> None:
    question = next(q for q in demo.quiz_questions("Demo", 50, "choice", seed=1) if q.group_id)
    wrong = next(o for o in question.options if o != question.expected)
    answer_id = demo.record_quiz_answer(question, correct=False, given=wrong, duration_ms=90_000)
    [record] = QuizService(demo.db).answers()
    assert record.id == answer_id
    assert (record.card_id, record.mode, record.correct) == (question.card_id, "choice", False)
    assert (record.given, record.expected, record.group_id) == (wrong, question.expected, question.group_id)
    assert record.duration_ms == 60_000
    assert record.answered_at == demo.clock()
    assert demo.history(question.card_id) == []  # no schedule change
