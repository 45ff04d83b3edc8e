"""What trainer exports, judged by Anki: every card kept and shown as trainer shows it, due days
in the collection's zone, review-log rows, creation times and memory states."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Clock
from tests.formats.anki_judge import judge_in_zone, judge_package, trainer_sides
from trainer.collection import Collection, open_collection
from trainer.core.days import study_date
from trainer.formats.anki_notes import shape_notes
from trainer.formats.csv_text import guid_for
from trainer.formats.model import CardRecord
from trainer.paths import bundled_decks_dir
from trainer.services.io_export import collect_cards


def exported(col: Collection) -> dict[str, CardRecord]:
    """Our cards by the Anki card they leave as (`<guid>/<ord>`)."""
    records = collect_cards(col.db, None, scheduling=True)
    return {
        f"{guid_for(shape.key)}/{ordinal}": record
        for shape in shape_notes(records)
        for ordinal, record in shape.cards
    }


def assert_shown_alike(col: Collection, judged: dict[str, object]) -> None:
    ours = exported(col)
    cards = judged["cards"]
    assert isinstance(cards, dict)
    assert set(cards) == set(ours)
    wrong = [
        (key, trainer_sides(ours[key].content), (c["question"], c["answer"]))
        for key, c in cards.items()
        if trainer_sides(ours[key].content) != (c["question"], c["answer"])
    ]
    assert wrong == []


def test_bundled_decks_leave_whole(col: Collection, tmp_path: Path) -> None:
    """Compare sets, reversed, cloze, typed and choice cards: Anki keeps all and shows each as we do."""
    if not bundled_decks_dir().is_dir():
        pytest.skip("bundled decks not found")
    col.load_bundled()
    out = tmp_path / "all.apkg"
    report = col.export_file(out)
    judged = judge_package(out, tmp_path)
    assert judged["before_check"] == judged["after_check"] == report.cards > 300
    assert_shown_alike(col, judged)
    # and trainer reads its own export back card for card
    again = open_collection(tmp_path / "again.sqlite3", install_bundled=False)
    try:
        assert len(again.import_file(out).added) == report.cards
    finally:
        again.close()


DECK = """
[deck]
id = "d"
name = "Days"

[[cards]]
id = "a"
front = "one"
back = "1"

[[cards]]
id = "b"
front = "two"
back = "2"

[[cards]]
id = "c"
kind = "reversed"
front = "three"
back = "3"

