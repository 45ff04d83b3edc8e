"""Line shapes of glossaries and FAQs: `Term - definition`, `Q. question?`, `A. answer`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import squash, strip_markup

_SEPARATOR = r"(?::|\s[-–—=]\s|\s?[–—]\s?|\s?(?:->|→|=>)\s?|\s=)"
_ENTRY = re.compile(
    r"^(?P<term>[^\W\d_][^:;.!?=()\[\]–—]{0,58}?)\s*(?P<alias>\([^()]{1,50}\))?\s*"
    + _SEPARATOR
    + r"\s*(?P<definition>\S.*)$"
)
_QUESTION_MARK = re.compile(
    r"^(?:Q\s?[.:)]|Q\s?\d+\s?[.:)]|Question\s?\d*\s?[.:)]|\d{1,3}\s?[.)])\s*", re.IGNORECASE
)
_ANSWER_MARK = re.compile(r"^(?:A\s?[.:)]|R\s?[.:)]|Answer\s?[.:]|Réponse\s?[.:])\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """A glossary line: the term, an optional alias in parentheses, the definition."""

    term: str
    alias: str
    definition: str


def glossary_entry(line: str) -> Entry | None:
    """The glossary entry a line states (`Term: def`, `Term - def`, `**Term** – def`), or None."""
    text = squash(strip_markup(line))
    match = _ENTRY.match(text)
    if not match:
        return None
    term = match.group("term").strip()
    definition = match.group("definition").strip()
    if len(term.split()) > 5 or len(definition.split()) < 2 or term.endswith(("-", "–")):
        return None
    if term[:1].islower() and not re.match(r"^[a-z]+[A-Z]", term):
        return None
    alias = (match.group("alias") or "").strip("() ")
    return Entry(term, alias, definition)


def question_text(line: str) -> str:
    """A question line without its `Q.`/`1.` marker and markup ("" if not a question)."""
    text = squash(strip_markup(line)).strip()
    text = _QUESTION_MARK.sub("", text, count=1).strip()
    text = text.strip("*_ ").strip()
    if not text.endswith("?") or len(text.split()) < 2 or len(text) > 200:
        return ""
    if not (text[0].isupper() or text[0] in '¿«"“'):
        return ""
    return text


def strip_answer_mark(text: str) -> str:
    """An answer line without its `A.`/`R :`/`Answer:` marker."""
    return _ANSWER_MARK.sub("", text, count=1)
