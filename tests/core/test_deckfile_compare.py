"""Compare-set expansion: the give-away rule, two-item sets and the author's directions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.core.compare import content_words, fold, gives_away, stem
from trainer.core.deckfile import DeckFileError, parse_deck_text

HEAD = """
[deck]
id = "t"
name = "T"
"""


def deck(compare: str) -> dict[str, str]:
    """{card id: front} of the cards a one-set deck generates."""
    spec = parse_deck_text(HEAD + compare, "t.toml")
    return {c.external_id: c.content.front for c in spec.cards}


def whiches(compare: str) -> set[str]:
    return {i for i in deck(compare) if i.endswith("/which")}


def errors_of(compare: str) -> list[str]:
    with pytest.raises(DeckFileError) as info:
        parse_deck_text(HEAD + compare, "bad.toml")
    return [str(e) for e in info.value.errors]


DISEASES = """
[[compare]]
id = "d"
title = "Diseases"
items = ["ALS", "Spinal muscular atrophy", "Poliomyelitis"]
[compare.facets]
"Cause" = ["Mostly sporadic", "SMN1 gene", "Poliovirus infection"]
"Sensory loss" = ["No", "No", "No"]
"""


def test_fold_and_stems() -> None:
    assert fold("Dénervation RÉNALE") == "denervation renale"
    assert stem("nerves") == stem("nerve") == "nerv"
    assert stem("injuries") == "injury"
    assert stem("class") == "class"
    assert content_words("The nerves of the disc") == {"nerv", "disc"}


@pytest.mark.parametrize(
    ("item", "value"),
    [
        ("Poliomyelitis", "Poliovirus infection"),  # shared 5-letter beginning
        ("Disc denervation", "Discogenic back pain"),  # a short word beginning a longer one
        ("Renal denervation", "Renal sympathetic nerves"),  # the same word
        ("Botulinum toxin injection", "Toxin injected into muscle"),  # case and inflection
        ("Dénervation rénale", "nerfs RENAUX de la denervation"),  # accents
        ("Sensory", "Sensory nerve conduction"),
        ("Grade 2", "Like grade 2 but worse"),
    ],
)
def test_give_aways_are_caught(item: str, value: str) -> None:
    assert gives_away(item, value)


@pytest.mark.parametrize(
    ("item", "value"),
    [
        ("Renal denervation", "Resistant hypertension"),
        ("Neurapraxia", "Myelin at one spot; axon intact"),
        ("Grade 1", "Myelin only (conduction block)"),
        ("ALS", "Upper and lower motor neurons"),
        ("Needle EMG", "Fibrillation potentials"),
        ("Motor", "Movement and strength"),  # a meaning, not a word: the author's directions handle it
    ],
)
def test_fair_questions_are_kept(item: str, value: str) -> None:
    assert not gives_away(item, value)


def test_no_which_card_whose_value_names_its_item() -> None:
    ids = whiches(DISEASES)
    assert "t/d/als/cause/which" in ids
    assert "t/d/spinal-muscular-atrophy/cause/which" in ids
    assert "t/d/poliomyelitis/cause/which" not in ids  # "Poliovirus" gives it away
    assert not any("/sensory-loss/" in i for i in ids)  # identical values: no which card
    assert len(deck(DISEASES)) == 6 + 2


def test_two_item_set_gives_only_what_cards_by_default() -> None:
    text = """
[[compare]]
id = "fx"
title = "Fibrillation vs fasciculation"
items = ["Fibrillation", "Fasciculation"]
[compare.facets]
"Visible" = ["No", "Yes"]
"""
    assert set(deck(text)) == {"t/fx/fibrillation/visible/what", "t/fx/fasciculation/visible/what"}


def test_two_item_set_gives_which_cards_when_asked() -> None:
    text = """
[[compare]]
id = "fx"
title = "F"
items = ["Fibrillation", "Fasciculation"]
[compare.facets]
"Visible" = ["No", "Yes"]
"Size" = ["One fibre", "Whole motor unit"]
[compare.directions]
"Visible" = "both"
"""
    assert whiches(text) == {"t/fx/fibrillation/visible/which", "t/fx/fasciculation/visible/which"}


def test_directions_per_facet_and_for_the_whole_set() -> None:
    per_facet = DISEASES + '[compare.directions]\n"Cause" = "what"\n'
    assert whiches(per_facet) == set()
    assert len(deck(per_facet)) == 6
    only_which = DISEASES + '[compare.directions]\n"Cause" = "which"\n'
    assert set(deck(only_which)) == {
        "t/d/als/cause/which",
        "t/d/spinal-muscular-atrophy/cause/which",
        "t/d/als/sensory-loss/what",
        "t/d/spinal-muscular-atrophy/sensory-loss/what",
        "t/d/poliomyelitis/sensory-loss/what",
    }
    whole = DISEASES.replace('title = "Diseases"', 'title = "Diseases"\ndirections = "what"')
    assert whiches(whole) == set() and len(deck(whole)) == 6


def test_give_away_rule_holds_even_when_which_cards_are_asked_for() -> None:
    asked = DISEASES + '[compare.directions]\n"Cause" = "which"\n'
    assert "t/d/poliomyelitis/cause/which" not in deck(asked)


def test_ids_stay_stable_when_other_cards_are_dropped() -> None:
    """A which card's id depends only on its item and facet: the rule never renumbers."""
    before = deck(DISEASES)
    after = deck(DISEASES + '[compare.directions]\n"Sensory loss" = "which"\n')
    assert {i: f for i, f in before.items() if "/cause/" in i} == {
        i: f for i, f in after.items() if "/cause/" in i
    }


def test_bad_directions_are_reported_with_their_line() -> None:
    unknown = DISEASES + '[compare.directions]\n"Prognosis" = "what"\n'
    assert errors_of(unknown) == [
        "bad.toml:14: directions name facet 'Prognosis', which the set does not have"
    ]
    wrong = DISEASES + '[compare.directions]\n"Cause" = "sideways"\n'
    assert errors_of(wrong) == [
        "bad.toml:14: direction of facet 'Cause' must be one of 'both', 'what', 'which'"
    ]
    whole = DISEASES.replace('title = "Diseases"', 'title = "Diseases"\ndirections = "all"')
    assert errors_of(whole) == ["bad.toml:9: directions 'all' must be one of 'both', 'what', 'which'"]
    typed = DISEASES.replace('title = "Diseases"', 'title = "Diseases"\ndirections = 3')
    assert errors_of(typed) == ["bad.toml:9: 'directions' must be a string or a table"]


words = st.text(alphabet="abcdeéfghilmnoprstuv", min_size=2, max_size=9)


@settings(max_examples=150, deadline=None)
@given(
    items=st.lists(words, min_size=3, max_size=5, unique_by=fold),
    extra=st.lists(words, min_size=5, max_size=5),
)
def test_a_value_containing_its_item_never_gives_a_which_card(items: list[str], extra: list[str]) -> None:
    """Property: whatever the words, a value that repeats its item (any case) is never asked."""
    values = [f"{extra[i]} {item.upper()}" for i, item in enumerate(items)]
    quoted = ", ".join(f'"{v}"' for v in items)
    cells = ", ".join(f'"{v}"' for v in values)
    text = f'[[compare]]\nid = "p"\ntitle = "P"\nitems = [{quoted}]\n[compare.facets]\n"F" = [{cells}]\n'
    assert whiches(text) == set()
