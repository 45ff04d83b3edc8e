"""Textbook prose: names, places, dependencies, reasons, actions; pronouns resolved, not dropped."""

from __future__ import annotations

import pytest

from trainer.core.build import SourceDoc, build_drafts


def fronts_backs(text: str, name: str = "prose.txt") -> list[tuple[str, str]]:
    result = build_drafts([SourceDoc(name, text)])
    return [
        (str(c.fields.get("front")), str(c.fields.get("back"))) for c in result.cards if c.kind == "basic"
    ]


@pytest.mark.parametrize(
    ("sentence", "card"),
    [
        ("The thin outer layer of the Earth is known as the crust.",
         ("What is the thin outer layer of the Earth called?", "The crust.")),
        ("Red blood cells are found in the bone marrow and the blood.",
         ("Where are red blood cells found?", "In the bone marrow and the blood.")),
        ("The boiling point of water depends on the air pressure above it.",
         ("What does the boiling point of water depend on?", "The air pressure above it.")),
        ("Desert plants have thick waxy leaves because they must limit water loss.",
         ("Why do desert plants have thick waxy leaves?", "Because they must limit water loss.")),
        ("The liver stores glycogen and releases glucose between meals.",
         ("What does the liver do?", "Stores glycogen and releases glucose between meals.")),
        ("Birds have hollow bones that keep their skeleton light.",
         ("What do birds have?", "Hollow bones that keep their skeleton light.")),
        ("Les globules rouges se trouvent dans le sang et la moelle osseuse.",
         ("Où se trouvent les globules rouges ?", "Dans le sang et la moelle osseuse.")),
    ],
)  # fmt: skip
def test_prose_rules(sentence: str, card: tuple[str, str]) -> None:
    assert fronts_backs(sentence + "\n") == [card]


def test_a_demonstrative_name_quotes_the_sentence_it_names() -> None:
    text = "Water in the leaves escapes into the air as vapour. This process is called transpiration.\n"
    assert fronts_backs(text) == [
        ("Water in the leaves escapes into the air as vapour. What is this process called?", "Transpiration.")
    ]
    fr = (
        "L'eau des océans passe à l'état de vapeur sous l'effet de la chaleur."
        " Ce phénomène est appelé évaporation.\n"
    )
    assert fronts_backs(fr) == [
        (
            "L'eau des océans passe à l'état de vapeur sous l'effet de la chaleur."
            " Comment appelle-t-on ce phénomène ?",
            "Évaporation.",
        )
    ]


def test_they_and_such_are_resolved_against_the_previous_subject() -> None:
    text = (
        "Composite volcanoes are built from layers of ash and lava.\n"
        "They produce the most violent eruptions.\n"
        "A lahar is a mudflow of volcanic debris and water.\n"
        "Such mudflows can bury towns far from the volcano.\n"
    )
    got = fronts_backs(text)
    assert ("What do composite volcanoes produce?", "The most violent eruptions.") in got
    result = build_drafts([SourceDoc("p.txt", text)])
    assert not [s for s in result.skipped if s.reason.startswith("vague: starts with 'they'")]


def test_a_pronoun_that_does_not_agree_stays_unresolved() -> None:
    text = "The liver stores glycogen between meals.\nThey also grow back after injury.\n"
    result = build_drafts([SourceDoc("p.txt", text)])
    assert [s.reason for s in result.skipped] == ["vague: starts with 'they' (refers to earlier text)"]


def test_quantified_subjects_are_not_references_nor_definitions() -> None:
    assert fronts_backs("Most volcanoes are found along the edges of tectonic plates.\n") == [
        ("Where are most volcanoes found?", "Along the edges of tectonic plates.")
    ]
    assert fronts_backs("All mammals are animals with hair and mammary glands.\n") == []


def test_single_capital_letters_keep_their_case_and_subjects_with_pronouns_give_nothing() -> None:
    assert fronts_backs("B cells make antibodies against a single antigen.\n") == [
        ("What do B cells do?", "Make antibodies against a single antigen.")
    ]
    text = "Phagocytes engulf microbes.\n\nThe most common of them are called neutrophils.\n"
    assert not [f for f, _ in fronts_backs(text) if "them" in f]


def test_a_comparison_is_not_a_definition_and_a_verb_definition_asks_what_it_does() -> None:
    assert fronts_backs("Heat is the bigger enemy of a battery than age.\n") == []
    text = "# Cell\n\n- Nucleus: holds the DNA and controls gene expression\n- Ribosomes - build proteins\n"
    assert fronts_backs(text, "cell.md") == [
        ("What does the nucleus do?", "Holds the DNA and controls gene expression."),
        ("What do ribosomes do?", "Build proteins."),
    ]


def test_a_description_before_a_colon_names_the_thing_after_it() -> None:
    text = "Water moves between the oceans, the air and the land: this cycle is called the water cycle.\n"
    assert fronts_backs(text) == [
        (
            "Water moves between the oceans, the air and the land. What is this cycle called?",
            "The water cycle.",
        )
    ]
