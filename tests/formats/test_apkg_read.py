"""Reading Anki packages, compared with what Anki itself holds (the oracle)."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection as AnkiCollection

from tests.formats.anki_oracle import Built
from trainer.collection import Collection
from trainer.core.cards import CardKind
from trainer.core.scheduling import CardState, Rating
from trainer.formats.anki_sched import learning_step

LAYOUTS = ["legacy", "current", "colpkg", "colpkg-legacy", "no-meta"]


def anki_facts(path: Path) -> dict[str, dict[str, object]]:
    """Per stable id: deck, tags, suspended, memory state and review count, as Anki sees them."""
    anki = AnkiCollection(str(path))
    try:
        out: dict[str, dict[str, object]] = {}
        for cid in anki.find_cards(""):
            card = anki.get_card(cid)
            note = card.note()
            memory = card.memory_state
            out[f"anki/{note.guid}/{card.ord}"] = {
                "deck": anki.decks.name(card.did),
                "tags": sorted(note.tags),
                "suspended": card.queue == -1,
                "stability": round(memory.stability, 3) if memory else None,
                "difficulty": round(memory.difficulty, 3) if memory else None,
                "reviews": len(anki.db.list("select id from revlog where cid=? and ease>0", cid)),
                "new": card.type == 0,
            }
        return out
    finally:
        anki.close()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_import_matches_anki(
    layout: str, packages: dict[str, Path], anki_source: Built, col: Collection
) -> None:
    report = col.import_file(packages[layout])
    expected = anki_facts(anki_source.path)
    assert len(report.added) == anki_source.cards == len(expected)
    assert report.reviews == sum(int(f["reviews"]) for f in expected.values())  # type: ignore[call-overload]
    assert report.media == ["cell.png"]
    assert (col.db.sqlite_path.parent / "media" / "cell.png").is_file()  # type: ignore[union-attr]
    ids = {c.external_id: c for c in _all_cards(col)}
    assert set(ids) == set(expected)
    for external_id, facts in expected.items():
        card = ids[external_id]
        assert card.deck_name == facts["deck"]
        assert sorted(card.tags) == facts["tags"]
        assert card.suspended == facts["suspended"]
        assert (card.state.state is CardState.NEW) == facts["new"]
        if facts["stability"] is not None:
            assert card.state.stability == pytest.approx(facts["stability"], abs=1e-3)
            assert card.state.difficulty == pytest.approx(facts["difficulty"], abs=1e-3)
        assert len(col.history(card.id)) == facts["reviews"]
        assert all(entry.kind == "import" for entry in col.history(card.id))
    kinds = {c.content.kind for c in ids.values()}
    assert kinds == {CardKind.BASIC, CardKind.REVERSED, CardKind.CLOZE, CardKind.TYPED}
    cloze = sorted(
        (c for c in ids.values() if c.content.kind is CardKind.CLOZE), key=lambda c: c.content.cloze_ord
    )
    assert [c.question for c in cloze] == [
        "The [...] is the powerhouse of the cell",
        "The mitochondria is the [what?] of the cell",
    ]
    texts = {c.question: c.answer for c in ids.values()}
    assert texts["boire"] == "to drink\n(also: absorb)"
    assert texts["manger"] == "to **eat**"
    assert texts["A cell [image: cell.png]"] == "Cell & membrane"
    assert texts["Capital of France?"] == "Paris"
    image = next(c for c in ids.values() if c.question == "A cell [image: cell.png]")
    assert image.content.media == ("cell.png",)
    assert image.source == f"Anki package {packages[layout].name}"
    assert all(c.content.media == () for c in ids.values() if c is not image)


def _all_cards(col: Collection) -> list:  # type: ignore[type-arg]
    from sqlalchemy import select

    from trainer.store import repo

    with col.db.read() as session:
        ids = list(session.execute(select(repo.cards_t.c.id)).scalars())
    return [col.card(i) for i in ids]


def test_reimport_updates_in_place_and_keeps_progress(packages: dict[str, Path], col: Collection) -> None:
    col.import_file(packages["current"])
    study = col.next_card("Biology")
    assert study is not None
    col.answer(study.card.id, Rating.GOOD)
    before = col.card(study.card.id)
    again = col.import_file(packages["legacy"])
    assert again.added == [] and again.updated == [] and again.reviews == 0
    after = col.card(study.card.id)
    assert after.state == before.state
    assert len(_all_cards(col)) == 8


def test_no_scheduling_starts_fresh(packages: dict[str, Path], col: Collection) -> None:
    report = col.import_file(packages["current"], scheduling=False)
    assert report.reviews == 0
    cards = _all_cards(col)
    assert all(c.state.state is CardState.NEW and not c.suspended for c in cards)


def test_deck_option_nests_anki_decks(packages: dict[str, Path], col: Collection) -> None:
    col.import_file(packages["current"], deck="Imported")
    names = {d.name for d in col.decks()}
    assert "Imported::Lang::French::Verbs" in names and "Imported::Biology" in names


def test_sm2_history_gets_memory_state(anki_sm2_source: Built, tmp_path: Path, col: Collection) -> None:
    from tests.formats.anki_oracle import export_package

    package = export_package(anki_sm2_source.path, tmp_path / "sm2.apkg", legacy=False)
    col.import_file(package)
    reviewed = [c for c in _all_cards(col) if c.state.state is not CardState.NEW]
    assert reviewed, "the SM-2 collection has reviewed cards"
    for card in reviewed:
        assert card.state.stability is not None and card.state.stability > 0
        assert card.state.difficulty is not None and 1 <= card.state.difficulty <= 10
        assert card.state.last_review is not None and card.state.due is not None


@pytest.fixture(scope="module")
def learning_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A card Anki left in learning (step 2 of 3) in a deck with changed options, in both layouts."""
    from tests.formats.anki_oracle import build_learning, export_package

    folder = tmp_path_factory.mktemp("learning")
    built = build_learning(folder)
    return {
        "legacy": export_package(built.path, folder / "legacy.apkg", legacy=True),
        "current": export_package(built.path, folder / "current.apkg", legacy=False),
    }


@pytest.mark.parametrize("layout", ["legacy", "current"])
def test_learning_step_and_deck_options(
    layout: str, learning_packages: dict[str, Path], col: Collection
) -> None:
    from tests.formats.anki_oracle import PARAMS

    report = col.import_file(learning_packages[layout])
    assert report.presets_created == ["Anki: Hard stuff"]  # the unused "Default" options are left out
    (card,) = _all_cards(col)
    assert card.state.state is CardState.LEARNING
    assert card.state.step == 1  # one of three steps done: Anki's `left` says two remain
    preset = col.presets.get("Anki: Hard stuff").preset
    assert preset.parameters == pytest.approx(PARAMS, abs=1e-6)
    assert preset.desired_retention == pytest.approx(0.85)
    assert preset.learning_steps == (60, 600, 3600)
    assert preset.relearning_steps == (300,)
    assert (preset.new_per_day, preset.reviews_per_day) == (33, 333)
    assert col.presets.of_deck("Steps").name == "Anki: Hard stuff"
    assert card.question == "Bold **word**"
    assert card.answer == "_tilted_\nand **strong**"


@pytest.mark.parametrize(
    ("left", "steps", "expected"),
    [(2, 3, 1), (1002, 3, 1), (3, 3, 0), (1, 3, 2), (5, 3, 0), (0, 3, 2), (1, 0, 0)],
)
def test_learning_step_from_left(left: int, steps: int, expected: int) -> None:
    assert learning_step(left, steps) == expected