[[cards]]
id = "e"
kind = "cloze"
text = "{{c1::four}} and {{c2::five}}"
"""


def studied(path: Path, zone: ZoneInfo, start: datetime) -> tuple[Collection, datetime]:
    """A collection in `zone` whose cards were answered over three weeks, at varied hours."""
    clock = Clock(start)
    col = open_collection(path, clock=clock, zone=zone, install_bundled=False)
    deck = path.parent / "days.toml"
    deck.write_text(DECK, encoding="utf-8")
    col.load([deck])
    for day in range(21):
        clock.now = start + timedelta(days=day, hours=(day * 5) % 24)
        while (card := col.next_card()) is not None:
            col.answer(card.card.id, "good" if (card.card.id + day) % 3 else "easy")
    return col, clock.now + timedelta(hours=7)


@pytest.mark.parametrize("zone", ["America/New_York", "UTC", "Asia/Kolkata", "Asia/Tokyo"])
def test_due_days_match_in_every_zone(zone: str, tmp_path: Path) -> None:
    tz = ZoneInfo(zone)
    col, now = studied(tmp_path / "col.sqlite3", tz, datetime(2026, 1, 5, 3, 0, tzinfo=tz))
    try:
        out = tmp_path / "days.apkg"
        col.export_file(out, now=now)
        ours = exported(col)
        hour = col.presets.of_deck("Days").day_start_hour
        decay = col.presets.of_deck("Days").parameters[20]
    finally:
        col.close()
    when = now.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    judged = judge_in_zone(out, tmp_path / "anki", zone, when)
    today = study_date(now, tz, hour)
    reviews = 0
    for key, card in judged["cards"].items():
        state = ours[key].scheduling
        assert state is not None
        if card["type"] == 2:
            reviews += 1
            assert state.due is not None
            assert card["due"] - judged["today"] == (study_date(state.due, tz, hour) - today).days, key
            assert card["stability"] == pytest.approx(state.stability, abs=1e-4)
            assert card["decay"] == pytest.approx(decay, abs=5e-4)  # the preset's curve (Anki keeps 3 places)
    assert reviews >= 4
    # review-log rows: the previous interval is the interval the previous answer set
    by_card: dict[int, list[list[int]]] = {}
    for row in judged["revlog"]:
        by_card.setdefault(row[1], []).append(row)
    for rows in by_card.values():
        assert rows[0][4] == 0
        assert all(b[4] == a[3] for a, b in pairwise(rows))


def three_template_package(folder: Path) -> Path:
    """An Anki package whose note type makes three cards a note (one field empty on one note)."""
    from anki.collection import Collection as AnkiCollection

    from tests.formats.anki_oracle import export_package

    folder.mkdir(parents=True, exist_ok=True)
    anki = AnkiCollection(str(folder / "three.anki2"))
    try:
        mm = anki.models
        model = mm.new("Radical")
        for name in ("Radical", "Meaning", "Pinyin"):
            mm.add_field(model, mm.new_field(name))
        for i, (q, a) in enumerate(
            [
                ("{{Radical}}", "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Pinyin}}"),
                ("Meaning: {{Meaning}}", "{{FrontSide}}<hr id=answer>{{Radical}}"),
                (
                    "{{#Pinyin}}Say {{Pinyin}}{{/Pinyin}}",
                    "{{FrontSide}}<hr id=answer>{{Radical}} ({{Meaning}})",
                ),
            ]
        ):
            template = mm.new_template(f"Card {i + 1}")
            template["qfmt"], template["afmt"] = q, a
            mm.add_template(model, template)
        mm.add(model)
        did = anki.decks.id("Radicals")
        for fields in (["人", "person", "rén"], ["口", "mouth", "kǒu"], ["水", "water", ""]):
            note = anki.new_note(anki.models.by_name("Radical"))
            for i, value in enumerate(fields):
                note.fields[i] = value
            anki.add_note(note, did)
    finally:
        anki.close()
    return export_package(folder / "three.anki2", folder / "three.apkg", legacy=False)


def test_three_template_notes_round_trip(col: Collection, tmp_path: Path) -> None:
    source = three_template_package(tmp_path / "src")
    original = judge_package(source, tmp_path / "orig")
    assert original["before_check"] == 8
    report = col.import_file(source)
    assert len(report.added) == 8
    out = tmp_path / "back.apkg"
    col.export_file(out)
    judged = judge_package(out, tmp_path / "judge")
    assert judged["before_check"] == judged["after_check"] == 8
    assert_shown_alike(col, judged)
    shown = {k: (c["question"], c["answer"]) for k, c in judged["cards"].items()}
    assert shown == {k: (c["question"], c["answer"]) for k, c in original["cards"].items()}
    # creation times both ways: the note id is the note's creation time in ms
    assert {c["nid"] for c in judged["cards"].values()} == {c["nid"] for c in original["cards"].values()}
    # and trainer reads its own export back
    again = open_collection(tmp_path / "again.sqlite3", install_bundled=False)
    try:
        assert len(again.import_file(out).added) == 8
    finally:
        again.close()


def test_imported_review_rows_keep_the_previous_interval() -> None:
    """A review after a 30-day interval stays mature (the interval before is kept)."""
    from trainer.formats.anki_sched import AnkiReview, review_records

    day = 86_400_000
    rows = [
        AnkiReview(1_700_000_000_000, 3, -600, 5000, 0),
        AnkiReview(1_700_000_000_000 + 600_000, 3, 30, 4000, 0, -600),
        AnkiReview(1_700_000_000_000 + 30 * day, 3, 70, 3000, 1, 30),
    ]
    records = review_records(rows)
    last = records[-1]
    assert last.due_before is not None and last.last_review_before is not None
    assert last.due_before - last.last_review_before == timedelta(days=30)
    assert last.last_review_before == records[1].reviewed_at
    assert records[0].due_before is None


KINDS = """
[deck]
id = "k"
name = "Kinds"
description = "Every kind of card"

[[cards]]
id = "typed-note"
kind = "typed"
front = "Capital of France?"
answers = ["Paris", "paris"]
note = "On the Seine"

[[cards]]
id = "choice-note"
kind = "choice"
front = "Largest planet?"
answer = "Jupiter"
distractors = ["Mars", "Venus"]
note = "A gas giant"

[[cards]]
id = "basic-note"
front = "H2O"
back = "Water"
note = "Two hydrogens"

[[cards]]
id = "cloze-note"
kind = "cloze"
text = "{{c1::Mitochondria}} make {{c2::ATP::molecule}}"
note = "Cell biology"
"""


def test_every_kind_with_its_note(col: Collection, tmp_path: Path) -> None:
    """Typed, choice, basic and cloze cards with a note: Anki shows the note after the answer."""
    deck = tmp_path / "kinds.toml"
    deck.write_text(KINDS, encoding="utf-8")
    col.load([deck])
    out = tmp_path / "kinds.apkg"
    report = col.export_file(out)
    judged = judge_package(out, tmp_path / "judge")
    assert judged["before_check"] == judged["after_check"] == report.cards == 5
    assert_shown_alike(col, judged)
