"""Text touches after Anki HTML is taken apart: scripts, furigana, line tidying (all linear)."""

from __future__ import annotations

import re

_SUPER = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyz",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ",
        strict=True,
    )
)
_SUB = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]+")
_BLANK_RUN = re.compile(r"\n{3,}")


def script_text(inner: str, sign: str) -> str:
    """A superscript (`sign` "^") or subscript ("_") as Unicode, else as `^x` / `^(x y)`."""
    core = inner.strip()
    if not core:
        return inner
    table = _SUPER if sign == "^" else _SUB
    if all(c in table for c in core):
        return "".join(table[c] for c in core)
    return f"{sign}{core}" if core.isalnum() else f"{sign}({core})"


def furigana(text: str) -> str:
    """Anki's furigana syntax `漢字[かんじ]` (kana readings only) as `漢字(かんじ)`.

    The base runs back to a space, a line break or the previous reading, and one space
    before it is dropped, as Anki's `furigana:` filter does. Each bracket is looked at once.
    """
    pieces: list[str] = []
    pos = done = close = 0
    while (start := text.find("[", pos)) >= 0:
        if close <= start:  # else the `]` found for an outer `[` is still the next one
            close = text.find("]", start + 1)
        if close < 0:
            break
        inner = text.find("[", start + 1, close)
        if inner >= 0:  # `[a[b]`: only the innermost bracket can be a reading
            pos = inner
            continue
        pos = close + 1
        if not _KANA.fullmatch(text, start + 1, close):
            continue
        base = start
        while base > done and text[base - 1] not in " \n>]":
            base -= 1
        if base == start:
            continue
        cut = base - 1 if base > done and text[base - 1] == " " else base
        pieces += (text[done:cut], text[base:start], "(", text[start + 1 : close], ")")
        done = close + 1
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def tidy_lines(text: str) -> str:
    """No spaces or tabs before a line break and at most one blank line in a row."""
    if " \n" in text or "\t\n" in text:
        text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    return text
