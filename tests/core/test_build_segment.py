"""Segmentation: headings, questions, paragraphs and sentences with their line spans."""

from __future__ import annotations

from trainer.core.build import SourceDoc, build_drafts
from trainer.core.build.segment import segment, split_sentences


def kinds(text: str) -> list[tuple[str, tuple[int, int], tuple[str, ...]]]:
    return [(b.kind, b.lines, b.path) for b in segment(text, "fallback").blocks]


def test_plain_text_headings_are_detected_between_paragraphs() -> None:
    text = (
        "Denervation is the loss of a nerve supply to a muscle, organ or area of skin, and more.\n"
        "Primary Causes of Denervation\n"
        "Traumatic injury is a frequent cause of denervation in adults and children alike.\n"
        "\n"
        "Pain relief\n"
        "\n"
        "Some doctors perform denervation to relieve chronic pain in the back.\n"
    )
    assert kinds(text) == [
        ("para", (1, 1), ()),
        ("para", (3, 3), ("Primary Causes of Denervation",)),
        ("para", (7, 7), ("Pain relief",)),
    ]


def test_markdown_headings_nest_and_setext_headings_count() -> None:
    text = (
        "Guide\n=====\n\nIntro text.\n\n## Part A\n\nText A.\n\n"
        "### Detail\n\nText B.\n\n## Part B\n\nText C.\n"
    )
    assert kinds(text) == [
        ("para", (4, 4), ("Guide",)),
        ("para", (8, 8), ("Guide", "Part A")),
        ("para", (12, 12), ("Guide", "Part A", "Detail")),
        ("para", (16, 16), ("Guide", "Part B")),
    ]
    assert segment(text, "fallback").title == "Guide"


def test_a_question_keeps_every_paragraph_of_its_answer() -> None:
    text = "What are the causes?\n\nFirst paragraph here.\n\nSecond paragraph here.\n\n# Next\n\nMore.\n"
    document = segment(text, "fallback")
    assert [b.kind for b in document.blocks] == ["question", "para"]
    question = document.blocks[0]
    assert [line for _, _, line in question.answer] == ["First paragraph here.", "Second paragraph here."]
    assert len(question.paragraphs) == 2 and question.lines == (1, 5)


def test_faq_lines_pair_each_question_with_its_answer() -> None:
    text = "What is A?\nA is the first letter.\nWhat is B?\nB is the second letter.\n"
    blocks = segment(text, "fallback").blocks
    assert [(b.kind, b.text, b.lines, b.path) for b in blocks] == [
        ("question", "What is A?", (1, 2), ("What is A?",)),
        ("question", "What is B?", (3, 4), ("What is B?",)),
    ]


def test_wrapped_sentences_keep_their_line_spans() -> None:
    parts = (
        (3, 3, "Axons regrow at about one millimetre"),
        (4, 4, "per day. Dr. Smith said so, e.g. in"),
        (5, 5, "2019."),
    )
    sentences = split_sentences(parts, ("H",))
    assert [(s.text, s.lines) for s in sentences] == [
        ("Axons regrow at about one millimetre per day.", (3, 4)),
        ("Dr. Smith said so, e.g. in 2019.", (4, 5)),
    ]
    text = "# H\n\nAxons regrow at about one\nmillimetre per day in adults.\n"
    (card,) = build_drafts([SourceDoc("wrap.md", text)]).cards
    assert card.section == "H > lines 3-4"
