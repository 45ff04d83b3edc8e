"""Build real Anki collections and packages with Anki's own library (the test oracle)."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection as AnkiCollection
from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

from trainer.core.validate import PARAMETER_BOUNDS

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@dataclass
class Built:
    """An Anki collection made for a test, with what it contains."""

    path: Path
    notes: int
    cards: int
    guids: list[str]


def build_collection(folder: Path, *, reviews: bool = True, fsrs: bool = True) -> Built:
    """A collection with every note type we map, nested decks, tags, an image and reviews."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "source.anki2"
    col = AnkiCollection(str(path))
    try:
        if fsrs:
            col.set_config("fsrs", True)
        deck = col.decks.id("Lang::French::Verbs")
        other = col.decks.id("Biology")
        mm = col.models
        basic = mm.by_name("Basic")
        rev = mm.by_name("Basic (and reversed card)")
        cloze = mm.by_name("Cloze")
        typein = mm.by_name("Basic (type in the answer)")
        image = col.media.write_data("cell.png", PNG)
        specs = [
            (basic, deck, ["manger", "to <b>eat</b>"], ["verb", "food"]),
            (basic, deck, ["boire", "to drink<br>(also: absorb)"], ["verb"]),
            (rev, deck, ["le chat", "the cat"], ["noun"]),
            (
                cloze,
                other,
                ["The {{c1::mitochondria}} is the {{c2::powerhouse::what?}} of the cell", "extra"],
                [],
            ),
            (typein, other, ["Capital of France?", "Paris"], ["geo"]),
            (basic, other, [f'A cell <img src="{image}">', "Cell &amp; membrane"], ["img"]),
        ]
        guids = []
        for model, did, fields, tags in specs:
            note = col.new_note(model)
            for i, value in enumerate(fields):
                note.fields[i] = value
            note.tags = tags
            col.add_note(note, did)
            guids.append(note.guid)
        if reviews:
            answer_some(col, deck)
        # suspend the type-in card
        cid = col.find_cards('"note:Basic (type in the answer)"')[0]
        col.sched.suspend_cards([cid])
        notes = col.note_count()
        cards = col.card_count()
    finally:
        col.close()
    return Built(path, notes, cards, guids)


PARAMS = [round(min(max(0.2 + 0.05 * i, low), high), 4) for i, (low, high) in enumerate(PARAMETER_BOUNDS)]


def build_learning(folder: Path) -> Built:
    """A collection whose deck uses changed options ("Hard stuff": 3 learning steps, FSRS parameters,
    retention 0.85, 33 new a day) and holds one card answered Good once: left in learning, step 2 of 3."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "learning.anki2"
    col = AnkiCollection(str(path))
    try:
        col.set_config("fsrs", True)
        did = col.decks.id("Steps")
        conf = col.decks.get_config(col.decks.add_config_returning_id("Hard stuff"))
        assert conf is not None
        conf["new"]["delays"] = [1.0, 10.0, 60.0]
        conf["new"]["perDay"] = 33
        conf["rev"]["perDay"] = 333
        conf["lapse"]["delays"] = [5.0]
        conf["desiredRetention"] = 0.85
        conf["fsrsParams6"] = PARAMS
        col.decks.update_config(conf)
        deck = col.decks.get(did)
        assert deck is not None
        deck["conf"] = conf["id"]
        col.decks.save(deck)
        note = col.new_note(col.models.by_name("Basic"))
        note.fields[0], note.fields[1] = "Bold <b>word</b>", "<i>tilted</i><br>and <strong>strong</strong>"
        col.add_note(note, did)
        col.decks.select(did)
        card = col.sched.getCard()
        assert card is not None
        card.start_timer()
        col.sched.answerCard(card, 3)
        assert col.db.scalar("select left from cards") % 1000 == 2
        guids = [note.guid]
    finally:
        col.close()
    return Built(path, 1, 1, guids)


def answer_some(col: AnkiCollection, deck_id: int) -> None:
    """Answer every card of a deck a few times through Anki's scheduler."""
    col.decks.select(deck_id)
    for ease in (3, 3, 1, 3):
        for _ in range(20):
            queued = col.sched.get_queued_cards()
            if not queued.cards:
                break
            card = col.sched.getCard()
            if card is None:
                break
            card.start_timer()
            col.sched.answerCard(card, ease)
        time.sleep(0.002)


def export_package(source: Path, out: Path, *, legacy: bool, scheduling: bool = True) -> Path:
    """Export the whole collection as .apkg (legacy = collection.anki21)."""
    col = AnkiCollection(str(source))
    try:
        options = ExportAnkiPackageOptions(
            with_scheduling=scheduling, with_deck_configs=True, with_media=True, legacy=legacy
        )
        col.export_anki_package(out_path=str(out), options=options, limit=None)
    finally:
        col.close()
    return out


def export_colpkg(source: Path, out: Path, *, legacy: bool = False) -> Path:
    """Export the collection as .colpkg."""
    col = AnkiCollection(str(source))
    try:
        col.export_collection_package(str(out), include_media=True, legacy=legacy)
    finally:
        col.close()
    return out


__all__ = [
    "PARAMS",
    "AnkiCollection",
    "Built",
    "DeckIdLimit",
    "build_collection",
    "build_learning",
    "export_colpkg",
    "export_package",
]
