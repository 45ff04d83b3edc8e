"""hashcards Markdown flashcards, read as hashcards reads them (import only).

    ---
    name = "Biology"
    ---

    Q: What is the powerhouse of the cell?
    A: The mitochondria.

    ---

    C: Speech is [silver], silence is [gold].

A TOML front matter between `---` lines may name the deck (`name = "..."`). A card starts
at a line beginning `Q:` or `C:`; an `A:` line starts the answer of the `Q:` before it; a
line that is only `---` ends a card; lines starting with `#` are comments. In a `C:` card
every `[...]` is a deletion (one card each) except an image `![...]` and escaped `\\[`
`\\]`. HTML comments `<!-- ... -->` are hidden, as a Markdown renderer hides them. What
hashcards refuses (an answer without a question, a question without an answer, a cloze
without deletions) is skipped with the line and the reason.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from trainer.core.cards import CardContent, CardKind, clean_text
from trainer.core.limits import MAX_CARDS_PER_NOTE
from trainer.formats.csv_text import deck_name
from trainer.formats.model import CardRecord, Package
from trainer.formats.safety import MAX_FIELD_CHARS, ImportFormatError

MAX_FILE_BYTES = 64 * 1024**2


@dataclass
class _Block:
    kind: str  # "Q" or "C"
    line: int
    parts: dict[str, list[str]] = field(default_factory=dict)
    current: str = ""

    def add(self, text: str) -> None:
        self.parts[self.current].append(text)


def _decode(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFormatError(path, "", f"file too large (more than {MAX_FILE_BYTES // 1024**2} MB)")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise ImportFormatError(path, f"line {bad_line}", f"invalid UTF-8 at byte {exc.start}") from None


def _hide_comments(text: str) -> str:
    """`<!-- ... -->` removed, keeping its line breaks (line numbers stay right); one forward pass."""
    if "<!--" not in text:
        return text
    pieces: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break  # unclosed: kept as text
        pieces += (text[pos:start], "\n" * text.count("\n", start, end))
        pos = end + 3
    pieces.append(text[pos:])
    return "".join(pieces)


def _front_matter(lines: list[str], path: Path) -> tuple[str, int]:
    """The deck name of a TOML front matter ("" if none) and the number of lines it takes."""
    if not lines or lines[0].strip() != "---":
        return "", 0
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            try:
                data = tomllib.loads("\n".join(lines[1:index]))
            except (tomllib.TOMLDecodeError, RecursionError) as exc:
                raise ImportFormatError(path, "front matter", f"not TOML ({str(exc)[:200]})") from None
            name = data.get("name", "")
            if not isinstance(name, str):
                raise ImportFormatError(path, "front matter", "name is not text")
            return name, index + 1
    raise ImportFormatError(path, "line 1", "front matter opened with '---' is never closed")


def _blocks(lines: list[str], first: int, package: Package) -> list[_Block]:
    blocks: list[_Block] = []
    block: _Block | None = None
    for number, line in enumerate(lines[first:], start=first + 1):
        key = line[:2]
        if key in ("Q:", "C:"):
            block = _Block(key[0], number, {key[0]: [line[2:].strip()]}, key[0])
            blocks.append(block)
        elif key == "A:":
            if block is None or block.kind != "Q" or "A" in block.parts:
                package.skipped.append((f"line {number}", "an A: without a Q: before it"))
                block = None
                continue
            block.parts["A"] = [line[2:].strip()]
            block.current = "A"
        elif line.strip() == "---":
            block = None
        elif line.lstrip().startswith("#"):
            continue
        elif block is not None:
            block.add(line)
    return blocks


def read_markdown(path: Path, *, deck: str | None = None) -> Package:
    """Cards from a hashcards Markdown file."""
    lines = _hide_comments(_decode(path)).replace("\r\n", "\n").split("\n")
    named, first = _front_matter(lines, path)
    if deck is not None and not deck_name(deck):
        raise ImportFormatError(path, "--deck", f"'{deck}' names no deck")
    name = deck_name(deck or "") or deck_name(named) or path.stem
    package = Package()
    for block in _blocks(lines, first, package):
        fields = {k: clean_text("\n".join(v)).strip() for k, v in block.parts.items()}
        where = f"line {block.line}"
        if any(len(v) > MAX_FIELD_CHARS for v in fields.values()):
            raise ImportFormatError(path, where, "card too large")
        key = fields.get("Q") or fields.get("C", "")
        base = f"md/{path.stem}/{hashlib.sha256(key.encode()).hexdigest()[:16]}"
        if block.kind == "Q":
            if not fields.get("Q") or not fields.get("A"):
                package.skipped.append((where, "a Q: without an A:"))
                continue
            content = CardContent(kind=CardKind.BASIC, front=fields["Q"], back=fields["A"])
            package.cards.append(CardRecord(base, name, content, where=where))
            continue
        text, count = cloze_text(fields["C"])
        if not count:
            package.skipped.append((where, "a C: without [deletions]"))
        elif count > MAX_CARDS_PER_NOTE:
            package.skipped.append(
                (where, f"{count} deletions in one C: card (at most {MAX_CARDS_PER_NOTE})")
            )
        else:
            for n in range(1, count + 1):  # every card shares the one text
                content = CardContent(kind=CardKind.CLOZE, text=text, cloze_ord=n)
                package.cards.append(CardRecord(f"{base}/{n}", name, content, group=base, where=where))
    return package


def cloze_text(source: str) -> tuple[str, int]:
    """hashcards' `[...]` deletions as `{{cN::...}}` (images `![..]` and `\\[` `\\]` kept), and their count.

    One pass, as hashcards scans it: a `[` starts a deletion (a later `[` restarts it), the
    next `]` ends it; escaped brackets lose their backslash.
    """
    out: list[str] = []
    start: int | None = None  # index in `out` where the open deletion's text begins
    image = escape = False
    count = 0
    marks: list[tuple[int, str]] = []  # (index in `out`, marker to put before it), in order
    length = len(source)
    for pos, char in enumerate(source):
        following = source[pos + 1] if pos + 1 < length else ""
        if char == "[":
            if image:
                out.append(char)
            elif escape:
                escape = False
                out.append(char)
            else:
                start = len(out)
        elif char == "]":
            if image:
                image = False
                out.append(char)
            elif escape:
                escape = False
                out.append(char)
            elif start is not None:
                count += 1
                marks += ((start, f"{{{{c{count}::"), (len(out), "}}"))
                start = None
        elif char == "!":
            if not image and following == "[":
                image = True
            out.append(char)
        elif char == "\\":
            if not escape and following in ("[", "]") and following:
                escape = True
            elif not escape:
                out.append(char)
        else:
            out.append(char)
    pieces: list[str] = []
    done = 0
    for index, marker in marks:
        pieces += ("".join(out[done:index]), marker)
        done = index
    pieces.append("".join(out[done:]))
    return "".join(pieces), count
