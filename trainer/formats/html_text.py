"""Anki field HTML -> plain card text: line breaks kept, media as visible placeholders."""

from __future__ import annotations

import html
import re

from trainer.core.cards import clean_text

_SOUND_RE = re.compile(r"\[sound:([^\]]*)\]")


_DROP_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_MEDIA_RE = re.compile(
    r"<(img|audio|video|source)\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))[^>]*>", re.I
)
_BREAK_RE = re.compile(r"<br\s*/?>|</?(?:div|p|li|tr|h[1-6]|hr)\b[^>]*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")


def html_to_text(value: str) -> tuple[str, list[str]]:
    """Plain text of an Anki field and the media files it references."""
    sounds = _SOUND_RE.findall(value)
    value = _SOUND_RE.sub(lambda m: f"[sound: {m.group(1)}]", value)
    if "<" not in value and "&" not in value:
        return clean_text(value).strip(), sounds
    media: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        src = html.unescape(match.group(2) or match.group(3) or match.group(4) or "")
        media.append(src)
        return f"[{'image' if match.group(1).lower() == 'img' else 'media'}: {src}]"

    text = _DROP_RE.sub("", value)
    text = _MEDIA_RE.sub(placeholder, text)
    text = _BREAK_RE.sub("\n", text)
    text = html.unescape(_TAG_RE.sub("", text)).replace("\xa0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return clean_text(text).strip(), sounds + media


def text_to_html(text: str) -> str:
    """Plain text as Anki field HTML (escaped, newlines as <br>)."""
    return html.escape(text, quote=False).replace("\n", "<br>")


_PLACEHOLDER_RE = re.compile(r"\[(image|sound|media): ([^\]\n]+)\]")


def text_to_anki_html(text: str) -> str:
    """Like `text_to_html`, but media placeholders become Anki media references again."""

    def restore(match: re.Match[str]) -> str:
        name = html.escape(match.group(2), quote=True)
        return f'<img src="{name}">' if match.group(1) == "image" else f"[sound:{name}]"

    return _PLACEHOLDER_RE.sub(restore, text_to_html(text))
