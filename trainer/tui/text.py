"""Card text for widgets: always literal `Text`, never markup, never control characters."""

from __future__ import annotations

from rich.text import Text

from trainer.core.cards import clean_text


def literal(text: str, style: str = "") -> Text:
    """`text` cleaned of control and bidi characters, as a Rich `Text` shown exactly as typed."""
    return Text(clean_text(text), style=style)


def assemble(*parts: str | tuple[str, str]) -> Text:
    """Join literal pieces, each optionally with a style: `assemble(("Q: ", "bold"), card_text)`."""
    result = Text()
    for part in parts:
        if isinstance(part, tuple):
            result.append(clean_text(part[0]), style=part[1])
        else:
            result.append(clean_text(part))
    return result
