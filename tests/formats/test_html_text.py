"""Anki field HTML to card text and back: line breaks, bold and italics as literal markers."""

from __future__ import annotations

import html
import re
import sys
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.timing import BOUND, GROWTH, best_cpu_seconds
from trainer.core.cards import clean_text
from trainer.formats import html_text as h
from trainer.formats.html_text import html_to_text, text_to_anki_html


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("to <b>eat</b>", "to **eat**"),
        ("<strong>Strong</strong> and <B>loud</B>", "**Strong** and **loud**"),
        ("<i>tilted</i> or <em class='x'>stressed</em>", "_tilted_ or _stressed_"),
        ("<b> padded </b>end", "**padded** end"),
        ("<b></b>empty", "empty"),
        ("line one<br>line <b>two</b><div>three</div>", "line one\nline **two**\nthree"),
        ("<b>a<br>b</b>", "**a\nb**"),
        ("x &lt;b&gt;not bold&lt;/b&gt;", "x <b>not bold</b>"),
        ("snake_case_name", "snake_case_name"),
        ("<b>word&nbsp;</b>next", "**word** next"),
        ("<i>&nbsp;tilted&nbsp;</i>x", "_tilted_ x"),
        ("a<b>&nbsp;</b>b", "a b"),
        ("<b> <i>both</i> </b>", "**_both_**"),
        ("<b><b>twice</b></b>", "**twice**"),
        ("<b>never closed", "never closed"),
        ("stray</b> close", "stray close"),
        ("λ<sup>2</sup>, H<sub>2</sub>O, x<sup>n+1</sup>, a<sub>ij</sub>", "λ², H₂O, xⁿ⁺¹, aᵢⱼ"),
        ("A<sup>T</sup> and e<sup>i π</sup>, C<sub>Max</sub>", "A^T and e^(i π), C_Max"),
        ("話[はなし]", "話(はなし)"),
        ("今日[きょう]は 良[よ]い 天気[てんき]", "今日(きょう)は良(よ)い天気(てんき)"),
        ("a[0] [x] [sound:a.mp3]", "a[0] [x] [sound: a.mp3]"),
        (
            "<ul><li>one</li><li>two<ol><li>a</li><li>b</li></ol></li></ul>after",
            "• one\n• two\n  1. a\n  2. b\nafter",
        ),
        ("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>", "A | B\n1 | 2"),
        ("<div>a</div><div><br></div><div>b</div>", "a\n\nb"),
        ("<div>a</div><div>b</div>", "a\nb"),
        ("a < b and c > d", "a < b and c > d"),
        ("x<!-- hidden <b> -->y<script>alert(1)</script><style>p{}</style>z", "xyz"),
        ("<span style='color:red'>red</span> <font>f</font>", "red f"),
        ("<!doctype html><?xml x?>ok", "ok"),
    ],
)
def test_html_to_text(field: str, text: str) -> None:
    assert html_to_text(field)[0] == text


@pytest.mark.parametrize(
    "field",
    ["to <b>eat</b>", "<i>tilted</i><br>and <b>strong</b>", "a_b_c", "2 ** 3 **", 'A <img src="c.png">'],
)
def test_markers_survive_a_round_trip_through_anki_html(field: str) -> None:
    text, media = html_to_text(field)
    again, media_again = html_to_text(text_to_anki_html(text))
    assert (again, media_again) == (text, media)


def test_markers_become_anki_formatting_on_export() -> None:
    assert text_to_anki_html("to **eat** _now_\nok") == "to <b>eat</b> <i>now</i><br>ok"
    assert text_to_anki_html("x <b>") == "x &lt;b&gt;"


def _reference_anki_html(text: str) -> str:
    """`text_to_anki_html` as first written (escape, then regex callbacks): the oracle of the fast one."""

    def restore(match: re.Match[str]) -> str:
        name = html.escape(match.group(2), quote=True)
        return f'<img src="{name}">' if match.group(1) == "image" else f"[sound:{name}]"

    out = html.escape(text, quote=False).replace("\n", "<br>")
    out = re.sub(r"\[(image|sound|media): ([^\]\n]+)\]", restore, out)
    out = re.sub(r"\*\*(\S(?:[^\n]*?\S)?)\*\*", lambda m: f"<b>{m.group(1)}</b>", out)
    return re.sub(r"(?<![\w*])_(\S(?:[^\n_]*?\S)?)_(?![\w*])", lambda m: f"<i>{m.group(1)}</i>", out)


_TOKENS = st.sampled_from([*"ab _*[]:\n&<>\\\"'é\t", "image: ", "sound: ", "media: ", "\\1", "**", "x.png"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_TOKENS, max_size=16).map("".join))
def test_anki_html_equals_the_reference(text: str) -> None:
    assert text_to_anki_html(text) == _reference_anki_html(text)


