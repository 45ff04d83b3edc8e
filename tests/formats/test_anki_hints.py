"""A card's hint goes to Anki as Anki users write hints (a hint field shown by `{{hint:...}}`),
and `{{hint:...}}` fields of Anki note types come into trainer as the card's hint."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection as AnkiCollection

from tests.formats.anki_judge import judge_package, trainer_sides
from tests.formats.anki_oracle import export_package
from tests.formats.test_anki_templates import _model
from tests.formats.test_apkg_export_judged import exported
from trainer.collection import Collection, open_collection
from trainer.formats.apkg_read import read_package

DECK = """
[deck]
id = "hints"
name = "Hints"

[[cards]]
id = "plain"
front = "Capital of Peru?"
back = "Lima"
hint = "on the <coast> & in *desert*"

[[cards]]
id = "typed"
kind = "typed"
front = "Chemical symbol of gold?"
answers = ["Au", "au"]
hint = "Latin: aurum"

[[cards]]
id = "choice"
kind = "choice"
front = "Largest planet?"
answer = "Jupiter"
distractors = ["Mars", "Venus"]
hint = "a gas giant"

[[cards]]
id = "none"
front = "No hint here"
back = "right"
"""


def test_hints_leave_as_anki_hint_fields(col: Collection, tmp_path: Path) -> None:
    deck = tmp_path / "hints.toml"
    deck.write_text(DECK, encoding="utf-8")
    col.load([deck])
    out = tmp_path / "hints.apkg"
    col.export_file(out)
    judged = judge_package(out, tmp_path / "anki")
    ours = exported(col)
    assert judged["before_check"] == judged["after_check"] == 4
    shown = {
        ours[key].content.front: (card["hint"], card["question"], card["answer"])
        for key, card in judged["cards"].items()
    }
    assert shown["Capital of Peru?"][0] == "on the <coast> & in *desert*"
    assert shown["Chemical symbol of gold?"][0] == "Latin: aurum"
    assert shown["Largest planet?"][0] == "a gas giant"
    assert shown["No hint here"][0] == ""
    for key, card in judged["cards"].items():  # the rest of each card as trainer shows it
        assert trainer_sides(ours[key].content) == (card["question"], card["answer"])
    # and back: trainer reads the hints of its own export
    again = open_collection(tmp_path / "again.sqlite3", install_bundled=False)
    try:
        again.import_file(out)
        hints = {c.content.front: c.content.hint for c in again.search("")}
    finally:
        again.close()
    assert hints == {
        "Capital of Peru?": "on the <coast> & in *desert*", "Chemical symbol of gold?": "Latin: aurum",
        "Largest planet?": "a gas giant", "No hint here": "",
    }  # fmt: skip


def test_anki_hint_fields_become_the_cards_hint(tmp_path: Path) -> None:
    anki = AnkiCollection(str(tmp_path / "src.anki2"))
    try:
        model = _model(
            anki, "Word with hint", ["Word", "Meaning", "Clue"],
            [
                ("{{Word}}{{#Clue}}<br>{{hint:Clue}}{{/Clue}}", "{{FrontSide}}<hr id=answer>{{Meaning}}"),
                ("{{Meaning}} {{hint:Clue}}", "{{FrontSide}}<hr id=answer>{{Word}}"),
            ], cloze=False,
        )  # fmt: skip
        for word, meaning, clue in [("gato", "cat", "it <b>purrs</b>"), ("perro", "dog", "")]:
            note = anki.new_note(model)
            note["Word"], note["Meaning"], note["Clue"] = word, meaning, clue
            anki.add_note(note, 1)
    finally:
        anki.close()
    package = export_package(tmp_path / "src.anki2", tmp_path / "hint.apkg", legacy=False)
    judged = judge_package(package, tmp_path / "judge")
    ours = {c.external_id.removeprefix("anki/"): c.content for c in read_package(package).cards}
    assert len(judged["cards"]) == len(ours) == 4
    for key, card in judged["cards"].items():
        assert ours[key].hint == card["hint"]
        assert trainer_sides(ours[key]) == (card["question"], card["answer"])
    assert sorted(c.hint for c in ours.values()) == ["", "", "it **purrs**", "it **purrs**"]
