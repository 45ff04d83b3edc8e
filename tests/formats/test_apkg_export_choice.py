"""Choice cards reach Anki with their options: Anki (the judge) shows every option on the
question side and the right one on the answer side, for every bundled choice card."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.anki_judge import anki_hints, anki_import, plain
from tests.formats.test_apkg_export_judged import exported
from trainer.collection import Collection, open_collection
from trainer.core.cards import CardKind
from trainer.paths import bundled_decks_dir


def test_every_bundled_choice_card_shows_its_options(col: Collection, tmp_path: Path) -> None:
    if not bundled_decks_dir().is_dir():
        pytest.skip("bundled decks not found")
    col.load_bundled()
    out = tmp_path / "all.apkg"
    report = col.export_file(out)
    ours = exported(col)
    choices = {key: r.content for key, r in ours.items() if r.content.kind is CardKind.CHOICE}
    assert len(choices) >= 60
    anki = anki_import(out, tmp_path / "anki.anki2")
    try:
        missing = []
        hints = 0
        for cid in anki.find_cards(""):
            card = anki.get_card(cid)
            key = f"{card.note().guid}/{card.ord}"
            content = choices.get(key)
            if content is None:
                continue
            question_html, hint = anki_hints(card.question())
            question, answer = plain(question_html), plain(card.answer().split('<hr id="answer">')[-1])
            options = (content.back, *content.distractors)
            if not all(plain(o) in question for o in options) or plain(content.back) not in answer:
                missing.append(key)
            hints += bool(content.hint) and bool(hint)
        assert missing == []
        assert hints == sum(bool(c.hint) for c in choices.values())
        before = anki.card_count()
        anki.fix_integrity()
        assert anki.card_count() == before == report.cards
    finally:
        anki.close()
    # and back: trainer reads its own export's choice cards as choice cards again
    again = open_collection(tmp_path / "again.sqlite3", install_bundled=False)
    try:
        again.import_file(out)
        back = {c.content.front: c.content for c in again.search("") if c.content.kind is CardKind.CHOICE}
    finally:
        again.close()
    for content in choices.values():
        returned = back.get(content.front)
        assert returned is not None, content.front
        assert (returned.back, set(returned.distractors), returned.hint, returned.note) == (
            content.back, set(content.distractors), content.hint, content.note
        ), content.front  # fmt: skip
