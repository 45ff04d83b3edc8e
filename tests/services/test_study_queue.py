"""The in-memory study queue never disagrees with a queue built afresh from the database.

Hypothesis drives a collection through answers, undos, changes made by another
connection (suspend, bury, edits), day boundaries and sibling burials; after every step
the cached service and a service with no cache must offer the same card, the same
counts and the same previews, for every study target.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from tests.conftest import FIXED_NOW, TEST_ZONE, Clock, write_deck
from trainer.collection import Collection, open_collection
from trainer.core.scheduling import Rating
from trainer.services.study import StudyService
from trainer.store import repo
from trainer.store.rawdb import RawDB
from trainer.views import StudyCard

TARGETS = (None, "Anatomy", "Anatomy::Nerves", "Physiology")


def deck(deck_id: str, name: str, n: int, reversed_from: int) -> str:
    cards = []
    for i in range(n):
        kind = 'kind = "reversed"\n' if i >= reversed_from else ""
        cards.append(
            f'\n[[cards]]\nid = "{deck_id}{i}"\n{kind}front = "Q{deck_id}{i}"\nback = "A{deck_id}{i}"\n'
        )
    return f'[deck]\nid = "{deck_id}"\nname = "{name}"\n{"".join(cards)}'


def build(folder: Path, clock: Clock) -> Collection:
    col = open_collection(folder / "col.sqlite3", clock=clock, zone=TEST_ZONE, install_bundled=False)
    files = [
        write_deck(folder / "a.toml", deck("a", "Anatomy", 6, 4)),
        write_deck(folder / "n.toml", deck("n", "Anatomy::Nerves", 8, 6)),
        write_deck(folder / "p.toml", deck("p", "Physiology", 9, 7)),
    ]
    col.load(files)
    with col.db.write() as session:  # small limits so that they bind
        session.execute(update(repo.presets_t).values(new_per_day=5, reviews_per_day=4))
    return col


def fingerprint(study: StudyCard | None) -> object:
    if study is None:
        return None
    previews = {r: (o.state.due, o.state.state, o.state.stability) for r, o in study.preview.outcomes.items()}
    return study.card.id, study.counts, previews


def fresh_service(col: Collection) -> tuple[StudyService, RawDB]:
    path = col.db.sqlite_path
    assert path is not None
    raw = RawDB.open_sqlite(path)
    return StudyService(raw, col.zone), raw


def assert_same(col: Collection) -> None:
    now = col.clock()
    service, raw = fresh_service(col)
    try:
        for target in TARGETS:
            assert fingerprint(col.next_card(target)) == fingerprint(service.next_card(target, now)), target
        assert col.decks() == service.deck_infos(now)
    finally:
        raw.close()


step = st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(TARGETS), st.sampled_from(list(Rating))),
    st.tuples(st.just("undo"), st.none(), st.none()),
    st.tuples(st.just("wait"), st.sampled_from([1, 11, 90, 60 * 20]), st.none()),
    st.tuples(st.just("suspend"), st.sampled_from(TARGETS), st.none()),
    st.tuples(st.just("bury"), st.sampled_from(TARGETS), st.none()),
    st.tuples(st.just("other-answer"), st.sampled_from(TARGETS), st.sampled_from(list(Rating))),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=5, max_size=40))
def test_cached_queue_equals_a_fresh_one(
    tmp_path_factory: object, steps: list[tuple[str, object, object]]
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        clock = Clock(FIXED_NOW)
        col = build(Path(folder), clock)
        other = open_collection(
            Path(folder) / "col.sqlite3", clock=clock, zone=TEST_ZONE, install_bundled=False
        )
        try:
            assert_same(col)
            for action, target, rating in steps:
                run(col, other, clock, action, target, rating)
                assert_same(col)
        finally:
            other.close()
            col.close()


def run(
    col: Collection, other: Collection, clock: Clock, action: str, target: object, rating: object
) -> None:
    if action == "wait":
        assert isinstance(target, int)
        clock.advance(minutes=target)
        return
    if action == "undo":
        col.undo()
        return
    assert target is None or isinstance(target, str)
    study = col.next_card(target)
    if study is None:
        return
    if action == "answer":
        assert isinstance(rating, Rating)
        col.answer(study.card.id, rating, duration_ms=1000)
    elif action == "other-answer":  # another process answers: the cached queue must notice
        assert isinstance(rating, Rating)
        other.answer(study.card.id, rating, duration_ms=1000)
    elif action == "suspend":
        col.set_suspended([study.card.id], True)
    elif action == "bury":
        col.bury(study.card.id)
    clock.advance(seconds=30)


def test_a_new_day_rebuilds_the_queue(tmp_path: Path) -> None:
    clock = Clock(FIXED_NOW)
    col = build(tmp_path, clock)
    try:
        for _ in range(5):
            study = col.next_card("Physiology")
            assert study is not None
            col.answer(study.card.id, Rating.GOOD)
        assert col.next_card("Physiology") is not None  # learning cards, learned ahead
        clock.advance(hours=1)
        assert fingerprint(col.next_card("Physiology")) is not None
        clock.now = FIXED_NOW + timedelta(days=1)
        study = col.next_card("Physiology")
        assert study is not None and study.counts.new == 5  # the new day's limit again
        assert_same(col)
    finally:
        col.close()
