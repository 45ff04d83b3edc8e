"""Anki field HTML -> plain card text: line breaks kept, media as visible placeholders."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from trainer.core.cards import clean_text

_BREAK_TAGS = {"br", "div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
_SKIP_TAGS = {"script", "style"}
_SOUND_RE = re.compile(r"\[sound:([^\]]*)\]")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.media: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BREAK_TAGS:
            self._break()
        elif tag in {"img", "audio", "video", "source"}:
            src = dict(attrs).get("src") or ""
            if src:
                self.media.append(src)
                self.parts.append(f"[{'image' if tag == 'img' else 'media'}: {src}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BREAK_TAGS and tag != "br":
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def _break(self) -> None:
        if self.parts and not "".join(self.parts[-1:]).endswith("\n"):
            self.parts.append("\n")


def html_to_text(value: str) -> tuple[str, list[str]]:
    """Plain text of an Anki field and the media files it references."""
    sounds = _SOUND_RE.findall(value)
    value = _SOUND_RE.sub(lambda m: f"[sound: {m.group(1)}]", value)
    if "<" not in value and "&" not in value:
        return clean_text(value).strip(), sounds
    parser = _Text()
    parser.feed(value)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return clean_text(text).strip(), sounds + parser.media


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
