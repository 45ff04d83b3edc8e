"""Text files read by trainer and by Anki's own importer give the same notes (Anki is the judge)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from anki.errors import BackendError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.formats.anki_text_oracle import anki_import_text, anki_import_texts_by_name
from trainer.collection import Collection
from trainer.core.cards import CardKind
from trainer.formats.csv_text import read_text
from trainer.formats.html_text import html_to_text
from trainer.formats.model import Package
from trainer.formats.safety import ImportFormatError

REAL_TEXT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "text"
REVLOG = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "review-log-josh.csv"


def trainer_notes(package: Package) -> list[tuple[tuple[str, str], tuple[str, ...]]]:
    """(first two fields, tags) per note, in file order."""
    seen: set[tuple[str, str]] = set()
    notes = []
    for card in package.cards:
        key = (card.where, card.group or card.external_id)
        if key in seen:
            continue
        seen.add(key)
        c = card.content
        fields = (c.text, c.note) if c.kind is CardKind.CLOZE else (c.front, c.back)
        notes.append((fields, tuple(sorted(card.tags))))
    return notes


def anki_notes(path: Path, folder: Path) -> list[tuple[tuple[str, str], tuple[str, ...]]]:
    """Anki's notes as card text; a note whose first field is only spaces is left out (trainer
    skips it, with a line in the import summary: such a card shows a blank question)."""
    try:
        imported = anki_import_text(path, folder)
    except BackendError as exc:
        if "empty" not in str(exc):
            raise
        imported = []  # only comments: Anki says "empty", trainer reads no cards
    notes = [((html_to_text(n.fields[0])[0], html_to_text(n.fields[1])[0]), n.tags) for n in imported]
    return [note for note in notes if note[0][0]]


def _real_files() -> list[Path]:
    return sorted(REAL_TEXT.glob("*")) if REAL_TEXT.is_dir() else []


@pytest.mark.skipif(not REAL_TEXT.is_dir(), reason=f"real text files not found at {REAL_TEXT}")
@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.name)
def test_real_text_files_read_as_anki_reads_them(path: Path, tmp_path: Path) -> None:
    assert trainer_notes(read_text(path)) == anki_notes(path, tmp_path)


CASES = {
    "comment in the middle": "a\tb\n# comment\tx\nc\td\n",
    "comment first": "# a test file, with: a colon\nx\ty\nz\tw\n",
    "html without header": "<b>bold</b>,back\nplain,two\n",
    "html only in the sixth record": "a,b\nc,d\ne,f\ng,h\ni,j\nk,<b>l</b>\n",
    "quoted id starting with #": '#separator:comma\n#guid column:1\n"#abc",q,a\n#def,q2,a2\n',
    "CR line ends": "a,b\rc,d\r",
    "CRLF line ends": "a;b\r\nc;d\r\n",
    "tags column by position": "foo\tbar\tbaz qux\nfoo2\tbar2\tbaz2\n",
    "first line tags": "tags:foo bar\nq,a\n",
    "file tags header": "#tags:one two\n#separator:pipe\nq|a\n",
    "quotes inside a field": 'a "b" c,d\n"x ""y""",z\n',
    "quoted newlines": 'q,"line one\nline two"\n',
    "space separated": "one two\nthree four\n",
    "html header true with entities": "#html:true\nA &amp; B,<i>c</i><br>d\n",
    "html header false keeps tags": "#html:false\n<b>x</b>,y\n",
    "separator by character": "#separator:;\na;b,c\n",
    "empty first field skipped": "\tonly back\nq\ta\n",
    "columns named in another order": "#separator:comma\n#columns:Back,Front\nb,f\n",
    "columns with a tags label": "#separator:comma\n#columns:Front,Back,Tags\nf,b,t1 t2\n",
    "columns with an unknown one between": "#separator:comma\n#columns:Front,Junk,Back\nf,j,b\n",
    "columns none of them a field": "#separator:comma\n#columns:A,B\nf,b\n",
    "cloze columns by name": "#separator:comma\n#notetype:Cloze\n#columns:Back Extra,Text\nx,{{c1::y}}\n",
    "cloze": "#separator:comma\n#notetype:Cloze\nThe {{c1::cell}} lives,extra\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_notes_as_anki(name: str, tmp_path: Path) -> None:
    path = tmp_path / "cards.txt"
    path.write_bytes(CASES[name].encode())
    assert trainer_notes(read_text(path)) == anki_notes(path, tmp_path / "anki")


def test_delimiter_is_sniffed_over_several_lines(tmp_path: Path) -> None:
    """Anki takes the first candidate present (`;` here); the columns say comma."""
    path = tmp_path / "q.csv"
    path.write_text("What is 1;2?,answer one\nQ2,A2\nQ3,A3\n", encoding="utf-8")
    assert trainer_notes(read_text(path)) == [
        (("What is 1;2?", "answer one"), ()),
        (("Q2", "A2"), ()),
        (("Q3", "A3"), ()),
    ]


def test_unterminated_quote_warns_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    rows = "".join(f"q{i},a{i}\n" for i in range(1000))
    path.write_text(f'start,"never closed\n{rows}', encoding="utf-8")
    package = read_text(path)
    assert len(package.cards) == 1001
    assert package.cards[0].content.back == '"never closed'
    assert package.notices == [("line 1", "a quote is never closed; read as a plain character")]


