"""Anki's text format both ways, with Anki's own CSV importer as the oracle."""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection
from anki.import_export_pb2 import ImportCsvRequest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.timing import BOUND, GROWTH, best_cpu_seconds
from trainer.core.cards import CardContent, CardKind
from trainer.formats.csv_text import read_text, write_text
from trainer.formats.html_text import html_to_text
from trainer.formats.model import CardRecord
from trainer.formats.safety import ImportFormatError


def test_headers_and_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "deck.txt"
    path.write_bytes(
        "\ufeff#separator:Semicolon\n#html:true\n#tags:imported\n#deck:Words\n"
        "#guid column:1\n#tags column:4\n"
        'g1;manger;"to <b>eat</b>\nand dine";verb\n'
        "g2;The {{c1::cell}} lives;;bio\n".encode()
    )
    package = read_text(path)
    cards = {c.external_id: c for c in package.cards}
    assert set(cards) == {"anki/g1/0", "anki/g2/0"}
    assert cards["anki/g1/0"].content.back == "to **eat**\nand dine"
    assert cards["anki/g1/0"].tags == ("imported", "verb")
    assert cards["anki/g1/0"].deck == "Words"
    assert cards["anki/g2/0"].content.kind is CardKind.CLOZE


def test_html_media_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "media.txt"
    path.write_text('#html:true\nA cell <img src="cell.png">\t[sound:say.mp3] ok\n', encoding="utf-8")
    (card,) = read_text(path).cards
    assert (card.content.front, card.content.back) == ("A cell [image: cell.png]", "[sound: say.mp3] ok")
    assert card.content.media == ("cell.png", "say.mp3")


@pytest.mark.parametrize(("line", "expected"), [("a\tb", "\t"), ("a;b", ";"), ("a|b", "|"), ("a,b", ",")])
def test_delimiter_detection(tmp_path: Path, line: str, expected: str) -> None:
    path = tmp_path / "x.txt"
    path.write_text(f"{line}\n", encoding="utf-8")
    card = read_text(path).cards[0]
    assert (card.content.front, card.content.back) == ("a", "b")
    assert expected


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\nc,\xff\xfe\n")
    with pytest.raises(ImportFormatError, match=r"bad.csv: line 2: invalid UTF-8"):
        read_text(path)


def test_reversed_and_typed_notetypes(tmp_path: Path) -> None:
    path = tmp_path / "n.tsv"
    path.write_text(
        "#notetype column:1\nBasic (and reversed card)\tdog\tchien\nBasic (type in the answer)\tQ\tA\n"
    )
    kinds = [(c.external_id[-1], c.content.kind, c.content.front) for c in read_text(path).cards]
    assert kinds == [
        ("0", CardKind.REVERSED, "dog"),
        ("1", CardKind.REVERSED, "chien"),
        ("0", CardKind.TYPED, "Q"),
    ]


def test_export_imports_into_anki(tmp_path: Path) -> None:
    records = [
        CardRecord(
            "d/a", "Words", CardContent(kind=CardKind.BASIC, front="one, two", back='say "hi"\nnow'), ("t1",)
        ),
        CardRecord("d/b", "Words::Sub", CardContent(kind=CardKind.CLOZE, text="A {{c1::b}}", cloze_ord=1)),
    ]
    out = tmp_path / "out.csv"
    write_text(out, records)
    anki = AnkiCollection(str(tmp_path / "oracle.anki2"))
    try:
        metadata = anki.get_csv_metadata(str(out), None)
        anki.import_csv(ImportCsvRequest(path=str(out), metadata=metadata))
        fields = sorted(
            tuple(html_to_text(f)[0] for f in anki.get_note(n).fields) for n in anki.find_notes("")
        )
        decks = {anki.decks.name(anki.get_card(c).did) for c in anki.find_cards("")}
        assert fields == [("A {{c1::b}}", ""), ("one, two", 'say "hi"\nnow')]
        assert decks == {"Words", "Words::Sub"}
        assert anki.find_notes("tag:t1")
    finally:
        anki.close()
    again = read_text(out)
    assert [c.content for c in again.cards] == [r.content for r in records]


safe_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
            blacklist_characters="\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
        ),
        min_size=1,
    )
    .map(str.strip)
    .filter(lambda s: bool(s) and "{{c" not in s and not s.startswith("#"))
    .filter(lambda s: unicodedata.is_normalized("NFC", s))  # Anki and trainer store NFC
)
tag = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_:-", min_size=1, max_size=8)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    notes=st.lists(
        st.tuples(safe_text, safe_text, st.lists(tag, max_size=3)),
        min_size=1,
        max_size=8,
        unique_by=lambda n: n[0],
    ),
    tsv=st.booleans(),
)
def test_round_trip_property(tmp_path: Path, notes: list[tuple[str, str, list[str]]], tsv: bool) -> None:
    records = [
        CardRecord(
            f"d/{i}", "Deck", CardContent(kind=CardKind.BASIC, front=f, back=b), tuple(dict.fromkeys(t))
        )
        for i, (f, b, t) in enumerate(notes)
    ]
    path = tmp_path / ("rt.tsv" if tsv else "rt.csv")
    write_text(path, records, delimiter="\t" if tsv else ",")
    back = read_text(path)
    assert [(c.content, c.tags, c.deck) for c in back.cards] == [(r.content, r.tags, r.deck) for r in records]


