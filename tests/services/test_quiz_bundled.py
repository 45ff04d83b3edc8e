"""On the bundled decks, no multiple-choice question offers a right answer as a wrong option."""

from __future__ import annotations

import random
from collections import defaultdict

from trainer.collection import Collection
from trainer.core.cards import render
from trainer.core.quiz import QuizSource, make_question, normalise, right_answers
from trainer.services.quiz import QuizService


def meaning(source: QuizSource) -> set[tuple[str, ...]]:
    """What a card asks, written out independently of the quiz code: its prompt, and for a
    compare-set card the item and facet (or the facet and value) it names."""
    content = source.content
    keys: set[tuple[str, ...]] = {("prompt", normalise(render(content).question))}
    title = content.group_title
    if title and content.front.startswith(f"{title} - "):
        rest = content.front[len(title) + 3 :].rstrip("?")
        if rest.startswith("which has "):
            facet, value = rest[len("which has ") :].split(": ", 1)
            keys.add(("which", normalise(facet), normalise(value)))
        else:
            item, facet = rest.rsplit(": ", 1)
            keys.add(("what", normalise(item), normalise(facet)))
    return keys


def test_no_wrong_option_is_right_for_the_question(col: Collection) -> None:
    col.load_bundled()
    sources = QuizService(col.db).sources(None)
    right: dict[tuple[str, ...], set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        content = source.content
        answers = {normalise(a) for a in (content.answers or (render(content).answer,))}
        if content.kind.value == "cloze":
            answers = set()  # a cloze's answer is its gap, checked by the prompt key below
        for key in meaning(source):
            right[key] |= answers
        for answer in answers:
            aliases[answer] |= answers
    asked = 0
    known = right_answers(sources)
    for source in sources:
        for seed in range(3):
            question = make_question(source, sources, "choice", random.Random(seed), known)
            if question is None or question.mode != "choice":
                continue
            asked += 1
            also_right = {a for key in meaning(source) for a in right[key]}
            also_right |= {alias for a in set(also_right) for alias in aliases[a]}
            for option in question.options:
                if option != question.expected:
                    assert normalise(option) not in also_right, (question.prompt, option)
    assert asked > 900  # every card of the bundled decks that can be asked, three times
