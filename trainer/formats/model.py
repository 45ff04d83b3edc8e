"""What a format reader yields and a writer takes: cards with optional scheduling and history."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from trainer.core.cards import CardContent
from trainer.core.scheduling import CardState, Preset, SchedulingState
from trainer.formats.anki_kept import KeptNote, KeptNotetype


@dataclass(frozen=True)
class ReviewRecord:
    """One logged answer; the `*_before` fields and `undo_data` are known only to our own formats."""

    reviewed_at: datetime
    rating: int
    duration_ms: int = 0
    state_before: CardState = CardState.REVIEW
    state_after: CardState = CardState.REVIEW
    due_after: datetime | None = None
    stability_after: float | None = None
    difficulty_after: float | None = None
    kind: str = "import"
    step_before: int | None = None
    stability_before: float | None = None
    difficulty_before: float | None = None
    due_before: datetime | None = None
    last_review_before: datetime | None = None
    step_after: int | None = None
    undo_data: str = ""
    anki: tuple[int, int, int | None, int | None] | None = None  # its Anki revlog factor, type, ivl, lastIvl


@dataclass(slots=True)
class CardRecord:
    """One study card in a file, with its stable id."""

    external_id: str
    deck: str
    content: CardContent
    tags: tuple[str, ...] = ()
    group: str = ""
    source: str = ""
    position: int = 0
    scheduling: SchedulingState | None = None
    suspended: bool = False
    buried: bool = False
    flag: int = 0
    reviews: list[ReviewRecord] = field(default_factory=list)
    where: str = ""  # "note 12" / "row 4": for messages
    created_at: datetime | None = None  # when the card was made (Anki: its note's id, in ms)
    columns: dict[str, Any] = field(default_factory=dict)  # exact stored values (JSON restore)
    anki_card: tuple[int, int, int] | None = None  # from Anki: its (ivl, factor, reps) (`anki_cards`)


@dataclass
class Package:
    """Everything read from one file."""

    cards: list[CardRecord] = field(default_factory=list)
    media: dict[str, bytes | Path] = field(default_factory=dict)  # name -> bytes, or a file in `scratch`
    presets: list[Preset] = field(default_factory=list)
    deck_presets: dict[str, str] = field(default_factory=dict)  # deck name -> preset name
    deck_meta: dict[str, dict[str, Any]] = field(default_factory=dict)  # description, language, ...
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    notices: list[tuple[str, str]] = field(
        default_factory=list
    )  # brought over, but not all of it: (where, what)
    has_scheduling: bool = False
    replace_presets: bool = False  # a backup: its presets overwrite same-named ones
    keep_decks: bool = False  # a text file: cards already in the collection stay in their deck (as Anki's)
    scratch: Path | None = None  # a temporary folder the reader filled (media); removed by `discard`
    anki_notes: dict[str, KeptNote] = field(default_factory=dict)  # card group -> the Anki note
    anki_notetypes: dict[str, KeptNotetype] = field(default_factory=dict)  # digest -> note type

    def discard(self) -> None:
        """Remove the reader's temporary files (after the import, or when it is refused)."""
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None