_FREE_TOKENS = st.sampled_from(
    [
        "<b>", "</b>", "<B >", "<strong>", "</strong>", "<i>", "</i>", "<em class='x'>", "</em>",
        "<br>", "<div>", "</div>", "<p>", "</p>", "<li>", "<ul>", "</ul>", "<ol>", "<tr>", "<td>",
        "<sup>", "</sup>", "<sub>", "</sub>", "<span>", "</span>", '<img src="a.png">', "<!--", "-->",
        "<script>", "</script>", "&nbsp;", "\xa0", " ", "\t", "\n", "a", "é", "話", "[", "]", "は",
        "&amp;", "&lt;", "<", ">", "x",
    ]
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(_FREE_TOKENS, max_size=20).map("".join))
def test_markers_only_ever_wrap_visible_text(field: str) -> None:
    """Fields without literal `*`: every `**` pairs up around text with no space at its edges."""
    text, _ = html_to_text(field)
    assert text == text.strip()
    inside = text.split("**")[1::2]
    assert text.count("**") % 2 == 0
    assert all(part and part == part.strip() for part in inside)


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=60))
def test_any_text_converts_without_error(field: str) -> None:
    text, media = html_to_text(field)
    assert text == clean_text(text)
    assert isinstance(media, list)
    assert html_to_text(text_to_anki_html(text))[0] is not None


_HOSTILE = {
    "unclosed bold": "<b>",
    "bold pairs": "<b>a</b>",
    "open brackets": "<",
    "tags without end": "<a",
    "unclosed comments": "<!--",
    "unclosed scripts": "<script>",
    "sound prefixes": "[sound:",
    "spaces": " ",
    "superscripts": "<sup>x",
    "closed superscripts": "<sup>2</sup>",
    "readings": "漢[かな]",
    "open readings": "漢[かな",
    "brackets": "[",
    "divs": "<div>",
    "empty pairs and blocks": "<b></b><div>",
    "entities": "&amp;",
    "lists": "<ul><li>x",
    "cells": "<td>x",
    "images": "<img src=a>",
}


def _traced_lines(field: str) -> int:
    """Python lines run inside the converter for `field` (the work, independent of the clock)."""
    count = 0
    watched = (h.__file__, sys.modules["trainer.formats.html_marks"].__file__)

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if frame.f_code.co_filename not in watched:
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        html_to_text(field + ">")
        h.strip_html(field + ">")
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("name", sorted(_HOSTILE))
def test_work_grows_linearly_on_hostile_fields(name: str) -> None:
    """Four times the input costs about four times the Python steps, never sixteen."""
    small, large = (_traced_lines(_HOSTILE[name] * n) for n in (500, 2000))
    assert large <= 4.5 * small + 50


@pytest.mark.parametrize("name", sorted(_HOSTILE))
def test_regex_work_grows_linearly_on_hostile_fields(name: str) -> None:
    """The C side (regexes, searches): 8x the input within 32x the CPU time (quadratic would be 64x)."""

    def best(n: int) -> float:
        field = _HOSTILE[name] * n

        def convert() -> None:
            html_to_text(field)
            h.strip_html(field)

        return best_cpu_seconds(convert)

    small, large = best(10_000), best(10_000 * GROWTH)
    assert large <= BOUND * small + 0.05


_USUAL_TOKENS = st.sampled_from(
    [
        "<b>", "</b>", "<i>", "</i>", "<strong>", "</strong>", "<em>", "</em>", "<B>", "<br>", "<br/>",
        "<div>", "&amp;", "&nbsp;", "&am", "p;", "&#12", "3;", "&lt", "\xa0", " ", "\t", "\n", "a", "é",
        ">", "x", "<", "[", "]", "*", "_",
    ]
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(_USUAL_TOKENS, max_size=12).map("".join))
def test_the_usual_fields_skip_the_scan_with_the_same_result(field: str) -> None:
    """Equal up to no-break spaces, which `html_to_text` turns into spaces after either."""
    shortcut = h._usual(field)
    if shortcut is not None:
        text, media = h._Converter(field).run()
        assert (shortcut[0].replace("\xa0", " "), shortcut[1]) == (text.replace("\xa0", " "), media)


def test_the_usual_fields_take_the_shortcut() -> None:
    assert h._usual("Question <b>12</b>") == ("Question **12**", [])
    assert h._usual("Answer<br>line &amp; two") == ("Answer\nline & two", [])
    assert h._usual("<b> x</b>") is None and h._usual("<b>a</i>") is None
