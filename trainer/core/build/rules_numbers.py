"""Key facts with numbers: rates, durations, proportions become cloze cards on the number."""

from __future__ import annotations

import re

from .clean import end_sentence, mend_parentheses, squash
from .guards import anaphoric, too_long
from .model import Candidate, RuleResult, Sentence
from .numbers_words import NUMBER_WORDS
from .rules_lists import deletion

_WORDS = "|".join(sorted([*NUMBER_WORDS, "un", "une"], key=len, reverse=True))
_NUM = r"(?:\d+(?:[.,]\d+)?|" + _WORDS + r")"
_RANGE = _NUM + r"(?:\s*(?:-|–|to|or|à|ou)\s*" + _NUM + r")?"
_UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)"
    r"|secondes?|heures?|jours?|semaines?|mois|ans|années?|décennies?"
    r"|(?:milli|centi|kilo|micro)?m[eè]t(?:er|re)s?|(?:milli|kilo|micro)?gram(?:me)?s?"
    r"|(?:milli)?lit(?:er|re)s?|mm|cm|km|µm|nm|mg|µg|kg|g|ml|mL|mmHg|Hz|kHz|°C|degrees?|degrés?"
    r"|percent|per cent|pour cent|%|times|fois)"
)
_PERIOD = r"(?:second|minute|hour|day|week|month|year|jour|semaine|mois|an|année|heure)"
_RATE = r"(?:\s+(?:per|a|an|each|every|par)\s+" + _PERIOD + r")?"
_SCALE = r"(?:\s+(?:thousand|million|billion|milliers?|millions?|milliards?)(?:\s+(?:de\s+|d['’]))?)?"
_QUANTITY = r"\b" + _RANGE + _SCALE + r"\s*" + _UNIT + _RATE + r"(?![\w%])"
_STATED = r"(?<=[=≈] )~?\d+(?:[.,]\d+)?(?:x|×)?(?![\w.,]*\d)(?!\s*(?:" + _UNIT + r")\b)"
_FRACTION = (
    r"\b(?:(?:a|one|two|three|un|deux|trois)\s+(?:half|thirds?|quarters?|fifths?|tenths?|tiers|quarts?)"
    r"|half|la moitié)(?=\s+(?:of|des?|du|d['’]))"
)
_YEAR = (
    r"\b\d{1,4}\s(?-i:BCE?|AD|CE|av\. J\.-C\.|apr\. J\.-C\.)(?!\w)"
    r"|(?<=\b(?:in|en) )(?:1[5-9]\d\d|20\d\d)\b"
    r"|(?:(?<=\bsince )|(?<=\bvers )|(?<=\baround )|(?<=\bdepuis ))(?:1[5-9]\d\d|20\d\d)\b"
)
_FACT = re.compile(f"{_QUANTITY}|{_FRACTION}|{_YEAR}|{_STATED}", re.IGNORECASE)


def number_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the quantities (with units), fractions and years in `text`."""
    spans: list[tuple[int, int]] = []
    for match in _FACT.finditer(text):
        if match.group(0).strip():
            spans.append((match.start(), match.end()))
    return spans


def number_cards(sentence: Sentence, lang: str) -> RuleResult:
    """A cloze card deleting each key number of the sentence."""
    text = mend_parentheses(squash(sentence.text))
    spans = number_spans(text)
    if not spans:
        return RuleResult()
    problem = too_long(text) or anaphoric(text, lang)
    if not problem and len(spans) > 3:
        problem = "too many numbers for one clear card"
    if problem:
        return RuleResult(reason=problem)
    out: list[str] = []
    cursor = 0
    for number, (lo, hi) in enumerate(spans, start=1):
        out.append(text[cursor:lo])
        out.append(deletion(number, text[lo:hi]))
        cursor = hi
    out.append(text[cursor:])
    card = Candidate(
        kind="cloze",
        fields={"text": end_sentence("".join(out))},
        rule="number",
        confidence=0.75 if len(spans) == 1 else 0.7,
        label=text[spans[0][0] : spans[0][1]],
        basis=sentence.text,
        lines=sentence.lines,
    )
    return RuleResult((card,))
