"""Fuzzing the deck-file parser: any text gives a DeckSpec or a DeckFileError, nothing else.

Three generators: arbitrary text; TOML-shaped documents built from deck-file keys with
random values of random types; and mutations (cut, duplicate, replace characters) of a
valid deck. Every error carries the file name and a line inside the file.
"""

from __future__ import annotations

from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.core.deckfile import DeckFileError, DeckSpec, parse_deck_text

FILENAME = "fuzz.toml"

VALID = """\
[deck]
id = "fuzz.deck"
name = "Fuzz::Deck"
description = "d"
language = "en"

[[deck.sources]]
id = "src"
title = "A source"

[[cards]]
id = "basic"
front = "Q?"
back = "A"
tags = ["t"]
source = "src"

[[cards]]
id = "cloze"
kind = "cloze"
text = "{{c1::one}} and {{c2::two::hint}}"

[[cards]]
id = "typed"
kind = "typed"
front = "Type?"
answers = ["yes", "y"]

[[cards]]
id = "choice"
kind = "choice"
front = "Pick"
answer = "a"
distractors = ["b", "c"]

[[compare]]
id = "set"
title = "Set"
items = ["X", "Y"]
[compare.facets]
"Colour" = ["red", "blue"]
"""

settings.register_profile("fuzz", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fuzz")


def parse(text: str) -> DeckSpec | None:
    """Parse; a DeckFileError is fine (checked), anything else fails the test."""
    try:
        return parse_deck_text(text, FILENAME)
    except DeckFileError as exc:
        assert exc.errors, "a DeckFileError must list at least one problem"
        lines = text.count("\n") + 2
        for error in exc.errors:
            rendered = str(error)
            assert rendered.startswith(FILENAME), rendered
            assert 0 <= error.line <= lines, (error.line, lines)
        return None


def test_the_seed_deck_is_valid() -> None:
    spec = parse(VALID)
    assert spec is not None
    assert len(spec.cards) >= 6


@given(st.text(max_size=400))
@settings(max_examples=300)
def test_arbitrary_text(text: str) -> None:
    parse(text)


scalars = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.text(max_size=10), max_size=4),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)
CARD_KEYS = ["id", "kind", "front", "back", "text", "tags", "source", "section", "note", "hint", "answers",
             "answer", "distractors"]  # fmt: skip
KINDS = st.sampled_from(["basic", "reversed", "cloze", "typed", "choice", "bogus", ""])


@st.composite
def deck_documents(draw: st.DrawFn) -> dict[str, Any]:
    deck = draw(
        st.dictionaries(st.sampled_from(["id", "name", "description", "language", "preset"]), scalars)
    )
    if draw(st.booleans()):
        deck["id"] = draw(st.sampled_from(["ok.id", "Bad Id", "", "a" * 300]))
    if draw(st.booleans()):
        deck["name"] = draw(st.sampled_from(["Deck", "A::B", "::", "", "x" * 600]))
    if draw(st.booleans()):
        deck["sources"] = draw(
            st.lists(st.dictionaries(st.sampled_from(["id", "title", "file", "note"]), scalars))
        )
    cards = []
    for _ in range(draw(st.integers(0, 4))):
        card = draw(st.dictionaries(st.sampled_from(CARD_KEYS), scalars))
        if draw(st.booleans()):
            card["kind"] = draw(KINDS)
        if draw(st.booleans()):
            card["text"] = draw(
                st.sampled_from(["{{c1::a}}", "{{c0::x}}", "{{c1::}}", "{{c99999999999::z}}", "no"])
            )
        cards.append(card)
    doc: dict[str, Any] = {}
    if draw(st.booleans()) or deck:
        doc["deck"] = deck
    if cards:
        doc["cards"] = cards
    if draw(st.booleans()):
        items = draw(st.lists(st.text(max_size=8), max_size=4))
        facets = draw(
            st.dictionaries(st.text(max_size=8), st.lists(st.text(max_size=8), max_size=5), max_size=3)
        )
        doc["compare"] = [{"id": draw(st.text(max_size=8)), "title": "T", "items": items, "facets": facets}]
    return doc


@given(deck_documents())
@settings(max_examples=300)
def test_deck_shaped_documents(doc: dict[str, Any]) -> None:
    parse(tomli_w.dumps(doc))


@given(st.data())
@settings(max_examples=300)
def test_mutations_of_a_valid_deck(data: st.DataObject) -> None:
    text = VALID
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 40)))
        action = data.draw(st.sampled_from(["cut", "dup", "replace", "insert"]))
        if action == "cut":
            text = text[:start] + text[end:]
        elif action == "dup":
            text = text[:end] + text[start:end] + text[end:]
        else:
            piece = data.draw(st.text(max_size=6, alphabet=st.characters(codec="utf-8")))
            text = text[:start] + piece + text[(end if action == "replace" else start) :]
    parse(text)