@pytest.mark.parametrize("end", ["\n", ""], ids=["newline", "no newline"])
def test_unterminated_quote_on_the_last_line_warns_too(tmp_path: Path, end: str) -> None:
    """The last line's open quote is kept with the same notice as anywhere else."""
    path = tmp_path / "q.csv"
    path.write_text(f'a,b\n"unterminated,c{end}', encoding="utf-8")
    package = read_text(path)
    assert [(c.content.front, c.content.back) for c in package.cards] == [("a", "b"), ('"unterminated', "c")]
    assert package.notices == [("line 2", "a quote is never closed; read as a plain character")]


def test_a_stray_quote_on_the_last_line_is_no_open_quote(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('a,b\n"x"y,z\n', encoding="utf-8")
    assert read_text(path).notices == []


def test_deck_made_of_separators_is_refused_or_ignored(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("#deck column:1\n::,q,a\nA:: ::B,q2,a2\n", encoding="utf-8")
    assert [c.deck for c in read_text(path).cards] == ["d", "A::B"]
    with pytest.raises(ImportFormatError, match="names no deck"):
        read_text(path, deck="::")
    assert {c.deck for c in read_text(path, deck=" Top :: Sub ").cards} == {"Top::Sub", "A::B"}


@pytest.mark.skipif(not REVLOG.is_file(), reason=f"review log not found at {REVLOG}")
def test_review_log_is_refused_with_a_pointer() -> None:
    with pytest.raises(ImportFormatError, match="import-revlog"):
        read_text(REVLOG)


def test_review_log_header_in_any_order(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("review_time,card_id,review_rating\n2024-01-01T00:00:00Z,1,3\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="import-revlog"):
        read_text(path)


cell_text = st.text(  # control and bidi characters are cleaned differently (trainer drops them)
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"), whitelist_characters='\t\n"#<>&;,|:'
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.integers(1, 4).flatmap(
        lambda width: st.lists(st.lists(cell_text, min_size=width, max_size=width), min_size=1, max_size=6)
    ),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    header=st.sampled_from(["", "#html:true\n", "#html:false\n", "# a comment\n"]),
)
def test_any_written_csv_reads_like_anki(
    rows: list[list[str]], delimiter: str, header: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever a CSV writer produces (any delimiter, quoting, header), trainer and Anki agree.

    Rows have one width: Anki maps only as many columns as the first record has (a short
    first row drops the others' backs); trainer reads every row's columns.
    """
    assume(not any(len(row) > 2 and "::" in row[2] for row in rows))  # Anki renames `::` tags "blank"
    folder = tmp_path_factory.mktemp("gen")
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path = folder / "gen.txt"
    path.write_text(f"#separator:{delimiter}\n{header}{out.getvalue()}", encoding="utf-8")
    try:
        ours = trainer_notes(read_text(path))
    except ImportFormatError:
        return  # refused with one line (e.g. a review-log header)

    # Anki stores a no-break space at a field's edge as `&nbsp;` (card text: a space)
    def spaced(notes: list[tuple[tuple[str, str], tuple[str, ...]]]) -> list[object]:
        return [((f.replace("\xa0", " "), b.replace("\xa0", " ")), tags) for (f, b), tags in notes]

    assert spaced(ours) == spaced(anki_notes(path, folder / "anki"))


def test_repeated_first_fields_are_notes_of_their_own_as_in_anki(col: Collection, tmp_path: Path) -> None:
    """Anki adds every row of a file, repeats of an earlier first field included; so does trainer,
    and importing the file again changes nothing."""
    path = tmp_path / "repeats.txt"
    path.write_text("chat\tcat\nchien\tdog\nchat\tcat\nchat\tchat (French pun)\n", encoding="utf-8")
    anki = anki_import_text(path, tmp_path / "anki")
    first = col.import_file(path)
    again = col.import_file(path)
    assert len(first.added) == sum(n.cards for n in anki) == 4 and first.skipped == []
    assert again.added == [] and again.unchanged == 4
    shown = sorted((c.content.front, c.content.back) for c in col.search(""))
    assert shown == sorted((n.fields[0], n.fields[1]) for n in anki)


@pytest.mark.parametrize(
    "second",
    ["a,b\nx,y\n", "a,changed\nx,y\n", "#deck column:3\na,b,elsewhere\nx,y,elsewhere\n"],
    ids=["same row", "changed back", "deck column"],
)
def test_reimport_keeps_a_card_in_its_deck_as_anki_does(col: Collection, tmp_path: Path, second: str) -> None:
    """A card already in the collection stays in its deck when another file has it: Anki's
    import_csv updates the note's fields and leaves its cards where they are."""
    first_path, second_path = tmp_path / "q.csv", tmp_path / "q3.csv"
    first_path.write_text("a,b\n", encoding="utf-8")
    second_path.write_text(second, encoding="utf-8")
    anki = anki_import_texts_by_name([first_path, second_path], tmp_path / "anki")
    col.import_file(first_path)
    report = col.import_file(second_path)
    ours = {c.content.front: (c.content.back, c.deck_name) for c in col.search("")}
    assert ours == anki
    assert anki["a"][1] == "q"
    assert len(report.updated) == (1 if "changed" in second else 0)
