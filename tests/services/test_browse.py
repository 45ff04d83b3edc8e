"""Searching the collection in SQL, and resetting cards."""

from __future__ import annotations

import pytest

from tests.tui.conftest import DECK
from trainer.collection import Collection
from trainer.core.scheduling import Rating
from trainer.core.search import QueryError


@pytest.fixture
def demo(col: Collection, tmp_path: object) -> Collection:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    path = tmp_path / "demo.toml"
    path.write_text(DECK + '\n[[cards]]\nid = "pct"\nfront = "100% sure_ly"\nback = "x"\ntags = ["odd"]\n')
    col.load([path])
    return col


def kinds(cards: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(c.content.kind.value for c in cards)


def test_text_deck_tag_kind(demo: Collection) -> None:
    assert len(demo.search("")) == 13
    assert [c.question for c in demo.search("axons regrow")] == ["How fast do axons regrow?"]
    assert len(demo.search("deck:demo")) == 13 and demo.search("deck:Nope") == []
    assert kinds(demo.search("kind:typed")) == ["typed"]
    assert [c.external_id for c in demo.search("tag:odd")] == ["tui.demo/pct"]
    assert len(demo.search("-kind:basic")) == 8  # 3 of them from the compare set


def test_like_wildcards_are_literal(demo: Collection) -> None:
    assert [c.external_id for c in demo.search('"100%"')] == ["tui.demo/pct"]
    assert demo.search("1%0") == []
    assert [c.external_id for c in demo.search("sure_ly")] == ["tui.demo/pct"]


def test_states(demo: Collection) -> None:
    card = demo.search("kind:typed")[0]
    assert len(demo.search("is:new")) == 13
    demo.answer(card.id, Rating.GOOD)
    assert [c.id for c in demo.search("is:learning")] == [card.id]
    assert [c.id for c in demo.search("is:due")] == [card.id]  # due in 10 minutes, today
    other = demo.search("kind:cloze")[0]
    demo.set_suspended([other.id], True)
    assert [c.id for c in demo.search("is:suspended")] == [other.id]
    demo.bury(demo.search("kind:choice")[0].id)
    assert kinds(demo.search("is:buried")) == ["choice"]
    assert demo.search("is:leech") == [] and demo.search("is:review") == []
    with pytest.raises(QueryError):
        demo.search("is:nothing")


def test_reset_keeps_history(demo: Collection) -> None:
    card = demo.search("kind:typed")[0]
    demo.answer(card.id, Rating.EASY)
    assert demo.card(card.id).state.stability is not None
    demo.reset_card(card.id)
    after = demo.card(card.id)
    assert after.state.stability is None and after.state.due is None and after.queue == 0
    assert len(demo.history(card.id)) == 1
    with pytest.raises(LookupError):
        demo.reset_card(99999)


def test_anki_syntax_over_the_collection(demo: Collection) -> None:
    regrow = demo.search("axons regrow")[0]
    assert [c.id for c in demo.search('"axons regrow" OR tag:odd')] == [
        regrow.id,
        demo.search("tag:odd")[0].id,
    ]
    assert demo.search("kind") == []  # visible text only, not the stored field names
    assert demo.search("odd") == []  # nor the tags
    assert [c.id for c in demo.search("(axons OR nothing) -tag:odd is:new -kind:choice")] == [regrow.id]
    demo.set_flag(regrow.id, 2)
    assert [c.id for c in demo.search("flag:2")] == [regrow.id]
    demo.answer(regrow.id, Rating.EASY)
    assert [c.id for c in demo.search("rated:1")] == [regrow.id]
    assert [c.id for c in demo.search("rated:1:4 prop:reps=1")] == [regrow.id]
    assert demo.search("rated:1:1") == []
    assert len(demo.search("added:1")) == 13
    with pytest.raises(QueryError, match="not supported"):
        demo.search("dupe:1,2")


def test_paging_past_the_first_page(demo: Collection) -> None:
    from trainer.core.search import parse_query
    from trainer.services.browse import BrowseService

    service = BrowseService(demo.db, demo.zone)
    first = service.page(parse_query(""), demo.clock(), offset=0, limit=5, sort="question")
    rest = service.page(parse_query(""), demo.clock(), offset=5, limit=100, sort="question")
    assert first.total == rest.total == 13
    questions = [c.question.casefold() for c in first.cards + rest.cards]
    assert questions == sorted(questions) and len(questions) == 13
