"""Card text drawn as Anki shows it, from the card's own marks only: `**bold**`, `_italic_`
(as imports write them) and, on a cloze answer, the revealed gap highlighted.

Nothing in the text is interpreted as markup or as a terminal escape: control characters
are stripped (`clean_text`) and the styles are applied to plain `Text` spans.
"""

from __future__ import annotations

import re

from rich.text import Text

from trainer.core.cards import CLOZE_RE, CardContent, CardKind, clean_text
from trainer.core.quiz import Check
from trainer.tui.text import assemble

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])", re.DOTALL)
GAP_STYLE = "bold reverse"


def styled(text: str, style: str = "") -> Text:
    """`text` with its bold and italic marks rendered (the marks themselves removed)."""
    plain = clean_text(text)
    spans: list[tuple[int, int, str]] = []
    out: list[str] = []
    position = 0
    marks = sorted(
        [(m.start(), m.end(), m.group(1), "bold") for m in _BOLD.finditer(plain)]
        + [(m.start(), m.end(), m.group(1), "italic") for m in _ITALIC.finditer(plain)]
    )
    length = 0
    for start, end, inner, kind in marks:
        if start < position:  # overlapping marks: the first one wins, the other stays literal
            continue
        out.append(plain[position:start])
        length += start - position
        spans.append((length, length + len(inner), kind))
        out.append(inner)
        length += len(inner)
        position = end
    out.append(plain[position:])
    result = Text("".join(out), style=style)
    for begin, finish, kind in spans:
        result.stylize(kind, begin, finish)
    return result


def cloze_answer(content: CardContent, style: str = "") -> Text:
    """A cloze card's answer with the revealed gap(s) highlighted."""
    result = Text(style=style)
    position = 0
    text = content.text
    for match in CLOZE_RE.finditer(text):
        result.append_text(styled(text[position : match.start()]))
        gap = styled(match.group(2))
        if int(match.group(1)) == content.cloze_ord:
            gap.stylize(GAP_STYLE)
        result.append_text(gap)
        position = match.end()
    result.append_text(styled(text[position:]))
    return result


def answer_text(content: CardContent, answer: str) -> Text:
    """The answer side of a card as Anki draws it."""
    if content.kind is CardKind.CLOZE:
        return cloze_answer(content)
    return styled(answer)


def diff_text(check: Check) -> Text:
    """A typed answer's comparison on two lines: what was typed (what should not be there
    struck in red) and the answer (what was missing underlined in green)."""
    typed = assemble(
        *[(s.text, "bold red strike" if s.kind == "extra" else "") for s in check.diff if s.kind != "missing"]
    )
    answer = assemble(
        *[
            (s.text, "bold green underline" if s.kind == "missing" else "")
            for s in check.diff
            if s.kind != "extra"
        ]
    )
    result = Text("Your answer: ", style="dim")
    result.append(typed if typed.plain.strip() else Text("(nothing)", style="dim italic"))
    if not check.exact:
        result.append(Text("\nThe answer:  ", style="dim"))
        result.append(answer)
    return result
