"""Browse query parsing."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from trainer.core.search import CardFacts, QueryError, Term, matches, parse_query


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


def test_or_groups_and_negated_groups() -> None:
    query = parse_query("a (tag:x OR tag:y) -(is:new or flag:1)")
    assert str(query) == "a (tag:x OR tag:y) -(is:new OR flag:1)"
    with pytest.raises(ValueError):
        _ = query.terms
    assert str(parse_query("a or b c")) == "a OR (b c)"  # AND binds tighter, as in Anki


@pytest.mark.parametrize(
    ("text", "message"),
    [("nid:123", "not supported"), ("re:ab+", "not supported"), ("(a", "without its ')'"),
     ("a)", "without its '('"), ("a OR", "ends too early"), ("prop:ease>2", "prop:ivl"),
     ("flag:9", "0 (no flag) to 7"), ("rated:0", "N days"), ("rated:3:5", "1-4")],
)  # fmt: skip
def test_unsupported_or_malformed_syntax_says_so(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_query(text)


def facts(**changes: object) -> CardFacts:
    base = CardFacts(text="Wallerian degeneration\nafter axotomy", tags=("nerve::injury", "leech"),
                     deck="Denervation::Causes", kind="basic", queue=2, due_today=True, due_in_days=0,
                     interval_days=12, flag=3, reps=5, lapses=1, stability=12.5, difficulty=6.0,
                     added_days_ago=2, rated=((0, 3), (4, 1)))  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("waller*", True), ("walLER", True), ("nerve", False),  # tags are not card text
     ("deck:Denervation", True), ("deck:denervation::*", True), ("deck:Causes", False), ("deck:D*", True),
     ("tag:nerve", True), ("tag:nerve::injury", True), ("tag:injury", False), ("tag:ner*", True),
     ("flag:3", True), ("flag:1", False), ("prop:ivl>=10", True), ("prop:ivl>12", False),
     ("prop:lapses=1", True), ("prop:s>12", True), ("is:due", True), ("is:review", True), ("is:learn", False),
     ("rated:1", True), ("rated:1:1", False), ("rated:5:1", True), ("added:2", False), ("added:3", True),
     ("is:new OR flag:3", True), ("-(is:new OR flag:3)", False),
     ("(axotomy OR nothing) deck:Denervation", True)],
)  # fmt: skip
def test_matching_one_card(text: str, expected: bool) -> None:
    assert matches(parse_query(text).root, facts()) is expected
