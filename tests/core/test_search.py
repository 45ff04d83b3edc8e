"""Browse query parsing."""

from __future__ import annotations

import pytest

from trainer.core.search import QueryError, Term, parse_query


def test_every_kind_of_term() -> None:
    query = parse_query(
        'nerve deck:"Denervation::Causes" tag:recovery is:DUE kind:cloze -"axon loss" -is:suspended'
    )
    assert query.terms == (
        Term("text", "nerve"),
        Term("deck", "Denervation::Causes"),
        Term("tag", "recovery"),
        Term("is", "due"),
        Term("kind", "cloze"),
        Term("text", "axon loss", negated=True),
        Term("is", "suspended", negated=True),
    )


def test_empty_query_matches_everything() -> None:
    assert parse_query("   ").terms == ()


def test_unknown_prefix_is_text() -> None:
    assert parse_query("http://x").terms == (Term("text", "http://x"),)


@pytest.mark.parametrize("text", ["is:soon", "kind:essay", "deck:", "tag:"])
def test_bad_terms_explain_themselves(text: str) -> None:
    with pytest.raises(QueryError):
        parse_query(text)


def test_round_trip_to_text() -> None:
    text = 'deck:"A B" -tag:x "two words" is:new'
    assert str(parse_query(text)) == text
