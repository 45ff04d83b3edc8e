"""Proper nouns of the document being built: words it writes capitalised mid-sentence and
never in lower case ("Venus", "Rome"), so questions keep their capitals.

The set is per document and held in a context variable while that document is built; with
no document (a rule called on its own) it is empty and nothing changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_NAMES: ContextVar[frozenset[str]] = ContextVar("build_proper_names", default=frozenset())
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_MID_CAPITAL = re.compile(r"(?<=[\w,;)”\"'’] )[A-ZÀ-Þ][^\W\d_]*(?:[-'’][\w]+)*")
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "and",
        "or",
        "but",
        "nor",
        "as",
        "vs",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "et",
        "ou",
        "en",
        "à",
        "au",
        "aux",
    ]
)
_LINE_START = re.compile(r"^\s*(?:#+|[-*+•]|\d+[.)]|>)?\s*")


def title_case(text: str) -> bool:
    """Whether a line capitalises most of its longer words ("What Are the Causes of X?")."""
    content = [w for w in _WORD.findall(text)[1:] if w.lower() not in _SMALL_WORDS]
    return len(content) >= 3 and sum(w[0].isupper() for w in content) * 3 >= len(content) * 2


def proper_names(text: str) -> frozenset[str]:
    """Words written capitalised after another word in `text`, and never in lower case."""
    capital: set[str] = set()
    lower: set[str] = set()
    for raw in text.splitlines():
        line = _LINE_START.sub("", raw)
        lower.update(w for w in _WORD.findall(line) if w[0].islower())
        if title_case(line) or raw.lstrip().startswith("#"):
            continue
        capital.update(m.group(0) for m in _MID_CAPITAL.finditer(line) if not m.group(0).isupper())
    return frozenset(w for w in capital if w.lower() not in lower)


@contextmanager
def document_names(text: str) -> Iterator[None]:
    """Make `text`'s proper nouns known to the casing helpers while a document is built."""
    token = _NAMES.set(proper_names(text))
    try:
        yield
    finally:
        _NAMES.reset(token)


def is_proper(word: str) -> bool:
    """Whether `word` (punctuation aside) is a proper noun of the current document."""
    match = _WORD.search(word)
    return match is not None and match.group(0) in _NAMES.get()


def sentence_case(question: str) -> str:
    """A Title-Case question in sentence case, proper nouns and acronyms kept."""
    if not title_case(question):
        return question
    out: list[str] = []
    for index, token in enumerate(question.split(" ")):
        letters = [ch for ch in token if ch.isalpha()]
        keep = (
            index == 0 or token == "I" or len([ch for ch in letters if ch.isupper()]) >= 2 or is_proper(token)
        )
        out.append(token if keep else token[:1].lower() + token[1:])
    return " ".join(out)
