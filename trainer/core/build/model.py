"""Data types of the document-to-draft-deck engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from trainer.errors import InvalidInputError

FieldValue = str | list[str]
"""A card field: plain text, or a list of plain texts (answers, distractors)."""

Lines = tuple[int, int]
"""A 1-based, inclusive line span in a source document."""


class BuildInputError(InvalidInputError):
    """A document that cannot be read; the message names the file."""


@dataclass(frozen=True)
class SourceDoc:
    """One input document: its file name and its decoded text."""

    name: str
    text: str


@dataclass(frozen=True)
class DraftSource:
    """A `[[deck.sources]]` entry, one per input document."""

    id: str
    title: str
    file: str


@dataclass
class DraftCard:
    """A draft card, ready to render as a `[[cards]]` table."""

    id: str
    kind: str
    fields: dict[str, FieldValue]
    tags: list[str]
    source: str
    section: str
    lines: Lines
    confidence: float
    note: str = ""
    rule: str = ""


@dataclass
class DraftCompare:
    """A draft compare set (`[[compare]]`): items described on the same facets."""

    id: str
    title: str
    items: list[str]
    facets: dict[str, list[str]]
    tags: list[str]
    source: str
    section: str
    lines: Lines
    confidence: float


@dataclass(frozen=True)
class Skipped:
    """A sentence or span that gave no card, and why."""

    source: str
    section: str
    lines: Lines
    text: str
    reason: str


@dataclass
class BuildResult:
    """Everything `build_drafts` produced."""

    cards: list[DraftCard]
    skipped: list[Skipped]
    language: str
    sources: list[DraftSource] = field(default_factory=list)
    compares: list[DraftCompare] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    """A card proposed by one rule, before ids and de-duplication."""

    kind: str
    fields: dict[str, FieldValue]
    rule: str
    confidence: float
    label: str
    basis: str
    lines: Lines
    note: str = ""


@dataclass(frozen=True)
class Sentence:
    """A sentence of a paragraph, with its line span and heading path."""

    text: str
    lines: Lines
    path: tuple[str, ...]


TriageAction = Literal["accept", "reject", "edit"]


@dataclass(frozen=True)
class TriageDecision:
    """A reviewer's decision on one draft card or compare set."""

    action: TriageAction
    fields: dict[str, FieldValue] | None = None
    note: str | None = None


@dataclass(frozen=True)
class RuleResult:
    """What one rule made of one sentence: cards, or why a near match was rejected."""

    cards: tuple[Candidate, ...] = ()
    reason: str = ""
