"""A tiny protobuf wire-format reader: enough for Anki's notetype, template and media maps."""

from __future__ import annotations

import struct
from collections.abc import Iterator

from trainer.errors import ImportRefusedError


class ProtobufError(ImportRefusedError):
    """Malformed protobuf bytes."""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ProtobufError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def entries(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """(field number, wire type, value); varints as int, the other wire types as raw bytes."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, wire, value
            continue
        if wire == 2:
            size, pos = _varint(data, pos)
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
        if pos + size > len(data):
            raise ProtobufError("truncated field")
        yield number, wire, data[pos : pos + size]
        pos += size


def fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) pairs; varints as int, length-delimited as bytes (fixed-size skipped)."""
    for number, wire, value in entries(data):
        if wire in (0, 2):
            yield number, value


def floats(data: bytes, number: int) -> list[float]:
    """The 32-bit floats of field `number`, packed or not."""
    out: list[float] = []
    for n, wire, value in entries(data):
        if n != number or not isinstance(value, bytes):
            continue
        if wire == 5:
            out.append(struct.unpack("<f", value)[0])
        elif wire == 2 and len(value) % 4 == 0:
            out.extend(struct.unpack(f"<{len(value) // 4}f", value))
    return out


def first(data: bytes, number: int) -> int | bytes | None:
    """The first value of field `number`."""
    return next((v for n, v in fields(data) if n == number), None)
