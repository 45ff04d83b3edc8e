"""Anki -> trainer -> Anki: every card Anki renders the same before and after the trip.

Anki's library renders each card of the original package and of trainer's export of it
(`card.question()` / `card.answer()`, HTML with the note type's CSS): they must be equal,
card for card, type-in templates included. The real packages in `../shared/data/real/anki/`
are all checked; Anki-built packages cover the current (schema 18) layout and edits.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.anki_judge import judge_package, rendering, trainer_sides
from tests.formats.test_anki_templates import templates_package
from tests.formats.test_apkg_export_judged import exported
from trainer.collection import Collection, open_collection
from trainer.core.cards import CardContent, CardKind

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "anki"
REAL_PACKAGES = sorted(REAL.glob("*.apkg")) if REAL.is_dir() else []


def round_trip(col: Collection, package: Path, folder: Path) -> tuple[dict[str, tuple[str, str, bool]], ...]:
    """Anki's rendering of `package`, and of trainer's export after importing it."""
    before = rendering(package, folder / "before")
    col.import_file(package)
    out = folder / "back.apkg"
    col.export_file(out)
    return before, rendering(out, folder / "after")


def differences(
    before: dict[str, tuple[str, str, bool]], after: dict[str, tuple[str, str, bool]]
) -> list[str]:
    return [key for key in before if after.get(key) != before[key]]


@pytest.mark.skipif(not REAL_PACKAGES, reason=f"no real packages in {REAL}")
@pytest.mark.parametrize("package", REAL_PACKAGES, ids=[p.name for p in REAL_PACKAGES])
def test_real_package_renders_the_same_after_the_trip(col: Collection, tmp_path: Path, package: Path) -> None:
    before, after = round_trip(col, package, tmp_path)
    assert len(before) > 0 and set(after) == set(before)
    assert differences(before, after) == []
    assert sum(t for _, _, t in after.values()) == sum(t for _, _, t in before.values())


def test_ankidroid_type_in_cards_keep_the_typing_step(col: Collection, tmp_path: Path) -> None:
    package = REAL / "ankidroid_templates.apkg"
    if not package.is_file():
        pytest.skip(f"{package} not found (../shared/data/real/anki)")
    before, after = round_trip(col, package, tmp_path)
    typed = [key for key, (_, _, t) in before.items() if t]
    assert len(before) == 146 and len(typed) == 29
    assert all(after[key][2] and "[[type:" in after[key][0] for key in typed)
    judged = judge_package(tmp_path / "back.apkg", tmp_path / "judge")
    assert judged["before_check"] == judged["after_check"] == 146


def test_current_layout_note_types_round_trip(col: Collection, tmp_path: Path) -> None:
    """Schema 18 note types (protobuf configs): several clozes, typed cloze, hints, conditionals."""
    package = templates_package(tmp_path / "src")
    before, after = round_trip(col, package, tmp_path)
    assert len(before) == 12 and differences(before, after) == []
    assert sum(t for _, _, t in after.values()) == sum(t for _, _, t in before.values()) > 0


def test_an_edited_card_leaves_as_trainer_shows_it(col: Collection, tmp_path: Path) -> None:
    package = templates_package(tmp_path / "src")
    before, _ = round_trip(col, package, tmp_path / "first")
    view = next(c for c in col.search("") if c.content.kind is CardKind.CLOZE)
    col.edit_card(
        view.id, CardContent(kind=CardKind.BASIC, front="A question written here", back="its answer")
    )
    out = tmp_path / "edited.apkg"
    col.export_file(out)
    after = rendering(out, tmp_path / "after")
    group = view.external_id.rsplit("/", 1)[0].removeprefix("anki/")
    judged = judge_package(out, tmp_path / "judge")
    ours = exported(col)
    for key in judged["cards"]:
        if key.startswith(group + "/"):  # the edited note: trainer's text for each of its cards
            assert trainer_sides(ours[key].content) == (
                judged["cards"][key]["question"],
                judged["cards"][key]["answer"],
            )
        else:
            assert after[key] == before[key]
    assert judged["before_check"] == judged["after_check"] == 12


def test_the_json_backup_keeps_the_anki_notes(col: Collection, tmp_path: Path) -> None:
    """Restored from its JSON backup, a collection exports the same package to Anki: the kept
    notes (an edited one still leaving as trainer shows it) and the review-log values."""
    package = templates_package(tmp_path / "src")
    col.import_file(package)
    view = next(c for c in col.search("") if c.content.kind is CardKind.CLOZE)
    col.edit_card(view.id, CardContent(kind=CardKind.BASIC, front="Edited here", back="its answer"))
    col.export_file(tmp_path / "direct.apkg")
    col.export_file(tmp_path / "backup.json")
    restored = open_collection(tmp_path / "restored.sqlite3", install_bundled=False)
    try:
        restored.import_file(tmp_path / "backup.json")
        restored.export_file(tmp_path / "restored.apkg")
    finally:
        restored.close()
    direct = rendering(tmp_path / "direct.apkg", tmp_path / "a")
    again = rendering(tmp_path / "restored.apkg", tmp_path / "b")
    assert len(direct) == 12 and again == direct
    assert sum(t for _, _, t in again.values()) > 0  # type-in templates kept


def test_template_media_travel_with_their_note_type(col: Collection, tmp_path: Path) -> None:
    """A font in the CSS and an image in a template (Anki's `_` names) come in with the note type
    and leave with it; a `_` file no template names stays out."""
    from anki.collection import Collection as AnkiCollection

    from tests.formats.anki_oracle import PNG, export_package
    from tests.formats.test_anki_templates import _model

    anki = AnkiCollection(str(tmp_path / "src.anki2"))
    try:
        model = _model(
            anki, "Styled", ["Front", "Back"],
            [('<img src="_logo.png">{{Front}}', "{{FrontSide}}<hr id=answer>{{Back}}")], cloze=False,
        )  # fmt: skip
        model["css"] += '@font-face { font-family: f; src: url("_font.ttf"); }'
        anki.models.update_dict(model)
        anki.media.write_data("_logo.png", PNG)
        anki.media.write_data("_font.ttf", b"font bytes")
        anki.media.write_data("_unused.png", PNG)
        note = anki.new_note(anki.models.by_name("Styled"))
        note["Front"], note["Back"] = "q", "a"
        anki.add_note(note, 1)
    finally:
        anki.close()
    package = export_package(tmp_path / "src.anki2", tmp_path / "styled.apkg", legacy=False)
    before, after = round_trip(col, package, tmp_path)
    assert len(before) == 1 and after == before
    media = tmp_path / "after" / "rendering.media"
    assert sorted(p.name for p in media.iterdir()) == ["_font.ttf", "_logo.png"]
    assert (media / "_font.ttf").read_bytes() == b"font bytes"
