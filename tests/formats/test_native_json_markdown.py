"""Native TOML decks, the JSON backup and Markdown Q:/A:/C: files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Clock
from trainer.collection import Collection, open_collection
from trainer.core.cards import CardContent, CardKind
from trainer.core.deckfile import parse_deck_file
from trainer.core.scheduling import Rating
from trainer.formats.markdown import read_markdown
from trainer.formats.model import CardRecord
from trainer.formats.native import write_native


def _cards(col: Collection) -> dict[str, tuple[Any, ...]]:
    from sqlalchemy import select

    from trainer.store import repo

    with col.db.read() as session:
        ids = list(session.execute(select(repo.cards_t.c.id)).scalars())
    out: dict[str, tuple[Any, ...]] = {}
    for i in ids:
        c = col.card(i)
        history = [
            (h.reviewed_at, h.rating, h.duration_ms, h.state_before, h.state_after) for h in col.history(i)
        ]
        out[c.external_id] = (c.deck_name, c.content, c.tags, c.state, c.queue, c.flag, tuple(history))
    return out


def _tables(col: Collection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of presets, decks, cards and reviews, ids replaced by the names they stand for."""
    from sqlalchemy import text

    with col.db.read() as session:

        def rows(sql: str) -> list[dict[str, object]]:
            return [dict(r._mapping) for r in session.execute(text(sql))]

        presets = rows("SELECT * FROM presets")
        decks = rows("SELECT * FROM decks")
        cards = rows("SELECT * FROM cards")
        reviews = rows("SELECT * FROM reviews")
    preset_names = {p["id"]: p["name"] for p in presets}
    deck_names = {d["id"]: d["name"] for d in decks}
    card_ids = {c["id"]: c["external_id"] for c in cards}

    def without(row: dict[str, object], *drop: str, **mapped: object) -> tuple[object, ...]:
        return tuple(sorted({**{k: v for k, v in row.items() if k not in drop}, **mapped}.items()))

    return {
        "presets": sorted((without(p, "id") for p in presets), key=repr),
        "decks": sorted(
            (without(d, "id", "preset_id", preset=preset_names[d["preset_id"]]) for d in decks), key=repr
        ),
        "cards": sorted(
            (without(c, "id", "deck_id", deck=deck_names[c["deck_id"]]) for c in cards), key=repr
        ),
        "reviews": sorted(
            (without(r, "id", "card_id", card=card_ids[r["card_id"]]) for r in reviews), key=repr
        ),
    }


def test_json_round_trip_is_lossless(
    packages: dict[str, Path], col: Collection, tmp_path: Path, clock: Clock
) -> None:
    col.import_file(packages["current"])
    study = col.next_card("Biology")
    assert study is not None
    col.answer(study.card.id, Rating.GOOD, duration_ms=3000)  # a review row with every column set
    second = col.next_card("Biology")
    assert second is not None
    col.answer(second.card.id, Rating.AGAIN, duration_ms=1234)
    col.bury(second.card.id)  # queue and buried_until
    col.set_flag(study.card.id, 3)
    clock.advance(minutes=5)
    edited = replace(col.card(study.card.id).content, front="edited front")
    col.edit_card(study.card.id, edited, tags=["edited"])  # modified_at differs from created_at
    out = tmp_path / "backup.json"
    report = col.export_file(out)
    assert report.cards == 8 and report.reviews > 0
    other = open_collection(tmp_path / "other" / "col.sqlite3", clock=clock, install_bundled=False)
    try:
        other.import_file(out)
        theirs, ours = _tables(other), _tables(col)
        assert theirs["presets"] == ours["presets"]
        assert theirs["decks"] == ours["decks"]
        assert theirs["reviews"] == ours["reviews"]
        assert theirs["cards"] == ours["cards"]
        reviews: list[dict[str, Any]] = [dict(r) for r in ours["reviews"]]
        cards: list[dict[str, Any]] = [dict(c) for c in ours["cards"]]
        assert any(
            r["kind"] == "review" and r["duration_ms"] == 1234 and r["step_after"] is not None
            for r in reviews
        )
        assert any(c["buried_until"] is not None for c in cards) and any(c["flag"] == 3 for c in cards)
        assert any(c["modified_at"] != c["created_at"] for c in cards)
        assert _cards(other) == _cards(col)
    finally:
        other.close()


def test_native_export_loads_back(packages: dict[str, Path], col: Collection, tmp_path: Path) -> None:
    col.import_file(packages["current"])
    out = tmp_path / "verbs.toml"
    col.export_file(out, deck="Lang::French::Verbs")
    spec = parse_deck_file(out)
    assert spec.name == "Lang::French::Verbs"
    theirs = sorted((c.content.front, c.content.back) for c in spec.cards)
    ours = sorted((c[1].front, c[1].back) for c in _cards(col).values() if c[0] == "Lang::French::Verbs")
    assert theirs == ours
    report = col.load([out])
    assert len(report.added) == 4


