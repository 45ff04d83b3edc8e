"""Reading documents: encodings accepted, malformed input refused with a clear error."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from trainer.core.build import BuildInputError, read_document

TEXT = "Dénervation : perte de l'innervation d'un muscle.\nSecond line.\n"


def write(tmp_path: Path, data: bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with its BOM
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252", "crlf"],
)
def test_accepted_encodings_decode_to_the_same_text(tmp_path: Path, data: bytes) -> None:
    doc = read_document(write(tmp_path, data))
    assert doc.name == "doc.txt"
    assert doc.text == TEXT


def error_for(tmp_path: Path, data: bytes, name: str = "bad.txt") -> str:
    path = write(tmp_path, data, name)
    with pytest.raises(BuildInputError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(str(path)), "the message names the file"
    return message


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    assert "binary file" in error_for(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)


def test_mostly_non_text_file(tmp_path: Path) -> None:
    noise = bytes(range(1, 9)) * 40 + b"some words"
    assert "binary file" in error_for(tmp_path, noise)


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  \n"], ids=["empty", "blank"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    assert "empty" in error_for(tmp_path, data)


def test_enormous_line(tmp_path: Path) -> None:
    data = b"short line\n" + b"x" * 100_001 + b"\n"
    message = error_for(tmp_path, data)
    assert ":2: line too long" in message


def test_line_of_exactly_the_limit_is_accepted(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, b"y" * 100_000))
    assert len(doc.text) == 100_000


def test_unknown_encoding(tmp_path: Path) -> None:
    # Invalid UTF-8 and undefined in Windows-1252 (0x81, 0x8d, 0x8f, 0x90, 0x9d).
    data = b"caf\x81 \x8d\x8f\x90\x9d cr\xe8me " * 10
    assert "unknown text encoding" in error_for(tmp_path, data)


def test_implausible_cp1252_is_refused(tmp_path: Path) -> None:
    # Decodes as cp1252 but is mostly symbols: not a document.
    data = bytes([0xA4, 0xA6, 0xA7, 0xA8, 0xA9, 0xAB, 0xAC, 0xAE, 0xB0, 0xB1]) * 30
    assert "unknown text encoding" in error_for(tmp_path, data)


def test_broken_utf16(tmp_path: Path) -> None:
    assert "invalid UTF-16" in error_for(tmp_path, codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    with pytest.raises(BuildInputError, match=r"missing\.txt: cannot read"):
        read_document(path)
