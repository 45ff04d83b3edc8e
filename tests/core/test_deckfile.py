"""The native deck format: expansion of every kind, and every error with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.core.cards import CardKind, render
from trainer.core.deckfile import DeckFileError, parse_deck_text, parse_paths

HEADER = """\
[deck]
id = "t.deck"
name = "Top::Sub"
[[deck.sources]]
id = "doc"
title = "A document"
"""

GOOD = (
    HEADER
    + """
[[cards]]
id = "basic"
front = "Q?"
back = "A."
tags = ["x", "y"]
source = "doc"
section = "Intro"

[[cards]]
id = "rev"
kind = "reversed"
front = "Term"
back = "Meaning"

[[cards]]
id = "cz"
kind = "cloze"
text = "A {{c1::big}} drop in {{c2::CMAP::amplitude}}; {{c1::again}}."

[[cards]]
id = "ty"
kind = "typed"
front = "Abbreviation of electromyography?"
answers = ["EMG", "electromyography"]

[[cards]]
id = "ch"
kind = "choice"
front = "Which is worst?"
answer = "Neurotmesis"
distractors = ["Neurapraxia", "Axonotmesis"]

[[compare]]
id = "seddon"
title = "Seddon"
items = ["Neurapraxia", "Axonotmesis", "Neurotmesis"]
[compare.facets]
"Damaged" = ["Myelin", "Axon", "Whole nerve"]
"Surgery" = ["No", "No", "Yes"]
"""
)


def test_every_kind_expands() -> None:
    deck = parse_deck_text(GOOD, "good.toml")
    assert deck.id == "t.deck" and deck.name == "Top::Sub"
    ids = [c.external_id for c in deck.cards]
    assert ids[:6] == [
        "t.deck/basic",
        "t.deck/rev",
        "t.deck/rev#rev",
        "t.deck/cz#c1",
        "t.deck/cz#c2",
        "t.deck/ty",
    ]
    by_id = {c.external_id: c for c in deck.cards}
    assert by_id["t.deck/basic"].tags == ("x", "y")
    assert by_id["t.deck/basic"].source == "A document (Intro)"
    assert render(by_id["t.deck/rev#rev"].content).question == "Meaning"
    assert by_id["t.deck/rev"].group == by_id["t.deck/rev#rev"].group == "t.deck/rev"
    c1 = render(by_id["t.deck/cz#c1"].content)
    assert c1.question == "A [...] drop in CMAP; [...]."
    assert c1.answer == "A big drop in CMAP; again."
    assert render(by_id["t.deck/cz#c2"].content).question == "A big drop in [amplitude]; again."
    assert by_id["t.deck/ty"].content.answers == ("EMG", "electromyography")
    assert by_id["t.deck/ch"].content.kind is CardKind.CHOICE


def test_compare_set_expansion() -> None:
    cards = [c for c in parse_deck_text(GOOD, "good.toml").cards if "/seddon/" in c.external_id]
    # 3 items x 2 facets "what" cards, plus "which" cards for values unique to one item that
    # do not give their item away: Damaged: "Myelin" and "Whole nerve" ("Axon" begins
    # "Axonotmesis", so it is not asked); Surgery: only "Yes" is unique.
    assert len(cards) == 6 + 2 + 1
    which = [c for c in cards if c.external_id.endswith("/which")]
    assert {c.content.back for c in which} == {"Neurapraxia", "Neurotmesis"}
    surgery = next(c for c in which if "surgery" in c.external_id)
    assert surgery.content.back == "Neurotmesis"
    assert set(surgery.content.distractors) == {"Neurapraxia", "Axonotmesis"}
    assert {c.group for c in cards} == {"t.deck/seddon"}
    assert all(c.content.group_title == "Seddon" for c in cards)


def errors_of(text: str) -> list[str]:
    with pytest.raises(DeckFileError) as info:
        parse_deck_text(text, "bad.toml")
    return [str(e) for e in info.value.errors]


def test_bad_toml_names_the_line() -> None:
    found = errors_of(HEADER + '\n[[cards]]\nid = "a"\nfront = "unterminated\nback = "x"\n')
    assert len(found) == 1
    assert found[0].startswith("bad.toml:10: invalid TOML")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[[cards]]\nid = "a"\nkind = "flip"\nfront = "q"\nback = "a"\n', "bad.toml:10: unknown kind 'flip'"),
        ('[[cards]]\nid = "a"\nfront = "q"\nback = "  "\n', "bad.toml:11: 'back' is empty"),
        ('[[cards]]\nid = "a"\nkind = "cloze"\ntext = "no deletion"\n', "bad.toml:11: cloze text has no"),
        (
            '[[cards]]\nid = "a"\nfront = "q"\nback = "a"\nsource = "nope"\n',
            "bad.toml:12: unknown source 'nope'",
        ),
        ('[[cards]]\nid = "Bad Id"\nfront = "q"\nback = "a"\n', "bad.toml:9: id 'Bad Id' must match"),
        ('[[cards]]\nid = "a"\nkind = "typed"\nfront = "q"\nanswers = []\n', "bad.toml:12: typed card needs"),
        (
            '[[cards]]\nid = "a"\nkind = "choice"\nfront = "q"\nanswer = "x"\ndistractors = ["x"]\n',
            "bad.toml:13: a distractor equals the answer",
        ),
        (
            '[[compare]]\nid = "s"\ntitle = "S"\nitems = ["A", "B"]\n[compare.facets]\n"F" = ["1"]\n',
            "bad.toml:13: facet 'F' has 1 values for 2 items (ragged compare table)",
        ),
        (
            '[[cards]]\nid = "a"\nfront = "q"\nback = "a"\ncolour = "red"\n',
            "bad.toml:12: unknown key 'colour'",
        ),
    ],
)
def test_each_mistake_is_reported_with_its_line(body: str, expected: str) -> None:
    found = errors_of(HEADER + "\n" + body)
    assert any(e.startswith(expected) for e in found), found


def test_all_errors_at_once_including_duplicates() -> None:
    body = (
        '\n[[cards]]\nid = "a"\nfront = "q"\nback = "a"\n'
        '\n[[cards]]\nid = "a"\nfront = "q2"\nback = ""\n'
        '\n[[cards]]\nid = "b"\nkind = "cloze"\ntext = "plain"\n'
    )
    found = errors_of(HEADER + body)
    assert "bad.toml:14: duplicate id 'a' (first used on line 9)" in found
    assert "bad.toml:16: 'back' is empty" in found
    assert any(e.startswith("bad.toml:21: cloze text has no") for e in found)


def test_missing_deck_table_and_empty_deck() -> None:
    assert (
        errors_of('[[cards]]\nid = "a"\nfront = "q"\nback = "a"\n')[0] == "bad.toml:1: missing [deck] table"
    )
    assert errors_of(HEADER) == ["bad.toml:1: the deck has no cards"]


def test_control_characters_are_stripped() -> None:
    text = HEADER + '\n[[cards]]\nid = "a"\nfront = "q\\u001b[31m red"\nback = "\\u202eevil"\n'
    card = parse_deck_text(text, "x.toml").cards[0]
    assert card.content.front == "q[31m red"
    assert card.content.back == "evil"


def test_parse_paths_collects_errors_across_files(tmp_path: Path) -> None:
    (tmp_path / "one.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "two.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "three.toml").write_bytes(b"\xff\xfe not utf8")
    with pytest.raises(DeckFileError) as info:
        parse_paths([tmp_path])
    messages = [str(e) for e in info.value.errors]
    assert any("three.toml:1: not UTF-8" in m for m in messages)
    assert any("deck id 't.deck' is also used by" in m for m in messages)


def test_line_numbers_count_only_newlines(tmp_path: Path) -> None:
    # \x85 (NEL) and \u2028 are line breaks to str.splitlines() but not to TOML (found by hypothesis).
    text = (
        '[deck]\nid = "d\x85e"\nname = "N\u2028M"\n\n'
        '[[cards]]\nid = "a"\nfront = "Q"\n\n[[cards]]\nid = "b"\n'
    )
    with pytest.raises(DeckFileError) as caught:
        parse_deck_text(text, "x.toml")
    assert [e.line for e in caught.value.errors] == [5, 9, 9]  # with splitlines(): 7, 11, 11


def test_an_unknown_key_in_a_source_is_an_error() -> None:
    text = (
        '[deck]\nid = "d"\nname = "D"\n\n[[deck.sources]]\nid = "s"\ntitle = "S"\nfiel = "x.txt"\n\n'
        '[[cards]]\nid = "c"\nfront = "Q"\nback = "A"\n'
    )
    with pytest.raises(DeckFileError) as raised:
        parse_deck_text(text, "d.toml")
    assert "d.toml:8: unknown key 'fiel' in [[deck.sources]]" in str(raised.value)
