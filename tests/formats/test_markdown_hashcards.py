"""hashcards Markdown as hashcards reads it: separators, comments, front matter, deletions, bounds."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.core.cards import CardKind
from trainer.formats.markdown import cloze_text, read_markdown
from trainer.formats.safety import ImportFormatError

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "hashcards"

# Cards hashcards makes of each real file (one per Q:/A:, one per [deletion]), and the deck.
EXPECTED = {
    "cocos_LinearAlgebra.md": (48, "Linear Algebra"),
    "cocos_Statistics.md": (23, "Statistics"),
    "hashcards_example_Art.md": (2, "hashcards_example_Art"),
    "hashcards_example_Geography.md": (3, "hashcards_example_Geography"),
    "hashcards_example_Math.md": (9, "hashcards_example_Math"),
    "hashcards_example_Quotes.md": (3, "hashcards_example_Quotes"),
}


@pytest.mark.skipif(not REAL.is_dir(), reason=f"real hashcards files not found at {REAL}")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_files(name: str) -> None:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{path} not found")
    package = read_markdown(path)
    count, deck = EXPECTED[name]
    assert (len(package.cards), {c.deck for c in package.cards}, package.skipped) == (count, {deck}, [])
    for card in package.cards:
        c = card.content
        for text in (c.front, c.back, c.text):
            assert "<!--" not in text and "\n---" not in text and not text.endswith("---")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deck.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_separator_comment_and_html_comment_end_or_hide(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '---\nname = "Bio::Cells"\n---\n<!-- a note\nover two lines -->\nQ: What?\n# a comment\n'
        "A: This.\n<!-- hidden -->\nStill this.\n\n---\n\nnot a card\nC: A [b] and ![img](x.png) \\[c\\].\n",
    )
    package = read_markdown(path)
    assert [(c.deck, c.where) for c in package.cards] == [("Bio::Cells", "line 6"), ("Bio::Cells", "line 15")]
    assert package.cards[0].content.back == "This.\n\nStill this."
    assert package.cards[1].content.text == "A {{c1::b}} and ![img](x.png) [c]."
    assert read_markdown(path, deck="Mine").cards[0].deck == "Mine"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("A: alone\n", "an A: without a Q: before it"),
        ("Q: only\n", "a Q: without an A:"),
        ("Q: q\n---\nA: late\n", "an A: without a Q: before it"),
        ("C: no deletions\n", "a C: without [deletions]"),
        ("C: [a]\nA: wrong\n", "an A: without a Q: before it"),
    ],
)
def test_what_hashcards_refuses_is_skipped_with_a_reason(tmp_path: Path, text: str, why: str) -> None:
    assert why in [reason for _, reason in read_markdown(_write(tmp_path, text)).skipped]


def test_front_matter_never_closed_or_not_toml(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="never closed"):
        read_markdown(_write(tmp_path, "---\nname = 'x'\nQ: a\nA: b\n"))
    with pytest.raises(ImportFormatError, match="front matter: not TOML"):
        read_markdown(_write(tmp_path, "---\nname = \n---\nQ: a\nA: b\n"))


def test_cloze_scanning_as_hashcards() -> None:
    assert cloze_text("Foo [bar] baz [quux].") == ("Foo {{c1::bar}} baz {{c2::quux}}.", 2)
    assert cloze_text(r"\[markdown\] [`\[cloze\]`]") == ("[markdown] {{c1::`[cloze]`}}", 1)
    assert cloze_text("[a [b] c]") == ("a {{c1::b}} c", 1)
    assert cloze_text("![](i.png) [x]") == ("![](i.png) {{c1::x}}", 1)


def test_ten_thousand_and_one_clozes_are_skipped_not_a_crash(tmp_path: Path) -> None:
    path = _write(tmp_path, "C: " + " ".join(f"[w{i}]" for i in range(10_001)) + "\n")
    package = read_markdown(path)
    assert package.cards == []
    assert package.skipped == [("line 1", "10001 deletions in one C: card (at most 1000)")]


def test_cloze_cards_share_one_text_and_memory_stays_bounded(tmp_path: Path) -> None:
    """1,000 deletions in a 940 KB card: the cards share one string (was 14.7 GB for 9,999)."""
    filler = "x" * 930
    path = _write(tmp_path, "C: " + " ".join(f"{filler} [w{i}]" for i in range(1000)) + "\n")
    tracemalloc.start()
    package = read_markdown(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    texts = {id(c.content.text) for c in package.cards}
    assert len(package.cards) == 1000 and len(texts) == 1
    assert package.cards[-1].content.cloze_ord == 1000
    assert peak < 60 * 1024**2  # the file is under 1 MB; 1,000 copies would be about 1 GB


_LINES = st.sampled_from(
    ["Q: q", "A: a", "C: c [d]", "C: [", "]", "---", "# c", "<!--", "-->", "text", "", "![x](y)", "\\[", "A:"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_LINES, max_size=25).map("\n".join))
def test_any_line_mix_reads_without_error(tmp_path: Path, text: str) -> None:
    """Cards or one clear refusal (an unclosed front matter), never a traceback."""
    try:
        package = read_markdown(_write(tmp_path, text))
    except ImportFormatError as exc:
        assert "front matter" in str(exc)
        return
    for card in package.cards:
        c = card.content
        assert (c.kind is CardKind.BASIC and c.front and c.back) or (
            c.kind is CardKind.CLOZE and "{{c" in c.text
        )
