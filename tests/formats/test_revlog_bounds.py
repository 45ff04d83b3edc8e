"""The review-log reader stays bounded: long lines, bad bytes and broken CSV give one line."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

from trainer.formats import revlog_csv
from trainer.formats.revlog_csv import RevlogError, read_revlog

HEADER = "card_id,review_time,review_rating,review_duration\n"


def test_a_file_without_line_breaks_stops_at_the_line_limit(tmp_path: Path) -> None:
    path = tmp_path / "zeros.csv"
    path.write_bytes(b"\x00" * (8 * 1024**2))
    tracemalloc.start()
    with pytest.raises(RevlogError, match=r"zeros.csv:1: line longer than 65536 bytes"):
        read_revlog(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2 * 1024**2  # one bounded line, not the 8 MB file


def test_the_total_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "1,2024-01-01T00:00:00Z,3,100\n" * 1000, encoding="utf-8")
    monkeypatch.setattr(revlog_csv, "MAX_FILE_BYTES", 10_000)
    with pytest.raises(RevlogError, match=r"big.csv:\d+: file larger than"):
        read_revlog(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"1,2024-01-01T00:00:00Z,3,1\n1,\xff,3,1\n", r"bad.csv:3: invalid UTF-8"),
        (b"1,2024-01-01T00:00:00Z,9,1\n", r"bad.csv:2: rating 9 is not 1-4"),
        (b"1,year 99999,3,1\n", r"bad.csv:2: "),
        (b"1,2024-01-01T00:00:00Z,3,1e400\n", r"bad.csv:2: "),
        (b"99999999999999999999999999,2024-01-01T00:00:00Z,3,1\n", r"bad.csv:2: card_id .* 64-bit"),
        (b"1,2024-01-01T00:00:00Z\n", r"bad.csv:2: "),
        (b'1,"2024-01-01,3,1\n', r"bad.csv:\d+: "),
    ],
)
def test_bad_rows_name_the_line(tmp_path: Path, body: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(HEADER.encode() + body)
    with pytest.raises(RevlogError) as caught:
        read_revlog(path)
    assert re.match(message, str(caught.value).split("/")[-1]), str(caught.value)
