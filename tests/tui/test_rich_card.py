"""Card text drawn from the card's own marks: bold, italic, the revealed cloze gap; never markup."""

from __future__ import annotations

from trainer.core.cards import CardContent, CardKind
from trainer.tui.rich_card import GAP_STYLE, cloze_answer, styled


def spans(text: object) -> list[tuple[str, str]]:
    from rich.text import Text

    assert isinstance(text, Text)
    return [(text.plain[s.start : s.end], str(s.style)) for s in text.spans]


def test_bold_and_italic_marks_become_styles() -> None:
    text = styled("The **Schwann** cell _myelinates_ axons; snake_case and 2 ** 3 stay.")
    assert text.plain == "The Schwann cell myelinates axons; snake_case and 2 ** 3 stay."
    assert spans(text) == [("Schwann", "bold"), ("myelinates", "italic")]


def test_markup_and_escapes_are_never_interpreted() -> None:
    text = styled("[bold]x[/bold] \x1b[31mred\x1b[0m **ok**")
    assert text.plain == "[bold]x[/bold] [31mred[0m ok"
    assert spans(text) == [("ok", "bold")]


def test_the_revealed_cloze_gap_is_highlighted() -> None:
    content = CardContent(CardKind.CLOZE, text="{{c1::Fibrillation}} shows on {{c2::EMG}}.", cloze_ord=1)
    text = cloze_answer(content)
    assert text.plain == "Fibrillation shows on EMG."
    assert spans(text) == [("Fibrillation", GAP_STYLE)]
