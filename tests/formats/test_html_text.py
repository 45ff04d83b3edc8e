"""Anki field HTML to card text and back: line breaks, bold and italics as literal markers."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _reference_text(value: str) -> tuple[str, list[str]]:
    """`html_to_text` without any of its shortcuts: every pass runs on every field (the oracle)."""
    sounds = h._SOUND_RE.findall(value)
    value = h._SOUND_RE.sub(lambda m: f"[sound: {m.group(1)}]", value)
    if "<" not in value and "&" not in value:  # plain fields keep non-breaking spaces
        return clean_text(value).strip(), sounds
    media: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        src = html.unescape(match.group(2) or match.group(3) or match.group(4) or "")
        media.append(src)
        return f"[{'image' if match.group(1).lower() == 'img' else 'media'}: {src}]"

    text = h._DROP_RE.sub("", value)
    text = h._MEDIA_RE.sub(placeholder, text)
    text = h._ITALIC_RE.sub(h._ITALIC, h._BOLD_RE.sub(h._BOLD, text))
    text = html.unescape(h._TAG_RE.sub("", h._BREAK_RE.sub("\n", text))).replace("\xa0", " ")
    text = h._BLANKS_RE.sub("\n\n", h._TRAILING_RE.sub("\n", text))
    return clean_text(text).strip(), sounds + media


_HTML_TOKENS = st.sampled_from(
    [
        "<b>", "</b>", "<B >", "</b >", "<strong>", "</strong>", "<i>", "</i>", "<em class='x'>", "</em>",
        "<br>", "<br/>", "<BR />", "<div>", "</div>", "<p>", "</p>", "<li>", "<h2>", "<hr>", "<bx>",
        '<img src="a.png">', "<img src='b c.png'>", "<img src=d.png>", '<audio src="s.mp3">', "<img alt=x>",
        "<video controls src = 'v.mp4' >", "<source src=", "<script>", "</script>", "<style>", "</style>",
        "<!--", "-->", "&amp;", "&lt;b&gt;", "&gt;", "&#13;", "&#x1f;", "&nbsp;", "&amp", "&zz;", "\xa0", " ",
        "\t", "\n", "\r", "\r\n", "\x01", "\x85", "\u202e", "a", "é", "<", ">", "&", '"', "'", "=", "src",
        "[sound:x.mp3]", "[sound:", "]", "<x y>", "</", "*", "_",
    ]
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(_HTML_TOKENS, max_size=14).map("".join))
def test_html_to_text_equals_the_unshortened_passes(field: str) -> None:
    assert html_to_text(field) == _reference_text(field)
