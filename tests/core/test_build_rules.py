"""Exact draft cards from small English and French documents, one rule at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.core.build import BuildResult, SourceDoc, build_drafts, read_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "build"


def build(name: str, lang: str = "auto") -> BuildResult:
    return build_drafts([read_document(FIXTURES / name)], lang=lang)


def basic(rule: str, front: str, back: str) -> tuple[str, str, dict[str, object]]:
    return ("basic", rule, {"front": front, "back": back})


def cloze(rule: str, text: str) -> tuple[str, str, dict[str, object]]:
    return ("cloze", rule, {"text": text})


def summary(result: BuildResult) -> list[tuple[str, str, dict[str, object]]]:
    return [(card.kind, card.rule, dict(card.fields)) for card in result.cards]


def test_english_document_gives_exactly_these_cards() -> None:
    result = build("nerve_en.md")
    assert result.language == "en"
    assert summary(result) == [
        basic(
            "definition",
            "What is nerve injury?",
            "Damage to a peripheral nerve from trauma, compression or disease.",
        ),
        cloze("number", "Regenerating axons grow at about {{c1::1 mm per day}} once the nerve is repaired."),
        basic("definition", "What is wallerian degeneration?", "The breakdown of the axon distal to a cut."),
        basic("definition", "What is another name for neuropathic pain?", "Neuralgia."),
        basic(
            "definition",
            "What is axonotmesis?",
            "Damage to the axon with the connective sheaths left intact.",
        ),
        basic(
            "definition",
            "What are fibrillations?",
            "Spontaneous contractions of single muscle fibres seen on EMG.",
        ),
        ("typed", "acronym", {"front": "What does EMG stand for?", "answers": ["Electromyography"]}),
        basic(
            "definition",
            "When does a compartment syndrome occur?",
            "When pressure builds up inside a closed muscle compartment.",
        ),
        cloze(
            "list",
            "There are three types of nerve injury: {{c1::neurapraxia}}, {{c2::axonotmesis}}"
            " and {{c3::neurotmesis}}.",
        ),
        basic("list", "What are the three types of nerve injury?", "Neurapraxia; axonotmesis; neurotmesis."),
        cloze(
            "list",
            "Common causes of entrapment include {{c1::repetitive strain}}, {{c2::pregnancy}},"
            " {{c3::diabetes}} and {{c4::hypothyroidism}}.",
        ),
        basic(
            "list",
            "Signs of denervation: name the 3 items listed.",
            "Muscle wasting; fasciculations; loss of reflexes.",
        ),
        cloze(
            "list",
            "Signs of denervation: {{c1::muscle wasting}}; {{c2::fasciculations}}; {{c3::loss of reflexes}}.",
        ),
        cloze("number", "Fibrillation potentials appear {{c1::two to three weeks}} after the injury."),
        cloze(
            "number", "About {{c1::a quarter}} of patients with severe injuries never regain full strength."
        ),
        basic(
            "qa",
            "How long does recovery take?",
            "Recovery from a crush injury usually takes several months. It depends on the"
            " distance to the muscle.",
        ),
    ]


def test_french_document_gives_exactly_these_cards_worded_in_french() -> None:
    result = build("nerve_fr.txt")
    assert result.language == "fr"
    assert summary(result) == [
        basic(
            "definition",
            "Qu'est-ce que la neurapraxie ?",
            "Une lésion légère de la gaine de myéline sans atteinte de l'axone.",
        ),
        basic(
            "definition",
            "Qu'est-ce que l'axonotmèse ?",
            "Une rupture de l'axone avec conservation des gaines.",
        ),
        basic("definition", "Qu'appelle-t-on neurotmèse ?", "Une section complète du nerf."),
        basic(
            "definition",
            "Comment appelle-t-on aussi la sclérose latérale amyotrophique ?",
            "Maladie de Charcot.",
        ),
        cloze(
            "list",
            "Les trois types de lésions nerveuses sont la {{c1::neurapraxie}},"
            " l'{{c2::axonotmèse}} et la {{c3::neurotmèse}}.",
        ),
        basic(
            "list",
            "Quels sont les trois types de lésions nerveuses ?",
            "La neurapraxie; l'axonotmèse; la neurotmèse.",
        ),
        cloze("number", "Les axones repoussent d'environ {{c1::1 mm par jour}} après la réparation."),
        cloze("number", "Les fibrillations apparaissent {{c1::deux à trois semaines}} après la lésion."),
        basic(
            "qa",
            "Combien de temps dure la récupération ?",
            "La récupération d'une lésion par écrasement dure en général plusieurs mois.",
        ),
        basic(
            "qa",
            "Qu'est-ce que l'électromyographie ?",
            "L'électromyographie (EMG) enregistre l'activité électrique du muscle.",
        ),
        ("typed", "acronym", {"front": "Que signifie le sigle EMG ?", "answers": ["Électromyographie"]}),
    ]


def test_compare_sets_from_labelled_bullets_and_from_a_table() -> None:
    result = build("nerve_en.md")
    seddon, table = result.compares
    assert seddon.title == "Seddon classification"
    assert seddon.items == ["Neurapraxia", "Axonotmesis", "Neurotmesis"]
    assert seddon.facets == {
        "Description": ["A local conduction block", "The axon is cut", "The nerve is divided"],
        "Damage": ["Myelin only", "Axon, sheaths intact", "Whole nerve trunk"],
        "Recovery": ["Within weeks", "Months", "Only after repair"],
    }
    assert seddon.section == "Peripheral nerve injury > Seddon classification > lines 29-31"
    assert table.title == "Recovery times"
    assert table.items == ["Neurapraxia", "Neurotmesis"]
    assert table.facets == {"Recovery": ["weeks", "never without repair"], "Surgery": ["no", "yes"]}


def test_ragged_or_unlabelled_structures_give_no_compare_set() -> None:
    text = (
        "# Kinds\n\n| Kind | Speed |\n| --- | --- |\n| A | fast |\n| B |\n\n## Grades\n\n"
        "- First: mild; pain: low\n- Second: severe; swelling: high\n"
    )
    result = build_drafts([SourceDoc("ragged.md", text)])
    assert result.compares == []
    reasons = {s.reason for s in result.skipped}
    assert "ragged table (rows and header differ in length)" in reasons


def test_every_card_cites_document_heading_path_and_line_span() -> None:
    result = build("nerve_en.md")
    assert [s.id for s in result.sources] == ["nerve-en"]
    assert result.sources[0].title == "Peripheral nerve injury"
    assert result.sources[0].file == "nerve_en.md"
    by_front = {c.fields.get("front"): c for c in result.cards}
    card = by_front["What is another name for neuropathic pain?"]
    assert card.source == "nerve-en"
    assert card.section == "Peripheral nerve injury > Definitions > line 10"
    assert card.lines == (10, 10)
    listed = by_front["Signs of denervation: name the 3 items listed."]
    assert listed.section == "Peripheral nerve injury > Classification > Signs of denervation > lines 23-25"
    assert all(0 < c.confidence <= 1 for c in result.cards)
    assert all(c.tags == ["draft", c.rule] for c in result.cards)


def test_faq_question_lines_become_cards_with_their_whole_answers() -> None:
    result = build("faq_en.txt")
    qa = [c for c in result.cards if c.rule == "qa"]
    assert [c.fields["front"] for c in qa] == [
        "What is a neuroma?",
        "How fast do axons regrow?",
        "Why do muscles waste after denervation?",
    ]
    # "Neuroma: ..." loses the term the question already names.
    assert qa[0].fields["back"] == "A disorganised mass of nerve fibres that forms at the end of a cut nerve."
    back = qa[1].fields["back"]
    assert isinstance(back, str)
    assert back.startswith("Axons regrow slowly, at roughly one millimetre a day in adults.")
    assert back.endswith("or after a long delay before surgery.")
    assert qa[1].note == qa[2].note == ""


def test_markup_is_stripped_and_code_blocks_ignored() -> None:
    result = build("markup.md")
    assert summary(result) == [
        basic("definition", "What is fibrillation?", "The spontaneous contraction of a single muscle fibre."),
        basic(
            "definition",
            "What is neuropathy?",
            "A disease of the peripheral nerves that causes numbness and pain.",
        ),
        cloze("number", "Axons (reportedly) grow about {{c1::2 mm per day}} in children."),
    ]
    assert result.cards[0].section == "Markup and noise > line 4"


def test_control_characters_are_stripped_from_card_text() -> None:
    text = "Myelin\x07 is the fatty\x1b sheath around many\u200b axons\u202e of the nervous system.\n"
    result = build_drafts([SourceDoc("ctl.txt", text)])
    (card,) = result.cards
    assert card.fields == {
        "front": "What is myelin?",
        "back": "The fatty sheath around many axons of the nervous system.",
    }


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("It was the best of times for everyone involved in the study.", "vague: starts with 'it'"),
        ("Some people say many things about this topic in general.", "no card pattern"),
        ("Traumatic injury is a frequent cause, often involving deep cuts.", "vague: 'a frequent cause'"),
        ("Timely repair is paramount.", "not a definition"),
        ("Denervation is also caused by chemicals such as botulinum toxin.", "not a definition"),
        ("The disease results in a loss of motor neurons.", "vague: 'the disease'"),
        ("Nerve injury is " + "very " * 80 + "bad.", "too long"),
    ],
)
def test_weak_sentences_are_skipped_with_a_reason(sentence: str, reason: str) -> None:
    result = build_drafts([SourceDoc("weak.txt", sentence + "\n")])
    assert result.cards == []
    (skip,) = result.skipped
    assert skip.reason.startswith(reason)
    assert skip.lines == (1, 1)
    assert skip.source == "weak"


def test_duplicates_and_near_duplicates_are_merged() -> None:
    text = (
        "Neurapraxia is a temporary block of conduction along a nerve.\n\n"
        "Neurapraxia is a temporary block of conduction along the nerve.\n\n"
        "What is neurapraxia?\nNeurapraxia is a temporary block of nerve conduction without axon damage.\n"
    )
    result = build_drafts([SourceDoc("dups.txt", text)])
    fronts = [c.fields.get("front") for c in result.cards]
    assert fronts == ["What is neurapraxia?"]
    assert result.cards[0].rule == "qa"
    duplicates = [s for s in result.skipped if s.reason.startswith("duplicate of ")]
    assert len(duplicates) == 2
    assert all(s.reason == f"duplicate of {result.cards[0].id}" for s in duplicates)


def test_language_detection_and_override() -> None:
    fr = "La myéline est une gaine isolante qui entoure les axones de nombreux neurones.\n"
    assert build_drafts([SourceDoc("a.txt", fr)]).cards[0].fields["front"] == "Qu'est-ce que la myéline ?"
    assert build_drafts([SourceDoc("a.txt", fr)], lang="fr").language == "fr"
    en = build_drafts(
        [SourceDoc("b.txt", "Myelin is a fatty sheath that insulates many axons.\n")], lang="en"
    )
    assert en.language == "en"
    with pytest.raises(ValueError, match="unsupported language"):
        build_drafts([SourceDoc("b.txt", "x")], lang="de")


def test_mixed_documents_word_each_in_its_own_language() -> None:
    docs = [
        SourceDoc("en.txt", "Myelin is a fatty sheath that insulates many axons of the body.\n"),
        SourceDoc("fr.txt", "La myéline est une gaine isolante qui entoure les axones des neurones.\n"),
    ]
    result = build_drafts(docs)
    assert [c.fields["front"] for c in result.cards] == ["What is myelin?", "Qu'est-ce que la myéline ?"]
    assert [s.id for s in result.sources] == ["en", "fr"]


def test_cards_differing_only_in_numbers_or_acronyms_are_not_merged() -> None:
    text = (
        "Electromyography (EMG) measures muscle activity.\n\n"
        "Electrocardiography (ECG) measures heart activity.\n\n"
        "Type 1 diabetes is a disease in which the pancreas makes no insulin at all.\n\n"
        "Type 2 diabetes is a disease in which the pancreas makes too little insulin.\n"
    )
    fronts = [c.fields["front"] for c in build_drafts([SourceDoc("near.txt", text)]).cards]
    assert fronts == [
        "What does EMG stand for?",
        "What does ECG stand for?",
        "What is type 1 diabetes?",
        "What is type 2 diabetes?",
    ]


def test_names_aliases_inverted_definitions_causes_and_resolved_references() -> None:
    assert summary(build("names_en.txt")) == [
        basic(
            "definition",
            "What is a neurilemmoma?",
            "A localised swelling of a nerve sheath, in which Schwann cells grow without control.",
        ),
        basic(
            "definition",
            "What is carpal tunnel release?",
            "A minor operation that frees the median nerve at the wrist.",
        ),
        # "This operation" refers to the term defined as "a minor operation" just before.
        basic("definition", "What is another name for carpal tunnel release?", "Median nerve decompression."),
        basic("definition", "What is sensory denervation?", "Loss of the nerve's sensory fibres."),
        basic("cause", "What can peripheral nerve injuries cause?", "Weakness or paralysis."),
        basic("cause", "What causes denervation atrophy?", "The loss of trophic support from the nerve."),
    ]


def test_enumerated_lists_become_clozes_unless_items_are_long() -> None:
    short = "Nerve repair goes through three phases: 1) degeneration, 2) regrowth, and 3) maturation.\n"
    long = (
        "Muscle passes through three stages: 1) immediate loss of voluntary function and rapid loss of"
        " mass, 2) increasing atrophy and loss of sarcomeric organization, and 3) muscle fiber"
        " degeneration and replacement of muscle by fibrous connective tissue and fat.\n"
    )
    assert summary(build_drafts([SourceDoc("short.txt", short)])) == [
        cloze(
            "list",
            "Nerve repair goes through three phases: 1) {{c1::degeneration}}, 2) {{c2::regrowth}},"
            " and 3) {{c3::maturation}}.",
        )
    ]
    result = build_drafts([SourceDoc("long.txt", long)])
    assert result.cards == []
    assert result.skipped[0].reason == "list items too long for a clear card"


def test_french_occurrence_cause_list_and_number_wording() -> None:
    text = (
        "La neuropathie diabétique survient lorsque la glycémie reste élevée pendant des années.\n"
        "Le syndrome du canal carpien est causé par une compression du nerf médian au poignet.\n"
        "Les lésions du nerf radial peuvent entraîner une main tombante.\n"
        "Les causes de la dénervation comprennent les traumatismes, le diabète, la SLA et la poliomyélite.\n"
        "Environ la moitié des patients récupèrent en trois mois.\n"
    )
    assert summary(build_drafts([SourceDoc("fr.txt", text)])) == [
        basic(
            "definition",
            "Dans quels cas survient la neuropathie diabétique ?",
            "Lorsque la glycémie reste élevée pendant des années.",
        ),
        basic(
            "cause",
            "Qu'est-ce qui cause le syndrome du canal carpien ?",
            "Une compression du nerf médian au poignet.",
        ),
        basic("cause", "Que peuvent entraîner les lésions du nerf radial ?", "Une main tombante."),
        cloze(
            "list",
            "Les causes de la dénervation comprennent les {{c1::traumatismes}}, le {{c2::diabète}},"
            " la {{c3::SLA}} et la {{c4::poliomyélite}}.",
        ),
        basic(
            "list",
            "Citez 4 causes de la dénervation.",
            "Les traumatismes; le diabète; la SLA; la poliomyélite.",
        ),
        cloze("number", "Environ {{c1::la moitié}} des patients récupèrent en {{c2::trois mois}}."),
    ]
