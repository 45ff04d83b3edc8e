"""Names of things: "X, also called Y,", "X is also known as Y", "A, which is called X",
and inverted definitions "A description is X, where ..."."""

from __future__ import annotations

import re

from . import wording
from .clean import capitalise, drop_parentheticals, end_sentence, squash
from .guards import anaphoric, subject_problem, too_long
from .model import Candidate, RuleResult, Sentence
from .rules_definitions import make_card

_CALLED = (
    r"(?:also (?:called|known as|termed)|or|(?:aussi|également) "
    r"(?:appelée?s?|nommée?s?|connue?s? sous le nom d[e'’]))"
)
_ALIAS = re.compile(r"^(?P<subj>[^,;:()]{1,60}),\s+" + _CALLED + r"\s*(?P<alias>[^,;()]{1,60}),")
_IS_ALSO = re.compile(
    r"^(?P<subj>[^,;:()]{1,60}?)\s+(?:is|are|est|sont)\s+" + _CALLED + r"\s*(?P<alias>[^;()]{1,100})$"
)
_WHICH_IS_CALLED = re.compile(
    r"^(?:(?:or|and|ou|et)\s+)?(?P<desc>[^,;:()]{3,80}),\s+(?:which is|which are|qui est|qu['’]on)\s+"
    r"(?:called|known as|termed|appelée?s?|appelle)\s+(?P<term>[^,;:()]{2,40})$"
)
_INVERSE = re.compile(
    r"^(?P<desc>(?:A|An|Un|Une)\s[^,;:()]{5,80}?)\s+(?:is|est)\s+(?P<article>(?:a|an|un|une)\s+)?(?P<term>[^,;:()]{2,40}),\s+"
    r"(?P<rest>(?:where|in which|whereby|which|où|dans lequel|dans laquelle|qui)\s.+)$"
)


def _term_ok(term: str, lang: str) -> bool:
    """A short, clear term."""
    return not subject_problem(term, lang) and len(term.split()) <= 5


def name_cards(sentence: Sentence, lang: str) -> RuleResult:
    """A card on the name of something the sentence describes or renames."""
    text = squash(sentence.text).rstrip(" .")
    if too_long(sentence.text):
        return RuleResult(reason=too_long(sentence.text))
    cards: list[Candidate] = []
    for pattern in (_ALIAS, _IS_ALSO):
        match = pattern.match(text)
        if match:
            term = drop_parentheticals(match.group("subj"))
            alias = match.group("alias").strip()
            if _term_ok(term, lang) and not anaphoric(alias, lang):
                front = wording.other_name(term, lang)
                back = capitalise(end_sentence(alias))
                cards.append(make_card(sentence, "definition", front, back, term, 0.7, ""))
                return RuleResult(tuple(cards))
    for segment in text.split(";"):
        match = _WHICH_IS_CALLED.match(segment.strip())
        if match and _term_ok(match.group("term"), lang) and not anaphoric(match.group("desc"), lang):
            front = wording.what_is(match.group("term"), False, lang)
            back = capitalise(end_sentence(drop_parentheticals(match.group("desc"))))
            cards.append(make_card(sentence, "definition", front, back, match.group("term"), 0.7, ""))
    inverse = _INVERSE.match(text)
    if inverse and _term_ok(inverse.group("term"), lang):
        front = wording.what_is((inverse.group("article") or "") + inverse.group("term"), False, lang)
        back = capitalise(end_sentence(f"{inverse.group('desc')}, {inverse.group('rest')}"))
        cards.append(make_card(sentence, "definition", front, back, inverse.group("term"), 0.7, ""))
    return RuleResult(tuple(cards))
