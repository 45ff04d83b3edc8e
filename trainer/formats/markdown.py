"""Markdown flashcards in the Q:/A:/C: convention (hashcards and similar tools), import only.

    Q: What is the powerhouse of the cell?
    A: The mitochondria.

    C: Speech is [silver], silence is [gold].

A card runs until the next `Q:`/`C:` line; `[...]` in a `C:` card are cloze deletions.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from trainer.core.cards import CardContent, CardKind, clean_text
from trainer.formats.model import CardRecord, Package
from trainer.formats.safety import MAX_FIELD_CHARS, ImportFormatError

_MARK = re.compile(r"^(Q|A|C):\s?(.*)$")
_DELETION = re.compile(r"\[([^\[\]\n]+)\]")


def read_markdown(path: Path, *, deck: str | None = None) -> Package:
    """Cards from a Markdown file."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise ImportFormatError(path, f"line {bad_line}", f"invalid UTF-8 at byte {exc.start}") from None
    blocks: list[tuple[int, dict[str, list[str]]]] = []
    current: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _MARK.match(line)
        if match:
            key, rest = match.groups()
            if key in "QC" or not blocks or key in blocks[-1][1]:
                blocks.append((number, {}))
            current = blocks[-1][1].setdefault(key, [])
            current.append(rest)
        elif current is not None:
            current.append(line)
    package = Package()
    name = deck or path.stem
    for number, parts in blocks:
        fields = {k: clean_text("\n".join(v)).strip() for k, v in parts.items()}
        where = f"line {number}"
        if any(len(v) > MAX_FIELD_CHARS for v in fields.values()):
            raise ImportFormatError(path, where, "card too large")
        content = _content(fields)
        if content is None:
            package.skipped.append((where, "a Q: without an A:, or a C: without [deletions]"))
            continue
        digest = hashlib.sha256((fields.get("Q") or fields.get("C", "")).encode()).hexdigest()[:16]
        base = f"md/{path.stem}/{digest}"
        if content.kind is CardKind.CLOZE:
            count = len(_DELETION.findall(fields["C"]))
            for n in range(1, count + 1):
                package.cards.append(
                    CardRecord(f"{base}/{n}", name, _cloze(fields["C"], n), group=base, where=where)
                )
        else:
            package.cards.append(CardRecord(base, name, content, where=where))
    return package


def _content(fields: dict[str, str]) -> CardContent | None:
    if "C" in fields:
        return _cloze(fields["C"], 1) if _DELETION.search(fields["C"]) else None
    if fields.get("Q") and fields.get("A"):
        return CardContent(kind=CardKind.BASIC, front=fields["Q"], back=fields["A"])
    return None


def _cloze(text: str, ordinal: int) -> CardContent:
    counter = iter(range(1, 10_000))
    converted = _DELETION.sub(lambda m: f"{{{{c{next(counter)}::{m.group(1)}}}}}", text)
    return CardContent(kind=CardKind.CLOZE, text=converted, cloze_ord=ordinal)
