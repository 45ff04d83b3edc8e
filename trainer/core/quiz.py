"""Quiz questions and answer checking (pure: no storage, no UI).

Typed answers are compared after normalisation (case, accents, punctuation and spacing
do not count), against every accepted alternative, with a small typo allowance
(rapidfuzz's optimal-string-alignment distance: a swap of two letters is one typo).
Multiple-choice distractors come from the same compare set first, then from the same deck;
an answer that is right for the question too (an alias, the answer of the same question
asked by another card: `trainer.core.quiz_meaning`) is never offered as a wrong option.
"""

from __future__ import annotations

import difflib
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rapidfuzz.distance import OSA

from trainer.core.cards import CLOZE_RE, CardContent, CardKind, render
from trainer.core.scheduling import Rating
from trainer.errors import InvalidInputError

if TYPE_CHECKING:
    from trainer.core.quiz_meaning import RightAnswers

Mode = Literal["mixed", "choice", "typed"]
QuestionMode = Literal["choice", "typed"]
MODES: tuple[str, ...] = ("mixed", "choice", "typed")
TYPED_MAX_CHARS = 40  # longer answers are not fair to type: asked as multiple choice
MAX_OPTIONS = 4

_PUNCT_RE = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Casefolded, accents and punctuation removed, spacing collapsed: `Élan, vital!` -> `elan vital`."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    no_punct = _PUNCT_RE.sub(" ", stripped.casefold()).replace("_", " ")
    return _SPACE_RE.sub(" ", no_punct).strip()


