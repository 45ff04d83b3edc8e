"""Fuzzing every reader of user input: never an unhandled exception, always a clear error.

Markdown, review-log CSV, browse queries and .apkg packages with generated zip members;
the deck-file parser and CSV/TSV have their own property tests. An import that fails
leaves the collection unchanged.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.collection import Collection
from trainer.core.search import QueryError, parse_query
from trainer.formats.apkg_read import read_package
from trainer.formats.markdown import read_markdown
from trainer.formats.revlog_csv import RevlogError, read_revlog
from trainer.formats.safety import ImportFormatError

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

markdown_lines = st.lists(
    st.one_of(
        st.builds(lambda t: f"Q: {t}", st.text(max_size=40)),
        st.builds(lambda t: f"A: {t}", st.text(max_size=40)),
        st.builds(lambda t: f"C: {t}", st.text(max_size=40)),
        st.text(max_size=40),
    ),
    max_size=12,
)


def write_temp(data: bytes, suffix: str) -> Path:
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as handle:
        handle.write(data)
    return Path(handle.name)


@FUZZ
@given(markdown_lines, st.binary(max_size=20))
def test_markdown_reader_never_crashes(lines: list[str], junk: bytes) -> None:
    path = write_temp("\n".join(lines).encode("utf-8", "surrogatepass") + junk, ".md")
    try:
        read_markdown(path)
    except ImportFormatError as exc:
        assert str(path) in str(exc)
    finally:
        path.unlink()


revlog_rows = st.lists(
    st.tuples(
        st.one_of(st.integers(-5, 10**13).map(str), st.text(max_size=8)),
        st.one_of(st.integers(-1, 6).map(str), st.text(max_size=3)),
        st.one_of(st.just("2024-03-29T20:32:32+00:00"), st.text(max_size=25)),
        st.one_of(st.integers(-10, 10**6).map(str), st.just("")),
    ),
    max_size=10,
)


@FUZZ
@given(st.booleans(), revlog_rows)
def test_review_log_reader_never_crashes(header: bool, rows: list[tuple[str, str, str, str]]) -> None:
    lines = ["card_id,review_rating,review_time,review_duration"] if header else []
    lines += [",".join(r) for r in rows]
    path = write_temp("\n".join(lines).encode("utf-8", "surrogatepass"), ".csv")
    try:
        read_revlog(path)
    except RevlogError as exc:
        assert str(path) in str(exc)
    finally:
        path.unlink()


@FUZZ
@given(st.text(max_size=60))
def test_browse_queries_parse_or_say_why(query: str) -> None:
    try:
        parse_query(query)
    except QueryError as exc:
        assert str(exc)


member_names = st.one_of(
    st.sampled_from(["collection.anki2", "collection.anki21", "collection.anki21b", "meta", "media", "0"]),
    st.text(min_size=1, max_size=20),
)


@FUZZ
@given(st.lists(st.tuples(member_names, st.binary(max_size=200)), max_size=5, unique_by=lambda m: m[0]))
def test_apkg_reader_with_generated_members(members: list[tuple[str, bytes]]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            try:
                archive.writestr(name, data)
            except (ValueError, UnicodeEncodeError, IndexError):  # names zipfile cannot write
                continue
    path = write_temp(buffer.getvalue(), ".apkg")
    try:
        read_package(path)
    except ImportFormatError as exc:
        assert str(path) in str(exc)
    finally:
        path.unlink()


def test_a_failed_import_changes_nothing(col: Collection, tmp_path: Path) -> None:
    before = [(d.name, d.total) for d in col.decks()]
    bad = tmp_path / "bad.apkg"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("collection.anki2", b"not a database at all" * 10)
    try:
        col.import_file(bad)
    except ImportFormatError as exc:
        assert "bad.apkg" in str(exc)
    else:
        raise AssertionError("a package without a usable collection was accepted")
    assert [(d.name, d.total) for d in col.decks()] == before
