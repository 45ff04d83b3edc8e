"""Quiz question generation and typed-answer checking."""

from __future__ import annotations

import random

import pytest

from trainer.core.cards import CardContent, CardKind
from trainer.core.quiz import (
    QuizSource,
    Segment,
    breakdown,
    check_answer,
    make_question,
    make_questions,
    normalise,
)
from trainer.core.scheduling import Rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Élan, Vital!", "elan vital"), ("  entrapment   NEUROPATHY ", "entrapment neuropathy"),
     ("C5-C6", "c5 c6"), ("ß", "ss"), ("", "")],
)  # fmt: skip
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_accepts_case_accents_punctuation_and_alternatives() -> None:
    accepted = ["entrapment neuropathy", "entrapment"]
    assert check_answer("ENTRAPMENT NEUROPATHY.", accepted).exact
    assert check_answer("Entrapment", accepted).matched == "entrapment"
    assert check_answer("dénervation", ["denervation"]).exact


def test_small_typo_is_forgiven_but_shown() -> None:
    check = check_answer("entrapmnet", ["entrapment"])
    assert check.correct and not check.exact and check.distance == 1  # a swap is one typo
    assert check.proposed is Rating.GOOD
    assert any(s.kind != "same" for s in check.diff)


def test_short_answers_need_to_be_exact() -> None:
    assert not check_answer("C6", ["C5"]).correct
    assert check_answer("c5", ["C5"]).correct


def test_wrong_answer_proposes_again_and_diffs_the_canonical() -> None:
    check = check_answer("carpal", ["entrapment neuropathy", "entrapment"])
    assert not check.correct and check.proposed is Rating.AGAIN
    assert "".join(s.text for s in check.diff if s.kind != "extra") == "entrapment neuropathy"


def test_empty_answer_is_wrong() -> None:
    assert not check_answer("   ", ["a b c d e f"]).correct
    with pytest.raises(ValueError):
        check_answer("x", [])


def test_diff_segments() -> None:
    assert check_answer("axon", ["axon"]).diff == (Segment("same", "axon"),)


def _set(ids: range, group: str = "g") -> list[QuizSource]:
    items = ["Neurapraxia", "Axonotmesis", "Neurotmesis", "Fourth"]
    return [
        QuizSource(
            i, CardContent(CardKind.BASIC, front=f"Q{i}", back=items[i % 4], group_title="Seddon"), group, "D"
        )
        for i in ids
    ]


def test_choice_distractors_come_from_the_same_set() -> None:
    other = QuizSource(9, CardContent(CardKind.BASIC, front="x", back="Other deck"), "", "E")
    sources = [*_set(range(4)), other]
    question = make_question(sources[0], sources, "choice", random.Random(1))
    assert question is not None and question.mode == "choice"
    assert sorted(question.options) == ["Axonotmesis", "Fourth", "Neurapraxia", "Neurotmesis"]
    assert question.topic == "Seddon" and question.group_id == "g"
    assert question.grade_choice(question.answer_index)
    assert not question.grade_choice((question.answer_index + 1) % 4)


def test_choice_card_uses_its_own_distractors() -> None:
    card = CardContent(CardKind.CHOICE, front="Which?", back="Schwann", distractors=("Oligo", "Astro"))
    question = make_question(QuizSource(1, card, "", "D"), [], "mixed", random.Random(0))
    assert question is not None and sorted(question.options) == ["Astro", "Oligo", "Schwann"]


def test_typed_mode_and_fallbacks() -> None:
    typed = CardContent(CardKind.TYPED, front="Term?", answers=("entrapment", "nerve entrapment"))
    question = make_question(QuizSource(1, typed, "", "D"), [], "mixed", random.Random(0))
    assert question is not None and question.mode == "typed" and question.accepted == typed.answers
    long = CardContent(CardKind.BASIC, front="Why?", back="x" * 100)
    assert make_question(QuizSource(2, long, "", "D"), [], "typed", random.Random(0)) is None
    assert make_question(QuizSource(2, long, "", "D"), [], "choice", random.Random(0)) is None


def test_make_questions_is_seeded_and_limited() -> None:
    sources = _set(range(4))
    first = make_questions(sources, 3, "choice", random.Random(5))
    assert len(first) == 3 and first == make_questions(sources, 3, "choice", random.Random(5))
    with pytest.raises(ValueError):
        make_questions(sources, 3, "bogus", random.Random(5))  # type: ignore[arg-type]


def test_breakdown_per_topic() -> None:
    sources = _set(range(2))
    questions = make_questions(sources, 2, "choice", random.Random(0))
    rows = breakdown([(questions[0], True), (questions[1], False)])
    assert [(r.topic, r.right, r.asked) for r in rows] == [("Seddon", 1, 2)]
