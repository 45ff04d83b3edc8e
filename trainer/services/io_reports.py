"""What an import did and what an export wrote, as the CLI, the TUI and `--json` show them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportReport:
    """What an import did."""

    file: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)  # brought over, not all of it
    reviews: int = 0
    restored: list[str] = field(default_factory=list)  # matched, unstudied here: file's progress taken
    kept: list[str] = field(default_factory=list)  # studied here and in the file: this collection's kept
    media: list[str] = field(default_factory=list)
    decks_created: list[str] = field(default_factory=list)
    presets_created: list[str] = field(default_factory=list)
    backup: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "file": self.file, "added": len(self.added), "updated": self.updated,
            "unchanged": self.unchanged, "skipped": [{"where": w, "why": y} for w, y in self.skipped],
            "notices": [{"where": w, "what": y} for w, y in self.notices],
            "reviews": self.reviews, "restored": len(self.restored), "kept": len(self.kept),
            "media": self.media, "decks_created": self.decks_created,
            "presets_created": self.presets_created,
            "backup": self.backup,
        }  # fmt: skip


@dataclass
class ExportReport:
    """What an export wrote."""

    file: str
    format: str
    cards: int = 0
    notes: int = 0
    reviews: int = 0
    media: int = 0
    files: list[str] = field(default_factory=list)  # every file written

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)
