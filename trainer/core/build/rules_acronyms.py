"""Abbreviations defined in the text, "Long Form (LF)" (Schwartz & Hearst)."""

from __future__ import annotations

import re
import unicodedata

from . import wording
from .clean import capitalise, squash
from .model import Candidate, RuleResult, Sentence

_SHORT = re.compile(r"\(([A-Z][A-Za-z0-9&-]{1,9})\)")
_LEADING = re.compile(r"^(?:(?:the|a|an|le|la|les|un|une|des|du|de)\s+|l['’]\s*)", re.IGNORECASE)


def _fold(text: str) -> str:
    """Lower-case, accent-free, same length as `text`."""
    out = []
    for ch in text.lower():
        base = unicodedata.normalize("NFD", ch)[:1]
        out.append(base if base else ch)
    return "".join(out)


def long_form(short: str, before: str) -> str:
    """The long form that `short` abbreviates at the end of `before`, or ""."""
    tokens = before.split()
    window = min(len(short) + 5, len(short) * 2)
    text = " ".join(tokens[-window:])
    folded = _fold(text)
    s_idx = len(short) - 1
    l_idx = len(text) - 1
    while s_idx >= 0:
        char = short[s_idx].lower()
        if not char.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            folded[l_idx] != char or (s_idx == 0 and l_idx > 0 and text[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return ""
        l_idx -= 1
        s_idx -= 1
    start = text.rfind(" ", 0, l_idx + 1) + 1
    candidate = _LEADING.sub("", text[start:]).strip(" ,;:")
    if any(ch in candidate for ch in ",;:()") or len(candidate) <= len(short):
        return ""
    if _fold(candidate[:1]) != short[:1].lower():
        return ""
    return squash(candidate)


def acronym_cards(sentence: Sentence, lang: str) -> RuleResult:
    """A typed card "What does LF stand for?" per abbreviation defined in the sentence."""
    cards: list[Candidate] = []
    for match in _SHORT.finditer(sentence.text):
        short = match.group(1)
        if sum(1 for ch in short if ch.isupper()) < 2:
            continue
        expansion = long_form(short, sentence.text[max(0, match.start() - 300) : match.start()])
        if not expansion:
            continue
        cards.append(
            Candidate(
                kind="typed",
                fields={"front": wording.stands_for(short, lang), "answers": [capitalise(expansion)]},
                rule="acronym",
                confidence=0.85,
                label=short,
                basis=f"{short} {expansion}",
                lines=sentence.lines,
            )
        )
    return RuleResult(tuple(cards))