def typo_allowance(expected: str) -> int:
    """Edits forgiven for an answer of this (normalised) length: 0 up to 4 chars, then 1 per 6."""
    if len(expected) <= 4:
        return 0
    return max(1, len(expected) // 6)


@dataclass(frozen=True)
class Segment:
    """A piece of the comparison: `same`, `missing` (expected, not typed) or `extra` (typed, not expected)."""

    kind: Literal["same", "missing", "extra"]
    text: str


@dataclass(frozen=True)
class Check:
    """The verdict on a typed answer."""

    correct: bool
    exact: bool  # equal after normalisation (no typo forgiven)
    matched: str  # the accepted answer closest to what was typed
    distance: int
    diff: tuple[Segment, ...]

    @property
    def proposed(self) -> Rating:
        """The rating to propose: wrong -> Again, right -> Good."""
        return Rating.GOOD if self.correct else Rating.AGAIN


def diff_segments(given: str, expected: str) -> tuple[Segment, ...]:
    """What differed between the typed and the expected answer, character by character."""
    segments: list[Segment] = []
    same_length = len(given.lower()) == len(given) and len(expected.lower()) == len(expected)
    a, b = (given.lower(), expected.lower()) if same_length else (given, expected)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", given[a0:a1]))
            continue
        if a1 > a0:
            segments.append(Segment("extra", given[a0:a1]))
        if b1 > b0:
            segments.append(Segment("missing", expected[b0:b1]))
    return tuple(segments)


def check_answer(given: str, accepted: Sequence[str]) -> Check:
    """Compare a typed answer with the accepted ones (the first is canonical)."""
    if not accepted:
        raise InvalidInputError("a typed question needs at least one accepted answer")
    typed = normalise(given)
    best: tuple[int, int, str] | None = None
    for index, answer in enumerate(accepted):
        distance = OSA.distance(typed, normalise(answer))
        if best is None or distance < best[0]:
            best = (distance, index, answer)
    assert best is not None
    distance, _, matched = best
    correct = bool(typed) and distance <= typo_allowance(normalise(matched))
    shown = matched if correct else accepted[0]
    return Check(
        correct=correct,
        exact=correct and distance == 0,
        matched=matched,
        distance=distance,
        diff=diff_segments(given.strip(), shown),
    )


@dataclass(frozen=True)
class QuizSource:
    """A card that a quiz may ask, with what distractors are drawn from."""

    card_id: int
    content: CardContent
    group_id: str
    deck: str


@dataclass(frozen=True)
class Question:
    """One quiz question."""

    card_id: int
    mode: QuestionMode
    prompt: str
    expected: str
    accepted: tuple[str, ...] = ()  # typed
    options: tuple[str, ...] = ()  # choice, shuffled
    group_id: str = ""
    topic: str = ""  # compare set title, else the deck name

    @property
    def answer_index(self) -> int:
        """The position of the right option (choice)."""
        return self.options.index(self.expected)

    def grade_choice(self, picked: int) -> bool:
        """Whether option `picked` (0-based) is right."""
        return 0 <= picked < len(self.options) and self.options[picked] == self.expected


def cloze_gap(content: CardContent) -> str:
    """What a cloze card hides: the text of its gap(s), not the whole filled sentence."""
    gaps = [m.group(2) for m in CLOZE_RE.finditer(content.text) if int(m.group(1)) == content.cloze_ord]
    return " … ".join(gaps)


def _expected(content: CardContent) -> str:
    """The answer a quiz expects: a cloze's gap, otherwise the card's answer."""
    if content.kind is CardKind.CLOZE:
        return cloze_gap(content)
    return render(content).answer


def _facet(source: QuizSource) -> str:
    """For a card of a compare set, what its question asks about (`Title - Item: Facet?`)."""
    content = source.content
    if not content.group_title or not content.front.startswith(content.group_title + " - "):
        return ""
    if " - which has " in content.front:
        return "which"  # answered by an item
    return content.front.rsplit(": ", 1)[-1] if ": " in content.front else ""


def _gives_itself_away(option: str, prompt: str) -> bool:
    """An option that the question itself states (a reversed card's other side, say)."""
    key = normalise(option)
    return bool(key) and (key == normalise(prompt) or f" {key} " in f" {normalise(prompt)} ")


def right_answers(sources: Sequence[QuizSource]) -> RightAnswers:
    """What is right for each question of `sources` (`trainer.core.quiz_meaning`)."""
    from trainer.core.quiz_meaning import RightAnswers

    return RightAnswers(sources, normalise=normalise, prompt=lambda c: render(c).question, answers=_accepted)


def _distractor_pool(
    source: QuizSource, sources: Sequence[QuizSource], expected: str, right: RightAnswers | None = None
) -> list[str]:
    """Wrong options of the same type as the answer, best first.

    A choice card's own distractors; for a compare-set card the other items' values of the
    same facet (never another facet's, never an item for a value); otherwise answers of
    cards of the same deck and kind, those of a similar length first. Options that the
    question states, duplicates of the answer and answers that are right too (`right`) are
    left out.
    """
    content = source.content
    prompt = render(content).question
    if content.kind is CardKind.CHOICE and content.distractors:
        candidates = list(content.distractors)
    else:
        facet = _facet(source)
        if facet:
            same = [s for s in sources if s.group_id == source.group_id and _facet(s) == facet]
        else:
            same = [
                s
                for s in sources
                if s.deck == source.deck and s.content.kind is content.kind and not _facet(s)
            ]
            same.sort(key=lambda s: abs(len(_expected(s.content)) - len(expected)))
        candidates = [_expected(s.content) for s in same if s.card_id != source.card_id]
    seen = {normalise(expected), *(right or right_answers(sources)).of(source)}
    pool: list[str] = []
    for answer in candidates:
        key = normalise(answer)
        if not answer or key in seen or _gives_itself_away(answer, prompt):
            continue
        if len(answer) > max(80, 2 * len(expected)):
            continue
        seen.add(key)
        pool.append(answer)
    return pool


def _accepted(content: CardContent) -> tuple[str, ...]:
    if content.kind is CardKind.TYPED and content.answers:
        return content.answers
    answer = _expected(content)
    return (answer,) if answer else ()


def make_question(
    source: QuizSource,
    sources: Sequence[QuizSource],
    mode: Mode,
    rng: random.Random,
    right: RightAnswers | None = None,
) -> Question | None:
    """A question for one card in the wanted mode, or None when the card cannot be asked so.

    Multiple-choice cards are asked with their options (never typed: their question may
    refer to the options). `right` (from `right_answers(sources)`) saves building it again.
    """
    content = source.content
    expected = _expected(content)
    if not expected:
        return None
    topic = content.group_title or source.deck
    prompt = render(content).question
    accepted = _accepted(content)
    can_type = (
        bool(accepted)
        and content.kind is not CardKind.CHOICE
        and (content.kind is CardKind.TYPED or len(expected) <= TYPED_MAX_CHARS)
    )
    if mode == "typed" or (mode == "mixed" and content.kind is CardKind.TYPED):
        order: tuple[QuestionMode, ...] = ("typed",) if mode == "typed" else ("typed", "choice")
    else:
        order = ("choice",) if mode == "choice" else ("choice", "typed")
    for kind in order:
        if kind == "typed" and can_type:
            return Question(source.card_id, "typed", prompt, expected, accepted=accepted,
                            group_id=source.group_id, topic=topic)  # fmt: skip
        if kind == "choice":
            pool = _distractor_pool(source, sources, expected, right)
            if not pool:
                continue
            best = pool[: 2 * (MAX_OPTIONS - 1)]  # the closest candidates, then a random pick of them
            rng.shuffle(best)
            options = [expected, *best[: MAX_OPTIONS - 1]]
            rng.shuffle(options)
            return Question(source.card_id, "choice", prompt, expected, options=tuple(options),
                            group_id=source.group_id, topic=topic)  # fmt: skip
    return None


def make_questions(sources: Sequence[QuizSource], n: int, mode: Mode, rng: random.Random) -> list[Question]:
    """Up to `n` questions from `sources` in random order (cards that cannot be asked are skipped)."""
    if mode not in MODES:
        raise InvalidInputError(f"unknown quiz mode '{mode}' (use mixed, choice or typed)")
    order = list(sources)
    rng.shuffle(order)
    questions: list[Question] = []
    right = right_answers(sources)
    for source in order:
        if len(questions) >= n:
            break
        question = make_question(source, sources, mode, rng, right)
        if question is not None:
            questions.append(question)
    return questions


@dataclass(frozen=True)
class TopicScore:
    """Right answers out of asked, for one topic."""

    topic: str
    right: int
    asked: int


def breakdown(results: Sequence[tuple[Question, bool]]) -> list[TopicScore]:
    """Per-topic score, topics in the order first asked."""
    table: dict[str, list[int]] = {}
    for question, correct in results:
        row = table.setdefault(question.topic, [0, 0])
        row[0] += int(correct)
        row[1] += 1
    return [TopicScore(topic, right, asked) for topic, (right, asked) in table.items()]
