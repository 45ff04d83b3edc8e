"""Glossaries, FAQs and Markdown in the layouts people really write them in."""

from __future__ import annotations

import pytest

from trainer.core.build import BuildInputError, SourceDoc, build_drafts


def cards(text: str, name: str = "doc.md") -> list[dict[str, object]]:
    return [dict(c.fields) for c in build_drafts([SourceDoc(name, text)]).cards]


@pytest.mark.parametrize(
    "line",
    [
        "Scarcity - the problem that wants are unlimited while resources are limited.",
        "Scarcity – the problem that wants are unlimited while resources are limited.",
        "Scarcity — the problem that wants are unlimited while resources are limited.",
        "**Scarcity**: the problem that wants are unlimited while resources are limited.",
        "Scarcity: the problem that wants are unlimited while resources are limited.",
        "- **Scarcity** – the problem that wants are unlimited while resources are limited",
    ],
)
def test_glossary_line_layouts(line: str) -> None:
    text = f"# Glossary\n\n{line}\n\nInflation - a sustained rise in the general price level.\n"
    assert cards(text)[0] == {
        "front": "What is scarcity?",
        "back": "The problem that wants are unlimited while resources are limited.",
    }


def test_glossary_alias_in_parentheses_and_lines_without_full_stops() -> None:
    text = (
        "Glossary\n\n"
        "Gross domestic product (GDP): total value of final goods and services in a year\n"
        "Comparative advantage (Ricardo): producing at a lower opportunity cost\n"
        "Lysosomes - vesicles full of digestive enzymes\n"
    )
    fronts = [c.get("front") for c in cards(text, "g.txt")]
    assert "What is gross domestic product (GDP)?" in fronts
    assert "What is comparative advantage?" in fronts
    assert "What are lysosomes?" in fronts


def test_remark_labels_and_formulas_are_not_terms() -> None:
    text = "# Notes\n\nTip: revise this chapter before the exam.\n\nFick's law: $J = -D dC/dx$\n"
    assert cards(text) == []


FAQS = {
    "numbered": "1. Who can join?\nAnyone who lives in the city can join.\n\n"
    "2. How long is the loan?\nBooks are lent for three weeks.\n\nYou can renew twice.\n",
    "bold": "**Who can join?**\nAnyone who lives in the city can join.\n\n"
    "**How long is the loan?**\nBooks are lent for three weeks.\n\nYou can renew twice.\n",
    "q-a": "Q. Who can join?\nA. Anyone who lives in the city can join.\n\n"
    "Q. How long is the loan?\nA. Books are lent for three weeks.\nYou can renew twice.\n",
    "headings": "# FAQ\n\n## Who can join?\n\nAnyone who lives in the city can join.\n\n"
    "## How long is the loan?\n\nBooks are lent for three weeks.\n\nYou can renew twice.\n",
}


@pytest.mark.parametrize("layout", sorted(FAQS))
def test_faq_layouts_give_every_question_with_its_whole_answer(layout: str) -> None:
    got = [c for c in cards(FAQS[layout], "faq.md" if layout in ("bold", "headings") else "faq.txt")]
    assert got == [
        {"front": "Who can join?", "back": "Anyone who lives in the city can join."},
        {"front": "How long is the loan?", "back": "Books are lent for three weeks. You can renew twice."},
    ]


def test_markdown_leftovers_make_no_cards() -> None:
    text = (
        "# Cells\n\n![diagram](cell.png){width=50%}\n\n"
        "!!! note\n    Osmosis is the diffusion of water across a membrane.\n\n"
        "Some code:\n\n    rate = 5 mm per day\n\n"
        "$$\nx = 3 mm per day\n$$\n\n"
        "| | A | B |\n|:-:|:-:|:-:|\n| Size | 1 mm | 2 mm |\n| Speed | fast | slow |\n| Cost | low | high |\n"
    )
    result = build_drafts([SourceDoc("cells.md", text)])
    texts = [str(c.fields) for c in result.cards]
    assert not [t for t in texts if "width" in t or "note" in t.lower() or "per day" in t], texts
    assert [c.fields.get("front") for c in result.cards] == ["What is osmosis?"]
    assert len(result.compares) == 1 and result.compares[0].items == ["Size", "Speed", "Cost"]


def test_an_uncovered_language_is_named() -> None:
    text = (
        "Die Fotosynthese ist der Vorgang, bei dem Pflanzen aus Licht, Wasser und Kohlenstoffdioxid"
        " Traubenzucker und Sauerstoff herstellen. Sie findet in den Chloroplasten statt.\n"
    )
    with pytest.raises(BuildInputError, match=r"blatt\.txt: the document looks German \(de\)"):
        build_drafts([SourceDoc("blatt.txt", text)])
    assert build_drafts([SourceDoc("blatt.txt", text)], lang="en").language == "en"


def test_a_note_cloze_gets_its_section_heading() -> None:
    text = "# History\n\n## Early railways\n\n- Opened around 1830 between two northern cities\n"
    result = build_drafts([SourceDoc("notes.md", text)])
    assert [c.fields for c in result.cards] == [
        {"text": "Early railways: Opened around {{c1::1830}} between two northern cities."}
    ]


def test_a_faq_answer_still_gives_the_new_terms_it_defines_but_not_the_asked_one() -> None:
    text = (
        "What is a sourdough starter?\n"
        "A starter is a mixture of flour and water colonised by wild yeasts.\n\n"
        "What is the usual treatment?\n"
        "Radiofrequency ablation is a procedure that heats the nerve with a needle."
        " This procedure is also called rhizotomy.\n"
    )
    fronts = [c["front"] for c in cards(text, "faq.txt")]
    assert fronts == [
        "What is a sourdough starter?",
        "What is the usual treatment?",
        "What is radiofrequency ablation?",
        "What is another name for radiofrequency ablation?",
    ]
