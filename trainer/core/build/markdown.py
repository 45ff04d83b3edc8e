"""Markdown structure from a real parser (markdown-it-py): what is prose and what is not.

Code blocks (fenced or indented), raw HTML blocks and display maths are blanked out line
for line, so line numbers stay right; `!!! note` admonitions keep their body as prose.
"""

from __future__ import annotations

import re

_ADMONITION = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+\"[^\"]*\")?\s*$")
_DISPLAY_MATH = re.compile(r"^\s*\$\$")


def _admonitions(lines: list[str]) -> list[str]:
    """`!!! kind "title"` markers removed, their indented body dedented into prose."""
    out = list(lines)
    index = 0
    while index < len(out):
        marker = _ADMONITION.match(out[index])
        if not marker:
            index += 1
            continue
        indent = len(marker.group(1))
        out[index] = ""
        index += 1
        while index < len(out) and (
            not out[index].strip() or len(out[index]) - len(out[index].lstrip()) > indent
        ):
            out[index] = out[index].strip()
            index += 1
    return out


def _display_maths(lines: list[str]) -> list[str]:
    """`$$ ... $$` blocks blanked."""
    out = list(lines)
    inside = False
    for index, line in enumerate(out):
        if _DISPLAY_MATH.match(line):
            single = line.strip() != "$$" and line.strip().endswith("$$") and len(line.strip()) > 2
            out[index] = ""
            inside = inside if single else not inside
        elif inside:
            out[index] = ""
    return out


def prose_lines(lines: list[str]) -> list[str]:
    """The document's lines with everything that is not prose blanked."""
    from markdown_it import MarkdownIt

    lines = _display_maths(_admonitions(lines))
    parser = MarkdownIt("commonmark").enable("table")
    out = list(lines)
    for token in parser.parse("\n".join(lines)):
        if token.type in ("code_block", "fence", "html_block") and token.map:
            start, end = token.map
            for index in range(start, min(end, len(out))):
                out[index] = ""
    return out
