"""Anki's own text importer as the oracle: import a CSV/TSV file, read back notes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection as AnkiCollection
from anki.import_export_pb2 import ImportCsvRequest


@dataclass(frozen=True)
class AnkiNote:
    """One note as Anki imported it: note type, deck of its first card, fields (HTML), tags."""

    notetype: str
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cards: int


def anki_import_text(path: Path, folder: Path) -> list[AnkiNote]:
    """Notes Anki makes from `path` with the options its own metadata detection picks."""
    folder.mkdir(parents=True, exist_ok=True)
    col = AnkiCollection(str(folder / "oracle.anki2"))
    try:
        metadata = col.get_csv_metadata(str(path), None)
        col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
        notes = []
        for nid in sorted(col.find_notes("")):
            note = col.get_note(nid)
            cards = note.cards()
            notes.append(
                AnkiNote(
                    notetype=note.note_type()["name"],
                    deck=col.decks.name(cards[0].did) if cards else "",
                    fields=tuple(note.fields),
                    tags=tuple(sorted(note.tags)),
                    cards=len(cards),
                )
            )
        return notes
    finally:
        col.close()


def anki_import_texts_by_name(paths: list[Path], folder: Path) -> dict[str, tuple[str, str]]:
    """First field -> (second field, deck) after Anki imports `paths` in turn, each into a deck
    named after the file (as trainer names it) unless the file has a deck column; duplicates
    resolved as Anki does by default (update the note)."""
    folder.mkdir(parents=True, exist_ok=True)
    col = AnkiCollection(str(folder / "oracle.anki2"))
    try:
        for path in paths:
            metadata = col.get_csv_metadata(str(path), None)
            if not metadata.HasField("deck_column"):
                metadata.deck_id = col.decks.id(path.stem) or 0
            col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
        found = {}
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            found[note.fields[0]] = (note.fields[1], col.decks.name(note.cards()[0].did))
        return found
    finally:
        col.close()
