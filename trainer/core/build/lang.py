"""Language of a document: English or French by stopwords, anything else named by py3langid."""

from __future__ import annotations

import re
from collections.abc import Iterable

from trainer.errors import InvalidInputError

from .clean import words

SUPPORTED = ("en", "fr")
"""Languages whose question wording the engine knows."""

CLEAR_SHARE = 0.08
"""Share of words that only English (or only French) uses often, above which a text is taken
as English (or French) without asking py3langid; Spanish or Italian never get there."""

MIN_WORDS = 12
"""Fewer words than this (of two letters or more) are too few to name a language."""

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
_EN_ONLY = frozenset(words("the of and is are was were that with this which it from by be have has"))
_FR_ONLY = frozenset(words("et est les des du qui dans pour au aux sont être avec cette ils elle pas ont"))
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_NAMES = {
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "fi": "Finnish",
    "ru": "Russian",
    "tr": "Turkish",
    "ja": "Japanese",
    "zh": "Chinese",
    "ar": "Arabic",
    "el": "Greek",
    "cs": "Czech",
    "ro": "Romanian",
    "hu": "Hungarian",
    "ca": "Catalan",
}


class UnsupportedLanguage(InvalidInputError):
    """A document in a language the rules do not cover."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(
            f"the document looks {language_name(code)} ({code}); the rules cover English and"
            " French only: pass --lang en or --lang fr to build anyway"
        )


def language_name(code: str) -> str:
    """An English name for a language code (the code itself when unknown)."""
    return _NAMES.get(code, code)


def _clear_language(text: str) -> str:
    """ "en" or "fr" when words only that language uses often are frequent, else ""."""
    tokens = _WORD.findall(text.lower())
    en = sum(1 for t in tokens if t in _EN_ONLY)
    fr = sum(1 for t in tokens if t in _FR_ONLY)
    if len(tokens) < 8:
        return "fr" if fr > en else "en"
    if max(en, fr) >= CLEAR_SHARE * len(tokens):
        return "fr" if fr > en else "en"
    return ""


def _langid(text: str) -> str:
    """py3langid's guess (imported only when stopwords are not conclusive)."""
    import py3langid  # type: ignore[import-untyped]

    code, _ = py3langid.classify(text[:20_000])
    return str(code)


def detect_language(text: str) -> str:
    """ "en" or "fr" when the text clearly is; otherwise the language py3langid names, when
    the text has words enough to tell and the language is a known one; else "en"."""
    clear = _clear_language(text)
    if clear:
        return clear
    if len([w for w in _WORD.findall(text) if len(w) > 1]) < MIN_WORDS:
        return "en"
    code = _langid(text)
    return code if code in SUPPORTED or code in _NAMES else "en"


def resolve_language(requested: str, text: str) -> str:
    """Validate the requested language; detect it for "auto" (UnsupportedLanguage if uncovered)."""
    if requested == "auto":
        code = detect_language(text)
        if code not in SUPPORTED:
            raise UnsupportedLanguage(code)
        return code
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
