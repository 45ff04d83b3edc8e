"""Compound sentences, names given in passing, the past, places of processes, French actions."""

from __future__ import annotations

import pytest

from trainer.core.build import SourceDoc, build_drafts


def drafts(text: str, name: str = "prose.txt") -> list[tuple[str, ...]]:
    result = build_drafts([SourceDoc(name, text)])
    out: list[tuple[str, ...]] = []
    for card in result.cards:
        if card.kind == "basic":
            out.append((str(card.fields["front"]), str(card.fields["back"])))
        elif card.kind == "cloze":
            out.append((str(card.fields["text"]),))
    return out


@pytest.mark.parametrize(
    ("text", "card"),
    [
        # a semicolon joins two facts; the pronoun of the second is its subject
        (
            "The Senate was a council of about 300 former magistrates; it advised the consuls.",
            ("What was the Senate?", "A council of about 300 former magistrates."),
        ),
        (
            "Glands are found in the skin and the gut; they release hormones into the blood.",
            ("What do glands release?", "Hormones into the blood."),
        ),
        # "while" contrasts two facts
        (
            "The patricians were the old noble families, while the plebeians were the ordinary citizens.",
            ("What were the plebeians?", "The ordinary citizens."),
        ),
        # ", and <subject> <verb>" starts a second clause
        (
            "The acid kills most bacteria in food, and pepsin begins the digestion of proteins.",
            ("What does the acid do?", "Kills most bacteria in food."),
        ),
        # where a process happens
        (
            "Most digestion takes place in the small intestine.",
            ("Where does most digestion take place?", "In the small intestine."),
        ),
        ("T cells mature in the thymus.", ("Where do T cells mature?", "In the thymus.")),
        (
            "La photosynthèse se déroule dans les chloroplastes des feuilles.",
            ("Où se déroule la photosynthèse ?", "Dans les chloroplastes des feuilles."),
        ),
        # French: what a thing does, asked with its own verb
        (
            "La sève élaborée transporte les sucres des feuilles vers le reste de la plante.",
            ("Que transporte la sève élaborée ?", "Les sucres des feuilles vers le reste de la plante."),
        ),
        (
            "Les chloroplastes contiennent un pigment vert qui absorbe la lumière.",
            ("Que contiennent les chloroplastes ?", "Un pigment vert qui absorbe la lumière."),
        ),
        (
            "La plante produit du glucose et rejette du dioxygène dans l'air.",
            ("Que fait la plante ?", "Produit du glucose et rejette du dioxygène dans l'air."),
        ),
        # a name given in passing
        (
            "The small intestine is lined with projections called villi, which increase its area.",
            ("The small intestine is lined with projections called {{c1::villi}}, which increase its area.",),
        ),
        # "Its <noun>" is the previous subject's; "of" does not hide the head noun's number
        (
            "The stomach is a J-shaped bag that stores food. Its walls release gastric juice.",
            ("What do the walls of the stomach release?", "Gastric juice."),
        ),
        # a participle aside does not hide the main verb
        (
            "Bile, made by the liver and stored in the gall bladder, breaks fats into small droplets.",
            ("What does bile do?", "Breaks fats into small droplets."),
        ),
        # a value stated with = or ≈, and a scale word before the unit
        (
            "# pH\n\n- Pure water = 7 (neutral)\n- Blood pH ≈ 7.4, kept in range by buffers\n",
            ("Blood pH ≈ {{c1::7.4}}, kept in range by buffers.",),
        ),
        (
            "The Moon lies about 384 thousand km from the Earth.",
            ("The Moon lies about {{c1::384 thousand km}} from the Earth.",),
        ),
        # what a thing is turned into
        (
            "Excess glucose is converted into glycogen for storage.",
            ("What is excess glucose converted into?", "Glycogen for storage."),
        ),
        (
            "Le glucose est ensuite transformé en amidon, qui sert de réserve.",
            ("Que devient le glucose ?", "Transformé en amidon, qui sert de réserve."),
        ),
        # years before the common era
        (
            "Julius Caesar crossed the Rubicon in 49 BC with one legion.",
            ("Julius Caesar crossed the Rubicon in {{c1::49 BC}} with one legion.",),
        ),
    ],
)
def test_general_sentence_patterns_give_a_self_contained_card(text: str, card: tuple[str, ...]) -> None:
    assert card in drafts(text)


@pytest.mark.parametrize(
    "text",
    [
        "Usually the dough was under-proofed before baking in the oven.",  # narration, not a definition
        "Once it reaches the surface it is called lava by geologists.",  # the pronoun has no referent
        "Neuropathic pain, also called neuralgia, follows many nerve injuries.",  # an alias: other rules
        "While swimming, the fish keeps its fins close to the body and saves energy.",
    ],
)
def test_what_is_not_a_fact_of_its_own_gives_no_such_card(text: str) -> None:
    for card in drafts(text):
        assert "{{c1::" not in card[0] or "called" not in card[0]
        assert not card[0].startswith("What was")


def test_a_letter_ending_a_noun_ends_the_sentence_but_an_initial_does_not() -> None:
    text = (
        "The large intestine is home to bacteria that produce vitamin K. Undigested waste is stored"
        " in the rectum. The theory was put forward by J. Smith in a short paper."
    )
    backs = [card[-1] for card in drafts(text)]
    assert "Home to bacteria that produce vitamin K." in backs
    assert not any("J." in b and not b.startswith("J.") and "Smith" not in b for b in backs)
