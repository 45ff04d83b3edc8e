"""Compare sets: a table of items x facets expanded into discrimination cards.

Two directions per facet (docs/deck-format.md, "Compare sets"):
- *what*: "Title - Item: Facet?" -> the item's value (a basic card);
- *which*: "Title - which has Facet: Value?" -> the item, the other items as distractors.

A *which* card is generated only when it is a real question: the value belongs to exactly
one item, the value shares no content word with its item (accent- and case-insensitive,
light stemming; "Poliovirus infection" gives away "Poliomyelitis"), the set has at least
three items unless the author asks for it, and the author's direction for the facet allows it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from trainer.core.cards import CardContent, CardKind, slugify

DIRECTIONS = ("both", "what", "which")
"""The directions an author may choose for a facet (the default depends on the set size)."""

MIN_WHICH_ITEMS = 3
"""Sets with fewer items give no "which" card unless the author asks: two options are a coin flip."""

PREFIX = 5
"""Two words of at least this many letters match when they start alike (polio-virus, polio-myelitis)."""

STOPWORDS = frozenset({
    "an", "and", "are", "as", "at", "be", "by", "eg", "for", "from", "ie", "in", "into", "is",
    "it", "its", "no", "nor", "not", "of", "on", "only", "or", "per", "than", "that", "the",
    "then", "this", "to", "via", "vs", "with", "within", "without", "yes",
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en", "est", "et", "la", "le",
    "les", "ne", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "sans", "se", "ses",
    "son", "sur", "un", "une",
})  # fmt: skip
"""English and French function words: never a give-away (one-letter words are ignored too)."""

_WORD_RE = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case `text` and drop accents: "Dénervation" -> "denervation"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def stem(word: str) -> str:
    """A light stem: "-ies" to "-y", then a final "s" (not "ss") and a final "e" dropped.

    So "nerve" and "nerves", "fibre" and "fibres", "injury" and "injuries" meet.
    """
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def content_words(text: str) -> set[str]:
    """The stemmed content words of `text` (numbers included, function words dropped)."""
    return {stem(w) for w in _WORD_RE.findall(fold(text)) if w not in STOPWORDS and len(w) > 1}


def words_match(a: str, b: str) -> bool:
    """Same stem; or one word of 4+ letters starting the other ("disc", "discogenic"); or two
    longer words sharing their first `PREFIX` letters ("poliovirus", "poliomyelitis")."""
    short, long = sorted((a, b), key=len)
    if short == long or (len(short) >= 4 and long.startswith(short)):
        return True
    return len(short) >= PREFIX and short[:PREFIX] == long[:PREFIX]


def _names(item: str, value: str) -> bool:
    """Whether the words of `item`, all of them and in order, occur in `value`."""
    item_words = _WORD_RE.findall(fold(item))
    value_words = _WORD_RE.findall(fold(value))
    size = len(item_words)
    return bool(size) and any(value_words[i : i + size] == item_words for i in range(len(value_words)))


def gives_away(item: str, value: str) -> bool:
    """Whether `value` names its item or shares a content word with it."""
    if _names(item, value):
        return True
    item_words = content_words(item)
    return any(words_match(v, i) for v in content_words(value) for i in item_words)


def default_direction(item_count: int) -> str:
    """Both directions for sets of three or more items; only "what" cards for two."""
    return "both" if item_count >= MIN_WHICH_ITEMS else "what"


@dataclass(frozen=True)
class CompareSet:
    """A validated compare set, ready to expand."""

    base: str  # DECK-ID/SET-ID
    title: str
    items: list[str]
    facets: dict[str, list[str]]
    directions: dict[str, str]  # facet -> "both" | "what" | "which"; missing = the default


def which_allowed(item: str, value: str, values: list[str], direction: str) -> bool:
    """Whether a "which has Facet: value?" card for `item` is a fair question."""
    return direction in ("both", "which") and values.count(value) == 1 and not gives_away(item, value)


def expand(spec: CompareSet) -> list[tuple[str, CardContent]]:
    """(stable id, content) for every card of the set, in facet then item order."""
    cards: list[tuple[str, CardContent]] = []
    default = default_direction(len(spec.items))
    for facet, values in spec.facets.items():
        direction = spec.directions.get(facet, default)
        for position, item in enumerate(spec.items):
            value = values[position]
            stem_id = f"{spec.base}/{slugify(item)}/{slugify(facet)}"
            if direction in ("both", "what"):
                what = CardContent(
                    kind=CardKind.BASIC,
                    front=f"{spec.title} - {item}: {facet}?",
                    back=value,
                    group_title=spec.title,
                )
                cards.append((f"{stem_id}/what", what))
            if which_allowed(item, value, values, direction):
                which = CardContent(
                    kind=CardKind.CHOICE,
                    front=f"{spec.title} - which has {facet}: {value}?",
                    back=item,
                    distractors=tuple(i for i in spec.items if i != item),
                    group_title=spec.title,
                )
                cards.append((f"{stem_id}/which", which))
    return cards