safe = (
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(lambda s: bool(s) and "{{" not in s and "\u202e" not in s)
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(safe, safe, st.sampled_from(["basic", "reversed", "typed"])), min_size=1, max_size=6)
)
def test_native_round_trip_property(tmp_path: Path, notes: list[tuple[str, str, str]]) -> None:
    records: list[CardRecord] = []
    for i, (front, back, kind) in enumerate(notes):
        if kind == "typed":
            content = CardContent(kind=CardKind.TYPED, front=front, back=back, answers=(back,))
        else:
            content = CardContent(kind=CardKind(kind), front=front, back=back)
        records.append(CardRecord(f"x/n{i}", "Deck::Sub", content, ("t",)))
    path = tmp_path / "deck.toml"
    write_native(path, records, None)
    spec = parse_deck_file(path)
    # a reversed card without its reverse is written as the one card it is (a basic card)
    expected = [
        CardContent(kind=CardKind.BASIC, front=r.content.front, back=r.content.back)
        if r.content.kind is CardKind.REVERSED
        else r.content
        for r in records
    ]
    assert [c.content for c in spec.cards] == expected
    assert all(c.tags == ("t",) for c in spec.cards)


def test_markdown_cards(tmp_path: Path, col: Collection) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "# Biology\n\nQ: What is the powerhouse\nof the cell?\nA: The mitochondria.\n\n"
        "C: Speech is [silver], silence is [gold].\n\nQ: orphan question\n",
        encoding="utf-8",
    )
    package = read_markdown(path)
    kinds = [(c.content.kind, c.content.cloze_ord) for c in package.cards]
    assert kinds == [(CardKind.BASIC, 0), (CardKind.CLOZE, 1), (CardKind.CLOZE, 2)]
    assert package.cards[0].content.front == "What is the powerhouse\nof the cell?"
    assert package.cards[1].content.text == "Speech is {{c1::silver}}, silence is {{c2::gold}}."
    assert package.skipped == [("line 9", "a Q: without an A:")]
    first = col.import_file(path, deck="Bio")
    second = col.import_file(path, deck="Bio")
    assert len(first.added) == 3 and second.added == [] and second.unchanged == 3


def test_collection_export_is_one_file_with_sources_and_descriptions(col: Collection, tmp_path: Path) -> None:
    """`trainer export all.toml`: one file that imports back card for card (compare sets too),
    with each deck's description and sources and each card's source; `split` writes deck files."""
    from trainer.paths import bundled_decks_dir
    from trainer.services.io_export import collect_cards

    if not bundled_decks_dir().is_dir():
        pytest.skip("bundled decks not found")
    col.load_bundled()
    out = tmp_path / "all.toml"
    report = col.export_file(out)
    assert report.files == [str(out)] and sorted(tmp_path.glob("*.toml")) == [out]
    other = open_collection(tmp_path / "other.sqlite3", install_bundled=False)
    try:
        assert len(other.import_file(out).added) == report.cards

        def seen(c: Collection) -> list[tuple[object, ...]]:
            return sorted(
                (r.deck, r.content.kind, r.content.front, r.content.back, r.content.text, r.source, r.tags)
                for r in collect_cards(c.db, None, scheduling=False)
            )

        assert seen(other) == seen(col)
        assert {d.name: (d.description, d.sources) for d in _deck_rows(other)} == {
            d.name: (d.description, d.sources) for d in _deck_rows(col)
        }
    finally:
        other.close()
    (tmp_path / "split").mkdir()
    written = col.export_file(tmp_path / "split" / "all.toml", split=True).files
    assert len(written) == len({r.deck for r in collect_cards(col.db, None, scheduling=False)}) > 1
    assert sum(len(parse_deck_file(Path(f)).cards) for f in written) == report.cards


def _deck_rows(col: Collection) -> list:  # type: ignore[type-arg]
    from sqlalchemy import select

    from trainer.store import repo

    with col.db.read() as session:
        return list(session.execute(select(repo.decks_t)).all())


def test_toml_export_keeps_the_deck_and_card_ids_it_was_loaded_with(col: Collection, tmp_path: Path) -> None:
    """Decks leave with their own external ids (not a slug of their name), so the cards of a
    bundled deck import back onto themselves instead of as duplicates."""
    import tomllib

    from trainer.paths import bundled_decks_dir

    if not bundled_decks_dir().is_dir():
        pytest.skip("bundled decks not found")
    col.load_bundled()
    out = tmp_path / "all.toml"
    col.export_file(out)
    written = {d["deck"]["id"] for d in tomllib.loads(out.read_text(encoding="utf-8"))["decks"]}
    stored = {d.external_id for d in _deck_rows(col) if d.external_id}
    assert written <= stored and "denervation.muscle-skin-organs" in written
    from trainer.services.io_export import collect_cards

    cards = collect_cards(col.db, None, scheduling=False)
    assert any(r.content.group_title for r in cards)  # compare sets leave as [[compare]] tables
    report = col.import_file(out)
    assert (len(report.added), report.updated, report.unchanged) == (0, [], len(cards))
    split = tmp_path / "split"
    split.mkdir()
    col.export_file(split / "s.toml", split=True)
    loaded = col.load([split])
    assert (len(loaded.added), loaded.changed, loaded.suspended, loaded.unchanged) == (0, [], [], len(cards))
