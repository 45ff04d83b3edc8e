"""Reading document files: decoding and rejecting malformed input."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from trainer.core.files import NotAFileError, regular_file
from trainer.errors import NotFoundError

from .model import BuildInputError, SourceDoc

MAX_LINE = 100_000
"""The longest line accepted, in characters."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")


def _bad_char_ratio(text: str) -> float:
    """Share of characters that plain text does not contain."""
    if not text:
        return 0.0
    bad = 0
    for ch in text:
        if ch in _ALLOWED_CONTROLS:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Co", "Cn"):
            bad += 1
    return bad / len(text)


def _plausible_cp1252(text: str) -> bool:
    """Whether a cp1252 decoding looks like real prose rather than noise."""
    if _bad_char_ratio(text) > 0:
        return False
    letters = sum(1 for ch in text if ch.isalpha() or ch.isspace())
    odd = sum(1 for ch in text if ord(ch) >= 0x80 and not ch.isalpha())
    return letters / len(text) >= 0.7 and odd / len(text) <= 0.02


def decode_bytes(data: bytes, name: str) -> str:
    """Decode document bytes, or raise `BuildInputError` naming `name`."""
    if not data.strip():
        raise BuildInputError(f"{name}: the document is empty")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise BuildInputError(f"{name}: invalid {codec.upper()} text at byte {exc.start}") from None
    if b"\x00" in data:
        raise BuildInputError(f"{name}: binary file (contains NUL bytes), not a text document")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _plausible_cp1252(text):
        return text
    raise BuildInputError(
        f"{name}: unknown text encoding (expected UTF-8, UTF-16 with a BOM, or Windows-1252)"
    )


def check_text(text: str, name: str) -> str:
    """Validate decoded text and normalise its line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise BuildInputError(f"{name}: the document is empty")
    if _bad_char_ratio(text) > 0.01:
        raise BuildInputError(f"{name}: binary file (mostly non-text characters)")
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE:
            raise BuildInputError(
                f"{name}:{number}: line too long ({len(line)} characters, limit {MAX_LINE})"
            )
    return text


def read_document(path: Path) -> SourceDoc:
    """Read a plain-text or Markdown document; raise `BuildInputError` if malformed."""
    shown = str(path)
    try:
        regular_file(path)
    except NotAFileError as exc:
        raise BuildInputError(str(exc)) from None
    except NotFoundError:
        pass  # said by the read below, as for any unreadable file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildInputError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    text = check_text(decode_bytes(data, shown), shown)
    return SourceDoc(name=path.name, text=text)
