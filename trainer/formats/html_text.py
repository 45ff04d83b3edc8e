"""Anki field HTML <-> plain card text, in linear time.

A single left-to-right scan turns field HTML into text shown literally: line breaks and
blocks become newlines, bold `**text**` and italics `_text_` (markers only around visible
text, never around spaces), media become visible placeholders, sub- and superscripts
become Unicode where it has them (`x²`, `H₂O`), list items get bullets or numbers, table
cells are separated by ` | ` and furigana `話[はなし]` reads `話(はなし)`. Every search
moves forward or remembers that it failed, so hostile input (unclosed tags, `<` runs,
unterminated comments) costs time proportional to its length.
"""

from __future__ import annotations

import html
import re

from trainer.core.cards import clean_text
from trainer.formats.html_marks import furigana, script_text, tidy_lines

_TAG = re.compile(r"<(?:(/?)([A-Za-z][A-Za-z0-9]*)|[/!?])[^>]*>")
_SRC = re.compile(r"\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)
_CLOSERS = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}
_MAX_INDENT = 6  # list levels shown indented (deeper ones as the sixth: output stays linear)
_SCRIPTS = {"sup": "^", "sub": "_"}
_MARK_ROLES = frozenset(("**", "_", *_SCRIPTS))
_BLOCKS = (
    "div p h1 h2 h3 h4 h5 h6 hr dl dt dd blockquote pre section article header footer nav aside "
    "figure figcaption address center details summary caption"
)
_ROLES = {
    **dict.fromkeys(_BLOCKS.split(), "block"),
    **{"b": "**", "strong": "**", "i": "_", "em": "_", "sup": "sup", "sub": "sub", "br": "br"},
    **{"img": "image", "audio": "media", "video": "media", "source": "media", "script": "skip"},
    **{"style": "skip", "li": "item", "ul": "list", "ol": "list", "tr": "row", "table": "row"},
    **{"td": "cell", "th": "cell"},
}


def _clean(text: str) -> str:
    """`clean_text`, skipped for printable text (it has no control, bidi or CR characters)."""
    return text if text.isprintable() else clean_text(text)


def _sounds(value: str) -> tuple[str, list[str]]:
    """`[sound:x]` as the placeholder `[sound: x]`, and the names (one forward pass)."""
    names: list[str] = []
    pieces: list[str] = []
    pos = 0
    while (start := value.find("[sound:", pos)) >= 0:
        end = value.find("]", start + 7)
        if end < 0:
            break  # no `]` after this one, so none after any later one either
        name = value[start + 7 : end]
        names.append(name)
        pieces += (value[pos:start], f"[sound: {name}]")
        pos = end + 1
    if not names:
        return value, names
    pieces.append(value[pos:])
    return "".join(pieces), names


