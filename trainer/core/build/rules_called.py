"""A name given inside a sentence: "... tiny projections called villi, which increase the
surface area" -> a cloze deleting "villi", the sentence itself being the description.

Only when the whole sentence is not already a "X is called Y" (that rule asks a question) and
the sentence stands on its own (no pronoun to resolve).
"""

from __future__ import annotations

import re

from .clean import end_sentence, mend_parentheses, squash, words
from .guards import anaphoric, too_long
from .model import Candidate, RuleResult, Sentence
from .rules_lists import deletion

_NAMED = re.compile(
    r"(?<=\w )(?:called|known as|termed|named|appelée?s?|nommée?s?|dite?s?)\s+"
    r"(?:(?:the|le|la|les)\s+|l['’])?"
    r"(?P<name>[^\W\d_][\w'’-]*(?:\s+(?:of the\s+|des\s+|de\s+)?[\w'’-]+){0,3}?)"
    r"(?=\s*(?:[,;:.)]|$|\s(?:which|that|who|qui|que|dont|and|et|or|ou)\b))"
)
_PRONOUNS = frozenset(("it", "they", "them", "il", "elle", "ils", "elles"))
_ALIAS_WORDS = frozenset(
    words(
        "also aussi également or ou is are was were be been est sont été often usually commonly"
        " sometimes souvent parfois generally généralement"
    )
)
_NOT_NAME = frozenset(("a", "an", "the", "un", "une", "this", "it", "after", "for", "by", "because", "par"))


def called_cloze(sentence: Sentence, lang: str) -> RuleResult:
    """A cloze card on a term the sentence names with "called" / "known as" / "appelé"."""
    text = mend_parentheses(squash(sentence.text))
    if too_long(text) or anaphoric(text, lang):
        return RuleResult()
    match = _NAMED.search(text)
    if not match or match.group("name").split()[0].lower() in _NOT_NAME:
        return RuleResult()
    described = text[: match.start()].lower().split()
    if len(described) < 3:  # "Called X, ..." leaves no description
        return RuleResult()
    if described[-1].strip(",") in _ALIAS_WORDS:  # "X, also called Y" / "X is called Y": other rules' job
        return RuleResult()
    if _PRONOUNS & {w.strip(",;:()") for w in described}:  # "once it reaches the surface it is called"
        return RuleResult()
    lo, hi = match.span("name")
    card = Candidate(
        kind="cloze",
        fields={"text": end_sentence(text[:lo] + deletion(1, text[lo:hi]) + text[hi:])},
        rule="name",
        confidence=0.65,
        label=text[lo:hi],
        basis=sentence.text,
        lines=sentence.lines,
    )
    return RuleResult((card,))
