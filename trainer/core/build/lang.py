"""Language detection by stopword counts (English and French)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from trainer.errors import InvalidInputError

from .clean import words

SUPPORTED = ("en", "fr")
"""Languages whose question wording the engine knows."""

_EN = frozenset(
    words(
        "the of and to in is are was were that it for with as by this be or from an which"
        " can not when what how does do you your its their has have been these those will"
        " would there about into than also"
    )
)
_FR = frozenset(
    words(
        "le la les de des du un une et est sont en que qui dans pour par sur au aux ce cette"
        " ces il elle ils elles pas ne se avec d l qu été être peut ont leur leurs mais ou"
        " où son sa ses selon chez aussi très lors après"
    )
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def stopword_counts(text: str) -> tuple[int, int]:
    """Count English and French stopwords in `text`."""
    en = fr = 0
    for word in _WORD.findall(text.lower()):
        if word in _EN:
            en += 1
        if word in _FR:
            fr += 1
    return en, fr


def detect_language(text: str) -> str:
    """Return "fr" when French stopwords win, else "en" (also the default)."""
    en, fr = stopword_counts(text)
    return "fr" if fr > en else "en"


def resolve_language(requested: str, text: str) -> str:
    """Validate the requested language; detect it for "auto"."""
    if requested == "auto":
        return detect_language(text)
    if requested not in SUPPORTED:
        raise InvalidInputError(f"unsupported language {requested!r} (use auto, en or fr)")
    return requested


def majority_language(weighted: Iterable[tuple[str, int]]) -> str:
    """The language carrying the most text; ties go to the first seen."""
    totals: dict[str, int] = {}
    for language, weight in weighted:
        totals[language] = totals.get(language, 0) + weight
    if not totals:
        return "en"
    return max(totals, key=lambda lang: totals[lang])
