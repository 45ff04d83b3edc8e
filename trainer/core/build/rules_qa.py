"""Questions the document already asks: a question line followed by its answer paragraph."""

from __future__ import annotations

import re

from .clean import capitalise, end_sentence, normalise, plain
from .model import Candidate, RuleResult, Sentence
from .propernames import sentence_case
from .rules_numbers import number_spans

MAX_BACK = 600
"""Whole answers up to this length go on the back; longer ones are shortened."""
MAX_SHORT = 300
MAX_FIRST = 500

_DEFINITION_Q = re.compile(
    r"^(?:what (?:is|are)\b|what does .+ mean\b|qu['’]est-ce (?:que|qu)|que (?:signifie|veut dire)\b)",
    re.IGNORECASE,
)
_QUANTITY_Q = re.compile(
    r"^(?:how (?:long|fast|many|much|often|soon)|combien|à quelle vitesse)\b", re.IGNORECASE
)
_TERM_PREFIX = re.compile(r"^(?P<term>[^:.!?]{1,50}):\s+(?P<rest>\S.*)$")


def _strip_term(first: str, question: str) -> str:
    """Drop a "Term: " prefix when the question already names the term."""
    match = _TERM_PREFIX.match(first)
    if match and normalise(match.group("term")) in normalise(question):
        return capitalise(match.group("rest"))
    return first


def qa_card(question: str, answer: list[Sentence], lines: tuple[int, int]) -> RuleResult:
    """A basic card: the question on the front, its whole answer on the back (a too long
    answer is cut to its first sentences, the whole kept in the note)."""
    front = sentence_case(plain(question))
    texts = [plain(s.text) for s in answer if plain(s.text)]
    if not texts:
        return RuleResult(reason="question without an answer")
    texts[0] = _strip_term(texts[0], front)
    full = " ".join(texts)
    counted = [t for t in texts if number_spans(t)]
    if len(full) <= MAX_BACK:
        back = full
    elif _QUANTITY_Q.match(front) and counted and counted[0] != texts[0]:
        back = counted[0]
    elif _DEFINITION_Q.match(front) and len(texts) > 1 and len(texts[0].split()) >= 3:
        back = texts[0]
    elif len(" ".join(texts[:2])) <= MAX_SHORT:
        back = " ".join(texts[:2])
    elif len(texts[0]) <= MAX_FIRST:
        back = texts[0]
    else:
        return RuleResult(reason=f"answer too long ({len(texts[0])} characters in its first sentence)")
    shortened = back != full
    card = Candidate(
        kind="basic",
        fields={"front": front, "back": end_sentence(back)},
        rule="qa",
        confidence=0.85 if shortened else 0.9,
        label=front,
        basis=front,
        lines=lines,
        note=end_sentence(full) if shortened else "",
    )
    return RuleResult((card,))