@pytest.mark.parametrize("safe", [False, True])
def test_export_quotes_hash_ids_and_escapes_formulas_only_when_asked(tmp_path: Path, safe: bool) -> None:
    """By default Anki stores every field as it was (`+1+1` stays `+1+1`); `spreadsheet_safe`
    puts a `'` before formula-like cells (which trainer removes again and Anki keeps)."""
    records = [
        CardRecord(
            "anki/#abc/0",
            "D",
            CardContent(kind=CardKind.BASIC, front="=1+2", back="@SUM(A1)"),
            group="anki/#abc",
        ),
        CardRecord(
            "anki/xyz/0",
            "D",
            CardContent(kind=CardKind.BASIC, front="-5", back="+cmd|' /C calc'!A0"),
            group="anki/xyz",
        ),
        CardRecord(
            "anki/#q/0", "D", CardContent(kind=CardKind.BASIC, front="'=kept", back="- item"), group="anki/#q"
        ),
    ]
    out = tmp_path / "out.csv"
    write_text(out, records, spreadsheet_safe=safe)
    text = out.read_text(encoding="utf-8")
    assert '\n"#abc",' in text and '\n"#q",' in text
    assert ("'=1+2" in text and "'@SUM(A1)" in text and ",-5," in text and "'+cmd" in text) is safe
    again = read_text(out)
    assert [c.content for c in again.cards] == [r.content for r in records]
    assert [c.external_id for c in again.cards] == [r.external_id for r in records]
    anki = AnkiCollection(str(tmp_path / "oracle.anki2"))
    try:
        metadata = anki.get_csv_metadata(str(out), None)
        anki.import_csv(ImportCsvRequest(path=str(out), metadata=metadata))
        notes = {
            anki.get_note(n).guid: html_to_text(anki.get_note(n).fields[0])[0] for n in anki.find_notes("")
        }
    finally:
        anki.close()
    if safe:
        assert notes == {"#abc": "'=1+2", "xyz": "-5", "#q": "''=kept"}  # the documented trade-off
    else:
        assert notes == {"#abc": "=1+2", "xyz": "-5", "#q": "'=kept"}  # exactly the card text


def test_large_fields_read_up_to_the_field_limit(tmp_path: Path) -> None:
    """csv's own 128 KB field limit no longer refuses fields the collection accepts (1 M)."""
    path = tmp_path / "big.csv"
    path.write_text(f"#html:true\n#separator:comma\n{'<b>' * 100_000}x,back\n", encoding="utf-8")
    (card,) = read_text(path).cards
    assert (card.content.front, card.content.back) == ("x", "back")
    path.write_text(f'#separator:comma\nq,"{"y" * 1_100_000}"\n', encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"big.csv: line 2: .*(field|too large)"):
        read_text(path)


_HOSTILE_LINES = {
    "unclosed quotes": 'a,"b\n',
    "lone quotes": '"\n',
    "comments": "#x,y\n",
    "CR only": "a,b\r",
    "bold cells": "<b>,<b>\n",
    "separators": ",,,,,,,,\n",
}


@pytest.mark.parametrize("name", sorted(_HOSTILE_LINES))
def test_hostile_files_read_in_linear_time(tmp_path: Path, name: str) -> None:
    """8x the file within 32x the CPU time (quadratic would be 64x); never a traceback."""

    def best(n: int) -> float:
        path = tmp_path / f"{n}.csv"
        path.write_text(_HOSTILE_LINES[name] * n, encoding="utf-8")

        def read() -> None:
            with contextlib.suppress(ImportFormatError):
                read_text(path)

        return best_cpu_seconds(read)

    small, large = best(2_000), best(2_000 * GROWTH)
    assert large <= BOUND * small + 0.05


def test_every_card_of_a_group_leaves_and_anki_makes_each(tmp_path: Path) -> None:
    """A compare set (cards sharing a group that no stock note type regenerates) leaves as one
    note per card; a cloze text and a reversed pair stay one note. Anki makes every card."""
    basic = CardKind.BASIC
    records = [
        CardRecord(
            f"d/set/{i}", "D", CardContent(kind=basic, front=f"Set - {i}: tone?", back=f"v{i}"), group="d/set"
        )
        for i in range(3)
    ]
    records += [
        CardRecord(f"d/c#c{n}", "D", CardContent(kind=CardKind.CLOZE, text="{{c1::a}} {{c2::b}}",
                   cloze_ord=n), group="d/c")
        for n in (1, 2)
    ]  # fmt: skip
    records += [
        CardRecord("d/r", "D", CardContent(kind=CardKind.REVERSED, front="x", back="y"), group="d/r"),
        CardRecord("d/r#rev", "D", CardContent(kind=CardKind.REVERSED, front="y", back="x"), group="d/r"),
    ]
    out = tmp_path / "out.csv"
    write_text(out, records)
    anki = AnkiCollection(str(tmp_path / "oracle.anki2"))
    try:
        metadata = anki.get_csv_metadata(str(out), None)
        anki.import_csv(ImportCsvRequest(path=str(out), metadata=metadata))
        cards = len(anki.find_cards(""))
        fronts = {html_to_text(anki.get_note(n).fields[0])[0] for n in anki.find_notes("")}
    finally:
        anki.close()
    assert cards == len(records)
    assert {f"Set - {i}: tone?" for i in range(3)} <= fronts
    again = read_text(out)
    assert len(again.cards) == len(records)  # trainer reads every card back too
