"""English verbs common in teaching text, to find where a subject ends and what it does."""

from __future__ import annotations

from .clean import words

VERBS = frozenset(
    words(
        "absorb allow bind break build carry cause connect contain control convert coordinate cover"
        " create destroy detect digest divide emit engulf form generate give grow have help hold"
        " increase kill lack lead link live lower make measure modify move need produce protect"
        " provide raise receive reduce reflect regulate release remove repair replace rise secrete"
        " send separate show store supply support surround take transport trap travel turn use"
    )
)
_IRREGULAR = {"has": "have", "does": "do", "carries": "carry", "supplies": "supply"}


def verb_form(word: str) -> tuple[str, bool] | None:
    """(base form, third person singular) of a known verb form, else None."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower], True
    if lower in VERBS:
        return lower, False
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):
        if lower.endswith(suffix) and lower[: -len(suffix)] + repl in VERBS:
            return lower[: -len(suffix)] + repl, True
    return None
