"""Note types as Anki renders them: every card Anki has arrives in trainer showing what Anki shows.

Anki builds the packages (custom note types with several cloze fields, nested clozes,
hints, type-in, conditionals, static template text and special fields) and renders each
card; trainer imports them and must show the same question and answer, then export them so
that Anki keeps every card and still shows the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection

from tests.formats.anki_judge import judge_package, trainer_sides
from tests.formats.anki_oracle import export_package
from tests.formats.test_apkg_export_judged import assert_shown_alike
from trainer.collection import Collection
from trainer.formats.anki_template import TemplateError, parse, render_cloze
from trainer.formats.apkg_read import read_package

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "anki"


def _model(anki: AnkiCollection, name: str, fields: list[str], templates: list[tuple[str, str]], cloze: bool):  # type: ignore[no-untyped-def]
    mm = anki.models
    model = mm.new(name)
    if cloze:
        model["type"] = 1
    for field in fields:
        mm.add_field(model, mm.new_field(field))
    for i, (q, a) in enumerate(templates):
        template = mm.new_template(f"Card {i + 1}")
        template["qfmt"], template["afmt"] = q, a
        mm.add_template(model, template)
    mm.add(model)
    return mm.by_name(name)


def templates_package(folder: Path) -> Path:
    """Anki note types that go beyond Basic and Cloze, with notes that use what they offer."""
    folder.mkdir(parents=True, exist_ok=True)
    anki = AnkiCollection(str(folder / "src.anki2"))
    try:
        did = anki.decks.id("Lang::Spanish")
        two_q = "<h2>{{cloze:Text1}}<br>{{cloze:Text2}}</h2>{{#Flag}}<i>flagged</i>{{/Flag}}"
        two_a = "{{cloze:Text1}}<br>{{cloze:Text2}}<hr id=answer>"
        two_a += "{{#c1}}first{{/c1}}{{Extra}}{{^Flag}} plain{{/Flag}}"
        multi = _model(anki, "Two clozes", ["Text1", "Text2", "Extra", "Flag"], [(two_q, two_a)], cloze=True)
        typed_q = "{{cloze:Text}}<br>{{type:cloze:Text}}"
        typed_a = "{{cloze:Text}}<br>{{type:cloze:Text}}<br>{{Back Extra}}"
        typed_cloze = _model(anki, "Typed cloze", ["Text", "Back Extra"], [(typed_q, typed_a)], cloze=True)
        answer = "{{FrontSide}}<hr id=answer>"
        capital = _model(
            anki, "Capitals", ["Country", "Capital", "Note"],
            [
                ("Capital of {{Country}}?", answer + "{{Capital}}{{#Note}}<br>({{Note}}){{/Note}}"),
                ("{{Capital}} is the capital of?<br>{{type:Country}}", answer + "{{type:Country}}"),
                (
                    "{{#Note}}{{hint:Note}} {{Country}}: {{Deck}} / {{Subdeck}} / {{Card}}{{/Note}}",
                    answer + "{{text:Capital}} [{{Tags}}] {{Type}}",
                ),
            ], cloze=False,
        )  # fmt: skip
        notes = [
            (multi, ["Yo {{c1::como}}.", "Tu {{c2::comes::verb}}.", "<b>comer</b>", ""]),
            (multi, ["{{c1::outer {{c2::inner}} end}}", "{{c3::third}} and {{c1::again}}", "", "x"]),
            (typed_cloze, ["The {{c1::mitochondria}} makes {{c2::ATP}}", "biology"]),
            (capital, ["France", "Paris", "on the <i>Seine</i>"]),
            (capital, ["Peru", "Lima", ""]),
        ]
        for model, fields in notes:
            note = anki.new_note(model)
            for i, value in enumerate(fields):
                note.fields[i] = value
            note.tags = ["geo", "test"]
            anki.add_note(note, did)
    finally:
        anki.close()
    return export_package(folder / "src.anki2", folder / "templates.apkg", legacy=False)


def _compare(package: Path, folder: Path) -> tuple[int, int, list[tuple[str, object, object]], set[str]]:
    """(Anki's cards, trainer's cards, differing cards, cards Anki cannot render)."""
    judged = judge_package(package, folder)
    read = read_package(package)
    ours = {c.external_id.removeprefix("anki/"): c for c in read.cards}
    broken = {
        key
        for key, card in judged["cards"].items()
        if "template has a problem" in card["question"] or "No cloze" in card["answer"]
    }
    wrong: list[tuple[str, object, object]] = [
        (key, trainer_sides(ours[key].content) if key in ours else None, (c["question"], c["answer"]))
        for key, c in judged["cards"].items()
        if key not in broken
        and (key not in ours or trainer_sides(ours[key].content) != (c["question"], c["answer"]))
    ]
    assert len(read.notices) >= len(broken)
    return int(judged["before_check"]), len(read.cards), wrong, {str(key) for key in broken}


def test_custom_note_types_show_what_anki_shows(tmp_path: Path) -> None:
    package = templates_package(tmp_path / "src")
    anki_cards, ours, wrong, broken = _compare(package, tmp_path / "judge")
    assert anki_cards == ours == 12
    assert wrong == [] and broken == set()


def test_custom_note_types_round_trip(col: Collection, tmp_path: Path) -> None:
    package = templates_package(tmp_path / "src")
    report = col.import_file(package)
    assert len(report.added) == 12 and report.notices == []
    out = tmp_path / "back.apkg"
    col.export_file(out)
    judged = judge_package(out, tmp_path / "judge")
    assert judged["before_check"] == judged["after_check"] == 12
    assert_shown_alike(col, judged)
    assert "{{c" not in " ".join(c["question"] + c["answer"] for c in judged["cards"].values())


def test_ankidroid_templates(col: Collection, tmp_path: Path) -> None:
    """AnkiDroid's template torture test: all 146 cards; those Anki cannot render are reported."""
    package = REAL / "ankidroid_templates.apkg"
    if not package.is_file():
        pytest.skip(f"{package} not found (../shared/data/real/anki)")
    anki_cards, ours, wrong, broken = _compare(package, tmp_path / "judge")
    assert anki_cards == ours == 146
    assert wrong == []
    assert 0 < len(broken) < 50
    report = col.import_file(package)
    assert len(report.added) == 146 and len(report.notices) == len(broken)
    out = tmp_path / "back.apkg"
    col.export_file(out)
    judged = judge_package(out, tmp_path / "back")
    assert judged["before_check"] == judged["after_check"] == 146
    # the notes leave with their own note types: Anki shows what it showed before the trip,
    # its template problems included (test_anki_round_trip compares the HTML)
    first = judge_package(package, tmp_path / "first")["cards"]
    assert {k: (c["question"], c["answer"]) for k, c in judged["cards"].items()} == {
        k: (c["question"], c["answer"]) for k, c in first.items()
    }


@pytest.mark.parametrize(
    ("template", "reason"),
    [("{{#A}}x{{/B}}", "but expected '{{/A}}'"), ("{{#A}}x", "Missing '{{/A}}'"), ("x{{/A}}", "missing")],
)
def test_template_problems_named_as_anki_names_them(template: str, reason: str) -> None:
    with pytest.raises(TemplateError, match=reason.replace("{", r"\{").replace("}", r"\}").replace("'", "'")):
        parse(template)


def test_nested_and_multi_number_clozes() -> None:
    text = "{{c1::a {{c2::b::hint}} c}} {{c1,3::d}}"
    assert render_cloze(text, 1, question=True).count("[...]") == 2
    assert "[hint]" in render_cloze(text, 2, question=True)
    assert "[...]" in render_cloze(text, 3, question=True) and "a b c" in render_cloze(text, 3, question=True)
    assert render_cloze(text, 4, question=True) == ""
