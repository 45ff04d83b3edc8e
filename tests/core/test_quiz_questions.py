"""Quiz questions a demanding learner finds fair (issue 14): the right options, of the right type."""

from __future__ import annotations

import random

from trainer.core.cards import CardContent, CardKind
from trainer.core.compare import CompareSet, expand
from trainer.core.quiz import QuizSource, make_question, make_questions

SUNDERLAND = CompareSet(
    base="d/sunderland",
    title="Sunderland grades",
    items=["Grade 1", "Grade 2", "Grade 3", "Grade 4"],
    facets={
        "Structures disrupted": [
            "Myelin only",
            "Axon and myelin",
            "Axon and endoneurium",
            "Up to perineurium",
        ],
        "Spontaneous recovery": ["Complete, weeks", "Complete, slow", "Variable", "None"],
    },
    directions={},
)


def sources_of(contents: list[CardContent], group: str = "", deck: str = "D") -> list[QuizSource]:
    return [QuizSource(i, c, group, deck) for i, c in enumerate(contents, 1)]


def test_a_compare_card_is_offered_values_of_its_own_facet_only() -> None:
    sources = sources_of([c for _, c in expand(SUNDERLAND)], group="d/sunderland")
    structures = {"Myelin only", "Axon and myelin", "Axon and endoneurium", "Up to perineurium"}
    for seed in range(20):
        for source in sources:
            if source.content.front.endswith(": Structures disrupted?"):
                question = make_question(source, sources, "choice", random.Random(seed))
                assert question is not None
                assert set(question.options) <= structures, question.options


def test_a_cloze_is_answered_by_its_gap_and_offered_other_gaps() -> None:
    sources = sources_of([
        CardContent(CardKind.CLOZE, text="Denervated muscle shows {{c1::fibrillation}} on EMG.", cloze_ord=1),
        CardContent(CardKind.CLOZE, text="Axons regrow about {{c1::1 mm a day}}.", cloze_ord=1),
        CardContent(CardKind.CLOZE, text="The {{c1::Schwann cell}} myelinates axons.", cloze_ord=1),
    ])  # fmt: skip
    question = make_question(sources[0], sources, "choice", random.Random(1))
    assert question is not None
    assert question.expected == "fibrillation"
    assert set(question.options) == {"fibrillation", "1 mm a day", "Schwann cell"}
    typed = make_question(sources[0], sources, "typed", random.Random(1))
    assert typed is not None and typed.accepted == ("fibrillation",)


def test_no_option_is_the_question_itself() -> None:
    forward = CardContent(CardKind.BASIC, front="Neurapraxia", back="Conduction block")
    backward = CardContent(CardKind.BASIC, front="Conduction block", back="Neurapraxia")
    other = CardContent(CardKind.BASIC, front="Axonotmesis", back="Axon loss, sheath intact")
    sources = sources_of([forward, backward, other])
    for seed in range(10):
        question = make_question(sources[0], sources, "choice", random.Random(seed))
        assert question is not None
        assert "Neurapraxia" not in question.options


def test_typed_mode_never_asks_a_choice_card_without_its_options() -> None:
    choice = CardContent(CardKind.CHOICE, front="Which of these is a glial cell?", back="Schwann cell",
                         distractors=("Neuron", "Myocyte"))  # fmt: skip
    basic = CardContent(CardKind.BASIC, front="Cell that myelinates PNS axons?", back="Schwann cell")
    sources = sources_of([choice, basic])
    questions = make_questions(sources, 10, "typed", random.Random(2))
    assert [q.card_id for q in questions] == [2]
    mixed = make_questions(sources, 10, "mixed", random.Random(2))
    assert all(q.mode == "choice" for q in mixed if q.card_id == 1)


def test_an_answer_that_is_right_too_is_never_offered_as_wrong() -> None:
    # aliases (a typed card's accepted answers), the same question asked by another card, and
    # the same compare item and facet in another set are right: never a wrong option
    typed = CardContent(CardKind.TYPED, front="Degeneration of the distal stump after a cut?",
                        answers=("Wallerian degeneration", "Anterograde degeneration"))  # fmt: skip
    basic = CardContent(CardKind.TYPED, front="What follows axon transection distally?",
                        answers=("Wallerian degeneration",))  # fmt: skip
    alias = CardContent(CardKind.TYPED, front="Another name for Wallerian degeneration?",
                        answers=("Anterograde degeneration",))  # fmt: skip
    twin = CardContent(
        CardKind.TYPED, front="what follows axon transection distally", answers=("Axon death",)
    )
    others = [CardContent(CardKind.TYPED, front=f"Q{n}?", answers=(f"Answer {n}",)) for n in range(6)]
    sources = sources_of([typed, basic, alias, twin, *others])
    for seed in range(30):
        question = make_question(sources[1], sources, "choice", random.Random(seed))
        assert question is not None and question.expected == "Wallerian degeneration"
        wrong = set(question.options) - {question.expected}
        assert not wrong & {"Anterograde degeneration", "Axon death"}, question.options


def test_a_value_right_for_the_same_item_in_another_set_is_not_wrong() -> None:
    mine = CompareSet(base="d/a", title="Set A", items=["X", "Y", "Z"],
                      facets={"Speed": ["Fast", "Slow", "Medium"]}, directions={})  # fmt: skip
    theirs = CompareSet(base="d/b", title="Set B", items=["X", "W"],
                        facets={"Speed": ["Quick", "Fast"]}, directions={})  # fmt: skip
    sources = [
        *[QuizSource(i, c, "d/a", "D") for i, (_, c) in enumerate(expand(mine), 1)],
        *[QuizSource(100 + i, c, "d/b", "D") for i, (_, c) in enumerate(expand(theirs), 1)],
    ]
    what_x = next(s for s in sources if s.content.front == "Set A - X: Speed?")
    which_fast = next(s for s in sources if s.content.front == "Set A - which has Speed: Fast?")
    from trainer.core.quiz import right_answers

    right = right_answers(sources)
    assert right.of(what_x) == {"fast", "quick"}  # X is Quick in set B
    assert right.of(which_fast) == {"x", "w"}  # W is Fast in set B
    for seed in range(20):
        question = make_question(what_x, sources, "choice", random.Random(seed))
        assert question is not None and "Quick" not in question.options
