"""Card kinds and their content: what a card asks and what it answers.

A `CardContent` is the study-relevant part of a card, independent of storage.
Rendering produces plain strings; callers must display them literally.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from trainer.core.frozen import build

_TEXT_FIELDS = ("front", "back", "text", "hint", "note", "group_title")
# One encoder, made once: `json.dumps` with options builds a new encoder on every call.
_CANONICAL_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


class CardKind(StrEnum):
    """The kinds of card a deck can hold."""

    BASIC = "basic"
    REVERSED = "reversed"
    CLOZE = "cloze"
    TYPED = "typed"
    CHOICE = "choice"


_KIND_OF = {kind.value: kind for kind in CardKind}
CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)

_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Remove control characters (C0 but tab/newline, C1, bidi overrides) from card text."""
    return _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class CardContent:
    """What one card shows. Fields not used by a kind stay empty."""

    kind: CardKind
    front: str = ""
    back: str = ""
    text: str = ""  # cloze source text
    cloze_ord: int = 0  # which cloze number this card hides (1-based)
    answers: tuple[str, ...] = ()  # typed: accepted answers, canonical first
    distractors: tuple[str, ...] = ()  # choice: wrong options
    hint: str = ""
    note: str = ""  # extra text shown after the answer
    group_title: str = ""  # compare set title, when generated from one
    media: tuple[str, ...] = ()  # file names in the collection's media folder

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with only the non-empty fields (hot on import: no `asdict`)."""
        data: dict[str, Any] = {"kind": self.kind.value}
        for name in _TEXT_FIELDS:
            value = getattr(self, name)
            if value:
                data[name] = value
        if self.cloze_ord:
            data["cloze_ord"] = self.cloze_ord
        if self.answers:
            data["answers"] = list(self.answers)
        if self.distractors:
            data["distractors"] = list(self.distractors)
        if self.media:
            data["media"] = list(self.media)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardContent:
        """Inverse of `to_dict` (built fast: every card shown is read this way)."""
        get = data.get
        kind = _KIND_OF.get(data["kind"]) or CardKind(data["kind"])  # the dict: Enum calls are slow
        return build(cls, {
            "kind": kind,
            "front": get("front", ""),
            "back": get("back", ""),
            "text": get("text", ""),
            "cloze_ord": int(get("cloze_ord", 0)),
            "answers": tuple(get("answers", ())),
            "distractors": tuple(get("distractors", ())),
            "hint": get("hint", ""),
            "note": get("note", ""),
            "group_title": get("group_title", ""),
            "media": tuple(get("media", ())),
        })  # fmt: skip

    def to_json(self) -> str:
        """Canonical JSON (sorted keys), as stored."""
        return _CANONICAL_JSON(self.to_dict())

    @classmethod
    def from_json(cls, raw: str) -> CardContent:
        """Parse stored JSON."""
        return cls.from_dict(json.loads(raw))

    def content_hash(self) -> str:
        """A short hash of the content, to tell what changed on re-load."""
        return hash_json(self.to_json())

    @property
    def correct_answer(self) -> str:
        """The canonical answer of a typed or choice card (the back otherwise)."""
        if self.kind is CardKind.TYPED and self.answers:
            return self.answers[0]
        return self.back


def hash_json(raw: str) -> str:
    """The content hash of canonical content JSON (`CardContent.to_json`)."""
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def cloze_numbers(text: str) -> list[int]:
    """The distinct cloze numbers in `text`, sorted."""
    return sorted({int(m.group(1)) for m in CLOZE_RE.finditer(text)})


def render_cloze(text: str, ordinal: int, *, reveal: bool) -> str:
    """Show cloze `ordinal` hidden (`[...]` or `[hint]`) or revealed; others as plain text."""

    def replace(match: re.Match[str]) -> str:
        number, answer, hint = int(match.group(1)), match.group(2), match.group(3)
        if number != ordinal or reveal:
            return answer
        return f"[{hint}]" if hint else "[...]"

    return CLOZE_RE.sub(replace, text)


@dataclass(frozen=True)
class Rendered:
    """A card's question and answer as plain text."""

    question: str
    answer: str
    options: tuple[str, ...] = field(default=())  # choice: all options, unshuffled


def render(content: CardContent) -> Rendered:
    """Question and answer text for a card."""
    if content.kind is CardKind.CLOZE:
        return Rendered(
            question=render_cloze(content.text, content.cloze_ord, reveal=False),
            answer=render_cloze(content.text, content.cloze_ord, reveal=True),
        )
    if content.kind is CardKind.CHOICE:
        return Rendered(
            question=content.front,
            answer=content.back,
            options=(content.back, *content.distractors),
        )
    if content.kind is CardKind.TYPED:
        return Rendered(question=content.front, answer=content.correct_answer)
    return Rendered(question=content.front, answer=content.back)


def slugify(text: str) -> str:
    """A lowercase ASCII id fragment: `Axonal loss (CMAP)` -> `axonal-loss-cmap`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or hashlib.sha256(text.encode()).hexdigest()[:8]
