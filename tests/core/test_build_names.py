"""Proper nouns keep their capitals; Title-Case questions read as sentences."""

from __future__ import annotations

from trainer.core.build import SourceDoc, build_drafts
from trainer.core.build.propernames import document_names, proper_names, sentence_case


def _fronts(text: str, name: str = "notes.md") -> list[str]:
    return [str(c.fields.get("front", "")) for c in build_drafts([SourceDoc(name, text)]).cards]


def test_a_name_the_document_writes_capitalised_mid_sentence_keeps_its_capital() -> None:
    text = (
        "# Planets\n\n* Inner planets: Mercury, Venus, Earth and Mars are small and rocky\n"
        "* Venus: the hottest planet, with a thick atmosphere of carbon dioxide\n"
        "* Comet: icy body that grows a tail of gas and dust near the sun\n"
    )
    fronts = _fronts(text)
    assert "What is Venus?" in fronts
    assert "What is comet?" in fronts


def test_words_also_written_in_lower_case_or_only_in_title_lines_are_not_names() -> None:
    names = proper_names("# The Causes Of Disease\n\nThe Cell divides. A cell grows; the Golgi packs.\n")
    assert names == frozenset({"Golgi"})


def test_title_case_question_reads_as_a_sentence_keeping_names_and_acronyms() -> None:
    with document_names("Nerves heal slowly, as Wallerian degeneration shows in EMG studies."):
        assert sentence_case("What Are the Causes of Wallerian Degeneration?") == (
            "What are the causes of Wallerian degeneration?"
        )
        assert sentence_case("How Is an EMG Done?") == "How is an EMG done?"
    assert sentence_case("What is the Kuiper belt?") == "What is the Kuiper belt?"


def test_a_title_case_faq_heading_becomes_a_natural_front() -> None:
    text = (
        "## What Are the Causes of Denervation?\n\n"
        "Denervation follows an injury to the nerve, or a disease of the motor neurons.\n"
    )
    assert _fronts(text, "faq.md")[0] == "What are the causes of denervation?"
