"""Merging duplicate and near-duplicate draft cards (rapidfuzz)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from .clean import normalise, words
from .model import DraftCard, Skipped

SAME_QUESTION = 95.0
"""Fronts at least this similar (0-100) ask the same question."""
SAME_CARD = 90.0
"""Whole cards (front and back, or cloze text and deletions) at least this similar are duplicates."""

_FILLER = re.compile(
    r"\b(?:the meaning of|the definition of|meant by|la définition de|le sens de|la signification de)\b"
)
_DELETION = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")


_MARKER = re.compile(r"\b(?:\w*\d\w*|[A-Z][A-Z0-9]+)\b")


def _markers(card: DraftCard) -> frozenset[str]:
    """Numbers and acronyms of a card: cards that differ in them are different facts."""
    texts: list[str] = []
    for value in card.fields.values():
        texts.extend(value if isinstance(value, list) else [value])
    return frozenset(_MARKER.findall(" ".join(texts)))


def _keys(card: DraftCard) -> tuple[str, str]:
    """Two normalised keys: (front, whole card) or (cloze text, deletions)."""
    if card.kind == "cloze":
        text = str(card.fields.get("text", ""))
        deleted = " | ".join(normalise(m.group(1)) for m in _DELETION.finditer(text))
        return normalise(_DELETION.sub(lambda m: m.group(1), text)), deleted
    front = str(card.fields.get("front", ""))
    answer = card.fields.get("back") or card.fields.get("answers") or card.fields.get("answer") or ""
    answer_text = " ".join(answer) if isinstance(answer, list) else answer
    key = normalise(_FILLER.sub("", front.lower()))
    return key, f"{key} {normalise(answer_text)}"


_STOP = frozenset(
    words(
        "a an the of to in on at for and or is are what which de du des la le les l d un une et ou"
        " est sont qu que ce"
    )
)


def terms(key: str) -> frozenset[str]:
    """The content words of a normalised key, plurals folded: cards whose terms differ
    (afferent/efferent, hypo-/hyper-) are different facts however similar they look."""
    out = set()
    for word in key.split():
        if word in _STOP:
            continue
        out.add(word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word)
    return frozenset(out)


class _Index:
    """Kept cards of one family (questions or clozes) and their keys."""

    def __init__(self, cloze: bool) -> None:
        self.cloze = cloze
        self.firsts: list[str] = []
        self.seconds: list[str] = []
        self.positions: list[int] = []
        self.markers: list[frozenset[str]] = []
        self.terms: list[frozenset[str]] = []

    def _hits(self, query: str, keys: list[str], cutoff: float) -> list[int]:
        """Indexes of keys at least `cutoff` similar to `query`, best first."""
        found = process.extract(query, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        return [i for _, _, i in found]

    def find(self, first: str, second: str, markers: frozenset[str]) -> int | None:
        """Position (in the kept list) of a duplicate, if any."""
        if self.cloze:
            hits = [
                i
                for i in self._hits(first, self.firsts, SAME_CARD)
                if fuzz.ratio(second, self.seconds[i]) >= SAME_CARD
            ]
        else:
            hits = self._hits(first, self.firsts, SAME_QUESTION) + self._hits(second, self.seconds, SAME_CARD)
        words = terms(first)
        same = [i for i in hits if self.markers[i] == markers and self.terms[i] == words]
        return self.positions[same[0]] if same else None

    def add(self, keys: tuple[str, str], markers: frozenset[str], position: int) -> None:
        """Index a kept card."""
        self.firsts.append(keys[0])
        self.seconds.append(keys[1])
        self.markers.append(markers)
        self.terms.append(terms(keys[0]))
        self.positions.append(position)

    def replace(self, position: int, keys: tuple[str, str], markers: frozenset[str]) -> None:
        """Re-key the kept card at `position` (a better twin replaced it)."""
        i = self.positions.index(position)
        self.firsts[i], self.seconds[i] = keys
        self.markers[i] = markers
        self.terms[i] = terms(keys[0])


def dedupe(cards: list[DraftCard]) -> tuple[list[DraftCard], list[Skipped]]:
    """Keep one card per fact (the most confident, then the first); report the others."""
    kept: list[DraftCard] = []
    dropped: list[tuple[DraftCard, int]] = []
    indexes = {True: _Index(cloze=True), False: _Index(cloze=False)}
    for card in cards:
        index = indexes[card.kind == "cloze"]
        keys = _keys(card)
        markers = _markers(card)
        twin = index.find(keys[0], keys[1], markers)
        if twin is None:
            index.add(keys, markers, len(kept))
            kept.append(card)
            continue
        loser = card
        if card.confidence > kept[twin].confidence:
            loser, kept[twin] = kept[twin], card
            index.replace(twin, keys, markers)
        dropped.append((loser, twin))
    skipped = [
        Skipped(
            source=loser.source,
            section=loser.section,
            lines=loser.lines,
            text=describe(loser),
            reason=f"duplicate of {kept[twin].id}",
        )
        for loser, twin in dropped
    ]
    return kept, skipped


def describe(card: DraftCard) -> str:
    """A one-line description of a card for reports."""
    if card.kind == "cloze":
        return str(card.fields.get("text", ""))
    return str(card.fields.get("front", ""))
