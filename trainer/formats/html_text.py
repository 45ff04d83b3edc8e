"""Anki field HTML <-> plain card text.

Line breaks are kept, bold becomes `**text**` and italics `_text_` (plain markers that are
shown literally), media become visible placeholders. Cheap substring tests skip every
regex a field does not need: imports convert hundreds of thousands of fields.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from trainer.core.cards import clean_text

_SOUND_RE = re.compile(r"\[sound:([^\]]*)\]")
_DROP_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_MEDIA_RE = re.compile(
    r"<(img|audio|video|source)\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))[^>]*>", re.I
)
_BOLD_RE = re.compile(r"<(b|strong)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_ITALIC_RE = re.compile(r"<(i|em)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_BREAK_RE = re.compile(r"<br\s*/?>|</?(?:div|p|li|tr|h[1-6]|hr)\b[^>]*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
_TRAILING_RE = re.compile(r"[ \t]+\n")
_BLANKS_RE = re.compile(r"\n{3,}")


def _marked(marker: str) -> Callable[[re.Match[str]], str]:
    def wrap(match: re.Match[str]) -> str:
        inner = match.group(2)
        if not inner.strip():
            return inner
        core = inner.strip()
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        return f"{lead}{marker}{core}{marker}{trail}"

    return wrap


_BOLD = _marked("**")
_ITALIC = _marked("_")


def _clean(text: str) -> str:
    """`clean_text`, skipped for printable text (it has no control, bidi or CR characters)."""
    return text if text.isprintable() else clean_text(text)


def html_to_text(value: str) -> tuple[str, list[str]]:
    """Plain text of an Anki field and the media files it references."""
    sounds: list[str] = []
    if "[sound:" in value:
        sounds = _SOUND_RE.findall(value)
        value = _SOUND_RE.sub(lambda m: f"[sound: {m.group(1)}]", value)
    if "<" not in value and "&" not in value:
        return _clean(value).strip(), sounds
    media: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        src = html.unescape(match.group(2) or match.group(3) or match.group(4) or "")
        media.append(src)
        return f"[{'image' if match.group(1).lower() == 'img' else 'media'}: {src}]"

    text = value
    if "<" in text:
        lower = text.lower()
        if "<script" in lower or "<style" in lower or "<!--" in lower:
            text = _DROP_RE.sub("", text)
        if "src" in lower:
            text = _MEDIA_RE.sub(placeholder, text)
        if "<b" in lower or "<strong" in lower:
            text = _BOLD_RE.sub(_BOLD, text)
        if "<i" in lower or "<em" in lower:
            text = _ITALIC_RE.sub(_ITALIC, text)
        if "<" in text:  # markers may have taken every tag
            text = _TAG_RE.sub("", _BREAK_RE.sub("\n", text))
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\xa0", " ")
    if " \n" in text or "\t\n" in text:
        text = _TRAILING_RE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANKS_RE.sub("\n\n", text)
    return _clean(text).strip(), sounds + media


def strip_html(value: str) -> str:
    """Field HTML without its tags (Anki's sort field)."""
    if "<" in value:
        value = _TAG_RE.sub("", value)
    return html.unescape(value) if "&" in value else value


def text_to_html(text: str) -> str:
    """Plain text as Anki field HTML (escaped, newlines as <br>)."""
    return html.escape(text, quote=False).replace("\n", "<br>")


_PLACEHOLDER_RE = re.compile(r"\[(image|sound|media): ([^\]\n]+)\]")
_BOLD_MARK_RE = re.compile(r"\*\*(\S(?:[^\n]*?\S)?)\*\*")
_ITALIC_MARK_RE = re.compile(r"(?<![\w*])_(\S(?:[^\n_]*?\S)?)_(?![\w*])")


def _restore(match: re.Match[str]) -> str:
    name = html.escape(match.group(2), quote=True)
    return f'<img src="{name}">' if match.group(1) == "image" else f"[sound:{name}]"


def _bold_html(match: re.Match[str]) -> str:
    return f"<b>{match.group(1)}</b>"  # a callback: 3.11 expands "\\1" templates in Python, slower


def _italic_html(match: re.Match[str]) -> str:
    return f"<i>{match.group(1)}</i>"


def text_to_anki_html(text: str) -> str:
    """Like `text_to_html`, but media placeholders and bold/italic markers become Anki HTML again."""
    out = text
    if "&" in out:
        out = out.replace("&", "&amp;")
    if "<" in out:
        out = out.replace("<", "&lt;")
    if ">" in out:
        out = out.replace(">", "&gt;")
    if "\n" in out:
        out = out.replace("\n", "<br>")  # the same as `text_to_html`, without its calls (hot on export)
    if "[" in out:
        out = _PLACEHOLDER_RE.sub(_restore, out)
    if "**" in out:
        out = _BOLD_MARK_RE.sub(_bold_html, out)
    if "_" in out:
        out = _ITALIC_MARK_RE.sub(_italic_html, out)
    return out
