"""Merging duplicate and near-duplicate draft cards (rapidfuzz)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from .clean import normalise
from .model import DraftCard, Skipped

SAME_QUESTION = 95.0
"""Fronts at least this similar (0-100) ask the same question."""
SAME_CARD = 90.0
"""Whole cards (front and back, or cloze text) at least this similar are duplicates."""

_FILLER = re.compile(
    r"\b(?:the meaning of|the definition of|meant by|la définition de|le sens de|la signification de)\b"
)
_DELETION = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")


def _question_key(card: DraftCard) -> tuple[str, str]:
    """Normalised front and whole-card text of a question card."""
    front = str(card.fields.get("front", ""))
    answer = card.fields.get("back") or card.fields.get("answers") or card.fields.get("answer") or ""
    answer_text = " ".join(answer) if isinstance(answer, list) else answer
    key = normalise(_FILLER.sub("", front.lower()))
    return key, f"{key} {normalise(answer_text)}"


def _cloze_key(card: DraftCard) -> tuple[str, str]:
    """Normalised cloze text without deletion markup, and the normalised deletions."""
    text = str(card.fields.get("text", ""))
    deleted = " | ".join(normalise(m.group(1)) for m in _DELETION.finditer(text))
    return normalise(_DELETION.sub(lambda m: m.group(1), text)), deleted


def _duplicates(a: DraftCard, b: DraftCard) -> bool:
    """Whether two cards carry the same fact."""
    if (a.kind == "cloze") != (b.kind == "cloze"):
        return False
    if a.kind == "cloze":
        text_a, deleted_a = _cloze_key(a)
        text_b, deleted_b = _cloze_key(b)
        return fuzz.ratio(text_a, text_b) >= SAME_CARD and fuzz.ratio(deleted_a, deleted_b) >= SAME_CARD
    front_a, whole_a = _question_key(a)
    front_b, whole_b = _question_key(b)
    return fuzz.ratio(front_a, front_b) >= SAME_QUESTION or fuzz.ratio(whole_a, whole_b) >= SAME_CARD


def dedupe(cards: list[DraftCard]) -> tuple[list[DraftCard], list[Skipped]]:
    """Keep one card per fact (the most confident, then the first); report the others."""
    kept: list[DraftCard] = []
    dropped: list[tuple[DraftCard, int]] = []
    for card in cards:
        twin = next((i for i, other in enumerate(kept) if _duplicates(other, card)), None)
        if twin is None:
            kept.append(card)
            continue
        loser = card
        if card.confidence > kept[twin].confidence:
            loser, kept[twin] = kept[twin], card
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
