"""Compound sentences split into clauses that each state one fact.

"The Senate was a council of former magistrates; it advised the consuls" and "The acid
kills bacteria, and pepsin digests proteins" are two facts each; so are contrasts joined by
"while" / "whereas" / "tandis que". A clause that starts with a pronoun is then resolved
against the previous clause's subject like any following sentence. Nothing is split unless
both sides keep a subject and a verb of their own.
"""

from __future__ import annotations

import re

from .clean import capitalise
from .model import Sentence

_CONTRAST = re.compile(
    r",\s+(?:while|whereas|tandis que|alors que)\s+(?![^\W\d_]+ing\b|still\b|also\b)(?=[^\W\d_])"
)
_AND_CLAUSE = re.compile(
    r",\s+(?:and|but|et|mais)\s+(?=[^\W\d_]+(?:\s+[^\W\d_]+){0,3}?\s+[^\W\d_]+(?:s|ed|ent)\s)"
)
_SEMICOLON = re.compile(r"\s*;\s+")
_APPOSITIVE = re.compile(
    r"^(?P<subj>(?:The |A |An )?[A-Z][\w-]*(?:\s+[a-z][\w-]*){0,2}),\s+"
    r"(?P<part>(?:[a-z]+(?:ed|en|wn)|made|built|found|kept|held|sent|left|brought|taught|set|put|spread)"
    r"\s[^,;]{3,100}),\s+(?P<rest>[a-z]+s\s.{3,})$"
)
_FINITE = frozenset(("is", "are", "was", "were", "has", "have", "had"))
_MIN_WORDS = 4


def _pieces(text: str, pattern: re.Pattern[str]) -> list[str]:
    """`text` cut at `pattern` where every piece keeps enough words to stand alone."""
    pieces: list[str] = []
    cursor = 0
    for match in pattern.finditer(text):
        head = text[cursor : match.start()]
        if len(head.split()) >= _MIN_WORDS and len(text[match.end() :].split()) >= _MIN_WORDS:
            pieces.append(head)
            cursor = match.end()
    pieces.append(text[cursor:])
    return pieces


def split_clauses(sentence: Sentence) -> list[Sentence]:
    """The independent clauses of a sentence, each as a sentence; the sentence itself if one."""
    text = sentence.text.strip()
    if text.count("(") != text.count(")") or '"' in text or "“" in text:
        return [sentence]
    appositive = _APPOSITIVE.match(text)
    if appositive and not _FINITE & set(appositive.group("subj").lower().split()):
        # "Bile, made by the liver, breaks fats" -> "Bile breaks fats"
        text = f"{appositive.group('subj')} {appositive.group('rest')}"
        sentence = Sentence(text, sentence.lines, sentence.path)
    pieces = [text]
    for pattern in (_SEMICOLON, _CONTRAST, _AND_CLAUSE):
        pieces = [p for piece in pieces for p in _pieces(piece, pattern)]
    if len(pieces) == 1:
        return [sentence]  # whole, or without its participle aside
    out: list[Sentence] = []
    for index, piece in enumerate(pieces):
        piece = piece.strip().rstrip(" ,;")
        if index < len(pieces) - 1 or piece[-1:] not in ".!?":
            piece += "."
        out.append(Sentence(capitalise(piece), sentence.lines, sentence.path))
    return out