class _Converter:
    """The state of one scan: output pieces, open markers, lists, table cells, media."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.parts: list[str] = []
        self.media: list[str] = []
        self.opens: dict[str, int] = {}  # marker or script kind -> index of its placeholder part
        self.lists: list[int] = []  # per open list: 0 for bullets, else the next number
        self.cells = 0
        self.missing: set[str] = set()  # closing searches that failed (they would fail again)

    def text(self, raw: str) -> None:
        if raw:
            decoded = html.unescape(raw) if "&" in raw else raw
            self.parts.append(decoded.replace("\xa0", " ") if "\xa0" in decoded else decoded)

    def soft_break(self) -> None:
        """A newline unless the output is empty or already ends a line (block boundaries)."""
        parts = self.parts
        if parts and parts[-1]:  # the usual case: text before the block
            if parts[-1][-1] != "\n":
                parts.append("\n")
            return
        held = set(self.opens.values())
        while parts and not parts[-1] and len(parts) - 1 not in held:
            parts.pop()  # the placeholder of a pair that marked nothing
        for part in reversed(parts):  # past at most the open pairs' placeholders
            if part:
                if not part.endswith("\n"):
                    parts.append("\n")
                return

    def run(self) -> tuple[str, list[str]]:
        value, pos = self.value, 0
        text, parts, opens = self.text, self.parts, self.opens
        for match in _TAG.finditer(value, 0, value.rfind(">") + 1):  # every match has its `>`
            start = match.start()
            if start < pos:
                continue  # inside a comment, script or style already skipped
            if pos < start:
                text(value[pos:start])
            pos = match.end()
            name = match.group(2)
            if name is None:
                if value.startswith("<!--", start) and not value.startswith("-->", pos - 3):
                    close = self.find("-->", start + 4)
                    pos = close + 3 if close >= 0 else pos
                continue  # comments, `<!doctype>`, `<?xml?>`, `</>`: dropped
            role = _ROLES.get(name.lower())
            if role is None:
                continue  # span, font, a, ...: no visible effect
            closing = bool(match.group(1))
            if role == "br":
                parts.append("\n")
            elif role in _MARK_ROLES:
                if not closing:
                    if role not in opens:  # nested same kind: the outer pair marks it
                        opens[role] = len(parts)
                        parts.append("")
                elif (index := opens.pop(role, None)) is not None:
                    self.close_mark(index, role)
            elif role == "block":
                self.soft_break()
            elif role == "skip":
                if not closing:
                    found = self.find(name.lower(), pos)
                    pos = found if found >= 0 else pos
            elif not closing:
                self.opening(role, match)
            elif role == "list":
                if self.lists:
                    self.lists.pop()
                self.soft_break()
            elif role == "row":
                self.soft_break()
        text(value[pos:])
        return "".join(parts), self.media

    def opening(self, role: str, match: re.Match[str]) -> None:
        """Opening tags of media, list items, lists, rows and cells."""
        if role in ("image", "media"):
            src = _SRC.search(self.value, match.start(), match.end())
            if src is not None:
                ref = html.unescape(src.group(1) or src.group(2) or src.group(3) or "")
                self.media.append(ref)
                self.parts.append(f"[{role}: {ref}]")
        elif role == "item":
            self.item()
        elif role == "cell":
            if self.cells:
                self.parts.append(" | ")
            self.cells += 1
        elif role == "list":
            self.lists.append(0 if match.group(2).lower() == "ul" else 1)
            self.soft_break()
        elif role == "row":
            self.cells = 0
            self.soft_break()

    def find(self, what: str, pos: int) -> int:
        """Where `what` (a literal or a closing tag name) ends or starts; -1, remembered, if absent."""
        if what in self.missing:
            return -1
        if what in _CLOSERS:
            match = _CLOSERS[what].search(self.value, pos)
            found = match.end() if match else -1
        else:
            found = self.value.find(what, pos)
        if found < 0:
            self.missing.add(what)
        return found

    def item(self) -> None:
        self.soft_break()
        depth = min(max(len(self.lists), 1), _MAX_INDENT)
        bullet = "•"
        if self.lists and self.lists[-1]:
            bullet = f"{self.lists[-1]}."
            self.lists[-1] += 1
        self.parts.append(f"{'  ' * (depth - 1)}{bullet} ")

    def close_mark(self, index: int, role: str) -> None:
        """A closed pair opened at `parts[index]`: markers around its text, or a script."""
        parts = self.parts
        if role in _SCRIPTS:
            inner = "".join(parts[index + 1 :])
            for other, at in list(self.opens.items()):
                if at > index:  # opened inside: its placeholder is joined away
                    del self.opens[other]
            parts[index:] = [script_text(inner, _SCRIPTS[role])]
        elif (
            index + 2 == len(parts)
            and (only := parts[-1])
            and not only[0].isspace()
            and not only[-1].isspace()
        ):
            parts[index] = role  # the usual `<b>word</b>`
            parts.append(role)
        else:
            self.surround(index, role)

    def surround(self, index: int, marker: str) -> None:
        """Put `marker` around the visible text after `parts[index]`, inside its edge spaces."""
        parts = self.parts
        first = next((i for i in range(index + 1, len(parts)) if parts[i].strip()), None)
        if first is None:
            return  # only spaces or nothing between the tags: no markers
        last = next(i for i in range(len(parts) - 1, first - 1, -1) if parts[i].strip())
        tail = parts[last]
        cut = len(tail.rstrip())
        parts[last] = f"{tail[:cut]}{marker}{tail[cut:]}"
        head = parts[first]
        cut = len(head) - len(head.lstrip())
        parts[first] = f"{head[:cut]}{marker}{head[cut:]}"


# One bold or italic pair around text with no space at its edges, nothing else marked up.
_ONE_MARK = re.compile(r"([^<&]*)<(b|strong|i|em)>([^<&\s](?:[^<&]*[^<&\s])?)</\2>([^<&]*)")


def _usual(value: str) -> tuple[str, list[str]] | None:
    """What `_Converter(value).run()` gives, for the usual small fields, without the scan: no tags,
    only `<br>` line breaks, or one `<b>word</b>`-like pair; else None. Property-tested equal (up to
    no-break spaces, which the caller turns into spaces either way)."""
    if "<" not in value:
        return html.unescape(value), []
    if value.count("<") == value.count("<br>"):  # entities end at a newline: unescaping after is the same
        text = value.replace("<br>", "\n")
        return (html.unescape(text) if "&" in text else text), []
    match = _ONE_MARK.fullmatch(value)
    if match is None:
        return None
    before, name, inside, after = match.groups()
    marker = _ROLES[name]
    return f"{before}{marker}{inside}{marker}{after}", []


def html_to_text(value: str) -> tuple[str, list[str]]:
    """Plain text of an Anki field and the media files it references."""
    sounds: list[str] = []
    if "[sound:" in value:
        value, sounds = _sounds(value)
    if "<" not in value and "&" not in value:
        text = value
        media: list[str] = []
    else:
        text, media = _usual(value) or _Converter(value).run()
        text = text.replace("\xa0", " ")
        text = tidy_lines(text)
    if "[" in text:
        text = furigana(text)
    return _clean(text).strip(), sounds + media


def strip_html(value: str) -> str:
    """Field HTML without its tags (Anki's sort field), in one forward pass."""
    if "<" in value:
        end = value.rfind(">") + 1  # no tag after the last `>`: the search stops there
        value = _TAG.sub("", value[:end]) + value[end:]
    return html.unescape(value) if "&" in value else value


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
    """Plain text as Anki field HTML (escaped, newlines as <br>), media placeholders and bold/italic
    markers turned back into Anki HTML."""
    out = text
    if "&" in out:
        out = out.replace("&", "&amp;")
    if "<" in out:
        out = out.replace("<", "&lt;")
    if ">" in out:
        out = out.replace(">", "&gt;")
    if "\n" in out:
        out = out.replace("\n", "<br>")
    if "[" in out:
        out = _PLACEHOLDER_RE.sub(_restore, out)
    if "**" in out:
        out = _BOLD_MARK_RE.sub(_bold_html, out)
    if "_" in out:
        out = _ITALIC_MARK_RE.sub(_italic_html, out)
    return out
