"""Causes and effects: "X is caused by Y", "X results from Y", "X can cause Y" (and French)."""

from __future__ import annotations

import re

from . import wording
from .clean import capitalise, drop_parentheticals, end_sentence, squash
from .guards import subject_problem, too_long
from .model import Candidate, RuleResult, Sentence

_SUBJ = r"(?P<subj>[^,;:!?]{1,80}?)"
_EN: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(_SUBJ + r"\s+(?:is|are)\s+(?:mainly\s+|usually\s+|mostly\s+)?caused by\s+(?P<obj>.+)$"),
        "by",
    ),
    (re.compile(_SUBJ + r"\s+(?:results?)\s+from\s+(?P<obj>.+)$"), "from"),
    (re.compile(_SUBJ + r"\s+(?P<aux>can|may)\s+(?:cause|lead to)\s+(?P<obj>.+)$"), "can"),
)
_FR: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(_SUBJ + r"\s+(?:est|sont)\s+(?:surtout\s+)?causée?s?\s+par\s+(?P<obj>.+)$"), "by"),
    (
        re.compile(
            _SUBJ + r"\s+(?:peut|peuvent)\s+résulter\s+(?:de la|de l['’]|de|d['’]|du|des)\s*(?P<obj>.+)$"
        ),
        "from",
    ),
    (
        re.compile(_SUBJ + r"\s+(?P<aux>peut|peuvent)\s+(?:entraîner|provoquer|causer)\s+(?P<obj>.+)$"),
        "can",
    ),
)
_CLAUSE = re.compile(
    r",\s*(?:which|where|who|leading|resulting|causing|especially|dont|qui|où|entraînant|notamment)\b.*$"
)
_NON_EXCLUSIVE = re.compile(r"\b(?:also|too|aussi|également|among others|entre autres)\b", re.IGNORECASE)


def _object(raw: str) -> str:
    """The cause or effect as an answer, cut before trailing clauses."""
    text = _CLAUSE.sub("", drop_parentheticals(raw)).rstrip(" .")
    return capitalise(end_sentence(squash(text)))


def cause_cards(sentence: Sentence, lang: str) -> RuleResult:
    """A card asking for the cause (or effect) stated in the sentence."""
    text = squash(sentence.text).rstrip(" .")
    if too_long(sentence.text):
        return RuleResult(reason=too_long(sentence.text))
    for pattern, shape in _FR if lang == "fr" else _EN:
        match = pattern.match(text)
        if not match:
            continue
        term = drop_parentheticals(match.group("subj"))
        problem = subject_problem(term, lang)
        if _NON_EXCLUSIVE.search(match.group(0)[: match.start("obj")]):
            problem = "vague: one cause among others ('also')"
        answer = _object(match.group("obj"))
        if not problem and not 1 <= len(answer.split()) <= 14:
            problem = "answer too long for one clear question"
        if problem:
            return RuleResult(reason=problem)
        if shape == "by":
            front = wording.what_causes(term, lang)
        elif shape == "from":
            front = (
                wording.what_causes(term, lang) if lang == "en" else wording.what_can_result_from(term, lang)
            )
        else:
            plural = match.group("aux") == "peuvent" or term.endswith("s")
            front = wording.what_can_cause(term, plural, lang)
        card = Candidate(
            kind="basic",
            fields={"front": front, "back": answer},
            rule="cause",
            confidence=0.6 if shape == "from" else 0.7,
            label=term,
            basis=sentence.text,
            lines=sentence.lines,
        )
        return RuleResult((card,))
    return RuleResult()
