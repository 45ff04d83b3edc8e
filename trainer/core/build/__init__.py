"""Document -> draft deck extraction for `trainer build`.

Pure domain code: standard library plus rapidfuzz; no I/O except `read_document`.
"""

from __future__ import annotations

from .engine import build_drafts
from .model import (
    BuildInputError,
    BuildResult,
    DraftCard,
    DraftCompare,
    DraftSource,
    Skipped,
    SourceDoc,
    TriageDecision,
)
from .reader import read_document
from .render import render_toml
from .triage import apply_triage

__all__ = [
    "BuildInputError",
    "BuildResult",
    "DraftCard",
    "DraftCompare",
    "DraftSource",
    "Skipped",
    "SourceDoc",
    "TriageDecision",
    "apply_triage",
    "build_drafts",
    "read_document",
    "render_toml",
]
