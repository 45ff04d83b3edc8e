"""The statistics report, checked against Anki's own numbers on the same history.

The history is made in trainer (a review-log import replayed through its scheduler),
then written into an Anki collection (notes, cards and revlog rows with the same times,
buttons, intervals and kinds), and Anki's backend `graphs()` computes its statistics.
Anki's graphs count days from the real clock, so this test runs at the real time,
fixed once at its start.

True retention counts every answer of a review card, same-day repeats included, as Anki
does; the report keeps the first-answer-of-the-day figure as `first_of_day_retention`
(`test_first_of_day_rule_on_a_history_with_repeats` checks that rule).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import TEST_ZONE, Clock
from trainer.collection import Collection, open_collection
from trainer.core.stats import DAY_MS

anki_collection = pytest.importorskip("anki.collection")


def write_log(path: Path, now: datetime, cards: int = 40, seed: int = 7, repeat_any: bool = False) -> Path:
    """A synthetic review log over the last 60 days; a card is seen again 10 minutes later
    after Again (or after any answer, with `repeat_any`)."""
    rng = random.Random(seed)
    lines = ["card_id,review_time,review_rating,review_duration"]
    for card in range(1, cards + 1):
        t = now - timedelta(days=60 - rng.randint(0, 20), hours=rng.randint(0, 10))
        while t < now - timedelta(minutes=5):
            rating = rng.choices([1, 2, 3, 4], [0.15, 0.1, 0.65, 0.1])[0]
            lines.append(f"{card},{t.isoformat()},{rating},{rng.randint(2000, 20000)}")
            again_soon = (rating == 1 or repeat_any) and rng.random() < 0.5
            t += timedelta(minutes=10) if again_soon else timedelta(days=rng.choice([1, 2, 3, 5, 8, 13]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def anki_mirror(col: Collection, folder: Path) -> object:
    """An Anki collection holding trainer's cards and review log."""
    anki = anki_collection.Collection(str(folder / "mirror.anki2"))
    anki.set_config("fsrs", False)
    deck_id = anki.decks.id("Imported review log")
    model = anki.models.by_name("Basic")
    with col.db.read() as session:
        cards = list(session.execute(text("SELECT id, state, queue, due, last_review FROM cards")))
        reviews = list(session.execute(text("SELECT * FROM reviews ORDER BY reviewed_at, id")))
    ids: dict[int, int] = {}
    for card_id, state, _queue, due, last in cards:
        note = anki.new_note(model)
        note.fields[0] = f"card {card_id}"
        anki.add_note(note, deck_id)
        cid = note.card_ids()[0]
        ids[card_id] = cid
        ivl = round((due - last) / DAY_MS) if state == 2 else 0
        card_type = {0: 0, 1: 1, 2: 2, 3: 3}[state]
        queue = {0: 0, 1: 1, 2: 2, 3: 1}[state]
        anki.db.execute("update cards set type=?, queue=?, ivl=? where id=?", card_type, queue, ivl, cid)
    used: set[int] = set()
    for r in reviews:
        rid = r.reviewed_at
        while rid in used:
            rid += 1
        used.add(rid)
        kind = {0: 0, 1: 0, 2: 1, 3: 2}[r.state_before]
        last_ivl = round((r.due_before - r.last_review_before) / DAY_MS) if r.state_before == 2 else -60
        ivl = round((r.due_after - r.reviewed_at) / DAY_MS) if r.state_after == 2 else -600
        anki.db.execute(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " values (?,?,?,?,?,?,?,?,?)",
            rid, ids[r.card_id], -1, r.rating, ivl, last_ivl, 2500, r.duration_ms, kind,
        )  # fmt: skip
    return anki


@pytest.fixture
def real_now_col(tmp_path: Path) -> Collection:
    now = datetime.now(UTC).replace(microsecond=0)
    collection = open_collection(
        tmp_path / "c.sqlite3", clock=Clock(now), zone=TEST_ZONE, install_bundled=False
    )
    collection.optimizer.import_review_log(write_log(tmp_path / "log.csv", now))
    return collection


def test_counts_and_retention_equal_anki(real_now_col: Collection, tmp_path: Path) -> None:
    col = real_now_col
    anki = anki_mirror(col, tmp_path)
    try:
        graphs = anki._backend.graphs(search="", days=365)  # type: ignore[attr-defined]
        report = col.stats_report(days=365)
    finally:
        anki.close()  # type: ignore[attr-defined]
        col.close()
    # reviews per day, by class
    anki_days = {int(k): v for k, v in graphs.reviews.count.items()}
    ours = {(r.day - report.today_date).days: r.counts for r in report.reviews if r.total}
    assert ours, "the history has reviews"
    assert set(ours) == set(anki_days)
    for day, counts in ours.items():
        a = anki_days[day]
        assert counts == (a.learn, a.young, a.mature, a.relearn), day
    # card counts
    cc = graphs.card_counts.including_inactive
    mine = report.card_counts
    assert (mine.new, mine.learning, mine.relearning, mine.young, mine.mature) == (
        cc.newCards, cc.learn, cc.relearn, cc.young, cc.mature,
    )  # fmt: skip
    # true retention
    for period in ("today", "yesterday", "week", "month", "year"):
        a = getattr(graphs.true_retention, period)
        m = report.retention[period]
        assert (m.young_passed, m.young_failed, m.mature_passed, m.mature_failed) == (
            a.young_passed, a.young_failed, a.mature_passed, a.mature_failed,
        ), period  # fmt: skip
    assert report.retention["month"].young_passed > 0
    # today
    assert report.today.reviews == graphs.today.answer_count
    assert report.today.reviews - report.today.again == graphs.today.correct_count


def test_report_scopes_and_mastery(col: Collection, clock: Clock, tmp_path: Path) -> None:
    col.optimizer.import_review_log(write_log(tmp_path / "a.csv", clock.now, cards=10, seed=1), deck="A")
    col.optimizer.import_review_log(write_log(tmp_path / "b.csv", clock.now, cards=5, seed=2), deck="B::C")
    whole = col.stats_report()
    only_b = col.stats_report("B")
    assert whole.card_counts.total == 15
    assert only_b.card_counts.total == 5
    assert only_b.deck == "B"
    assert sum(r.total for r in only_b.reviews) < sum(r.total for r in whole.reviews)
    decks = {m.name: m for m in whole.mastery if m.kind == "deck"}
    assert set(decks) == {"A", "B::C"}
    weakest = decks["A"].weakest
    assert weakest and weakest[0].question.startswith("Imported card ")
    assert [w.retrievability for w in weakest] == sorted(w.retrievability for w in weakest)
    assert 0 < whole.knowledge <= whole.studied == 15
    assert sum(whole.calendar) == sum(c for c in (sum(r.counts) for r in col.stats_report(days=365).reviews))
    data = whole.to_dict()
    assert data["card_counts"]["total"] == 15 and len(data["hours"]) == 24
    with pytest.raises(LookupError):
        col.stats_report("missing")


def test_confusion_matrix_from_quiz_answers(col: Collection, clock: Clock, tmp_path: Path) -> None:
    col.optimizer.import_review_log(write_log(tmp_path / "a.csv", clock.now, cards=2), deck="A")
    with col.db.write() as session:
        for correct, given, expected in [
            (False, "ulnar", "median"),
            (False, "ulnar", "median"),
            (True, "x", "x"),
        ]:
            session.execute(
                text(
                    "INSERT INTO quiz_answers (card_id, answered_at, mode, correct, given, expected,"
                    " group_id, duration_ms) VALUES (1, :t, 'choice', :c, :g, :e, 'nerves', 0)"
                ),
                {"t": int(clock.now.timestamp() * 1000), "c": correct, "g": given, "e": expected},
            )
    (only,) = col.stats_report().confusion
    assert (only.group_id, only.expected, only.given, only.count) == ("nerves", "median", "ulnar", 2)


def test_true_retention_counts_every_review_answer(col: Collection, clock: Clock, tmp_path: Path) -> None:
    start = clock.now - timedelta(days=40)
    rows = ["card_id,review_time,review_rating,review_duration"]
    for day, rating in [(0, 3), (3, 3), (10, 3), (30, 3)]:
        rows.append(f"1,{(start + timedelta(days=day)).isoformat()},{rating},1000")
    # day 40 (today): a pass first, then a fail 5 minutes later, both on a review card
    rows.append(f"1,{(clock.now - timedelta(minutes=10)).isoformat()},3,1000")
    rows.append(f"1,{(clock.now - timedelta(minutes=5)).isoformat()},1,1000")
    (tmp_path / "r.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    col.optimizer.import_review_log(tmp_path / "r.csv")
    report = col.stats_report()
    today = report.retention["today"]  # Anki's: every answer, the repeat included
    assert (today.mature_passed, today.mature_failed, today.young_passed) == (1, 1, 0)
    first = report.first_of_day_retention["today"]
    assert (first.mature_passed, first.mature_failed, first.young_passed) == (1, 0, 0)
    assert col.stats_report().today.again == 1


def test_first_of_day_rule_on_a_history_with_repeats(col: Collection, clock: Clock, tmp_path: Path) -> None:
    col.optimizer.import_review_log(
        write_log(tmp_path / "r.csv", clock.now, cards=60, seed=3, repeat_any=True)
    )
    report = col.stats_report(days=30)
    with col.db.read() as session:
        rows = session.execute(
            text(
                "SELECT card_id, reviewed_at, rating, due_before, last_review_before FROM reviews"
                " WHERE state_before = 2 ORDER BY reviewed_at, id"
            )
        ).all()
    from trainer.core import days as days_mod

    start = days_mod.next_day_start(clock.now, TEST_ZONE, 4)
    nds = int(start.timestamp() * 1000)
    seen: set[tuple[int, int]] = set()
    expected = {"month": [0, 0, 0, 0], "year": [0, 0, 0, 0]}
    repeats = 0
    for card, at, rating, due_before, last_before in rows:
        day = (at - nds) // DAY_MS + 1
        if (card, day) in seen:
            repeats += 1
            continue
        seen.add((card, day))
        mature = due_before - last_before >= 20.5 * DAY_MS
        slot = (2 if mature else 0) + (0 if rating > 1 else 1)
        for name, first in (("month", -29), ("year", -364)):
            if day >= first:
                expected[name][slot] += 1
    assert repeats > 0, "the history has same-day repeats of review cards"
    for name in ("month", "year"):
        m = report.first_of_day_retention[name]
        assert [m.young_passed, m.young_failed, m.mature_passed, m.mature_failed] == expected[name], name
    deck = next(t for t in report.mastery if t.kind == "deck")
    assert deck.reviews == sum(expected["month"])


def test_report_on_postgres_equals_sqlite(col: Collection, clock: Clock, tmp_path: Path) -> None:
    """The same log imported into PostgreSQL and SQLite gives the same report (portable SQL)."""
    import os

    from tests.store.test_postgres import fresh_schema_url

    url = os.environ.get("TRAINER_TEST_PG_URL")
    if not url:
        pytest.skip("TRAINER_TEST_PG_URL is not set (.ci/postgres.sh starts a local server and sets it)")
    log = write_log(tmp_path / "log.csv", clock.now, cards=30, repeat_any=True)
    col.optimizer.import_review_log(log)
    pg = open_collection(fresh_schema_url(url, "s"), clock=clock, zone=TEST_ZONE, install_bundled=False)
    try:
        pg.optimizer.import_review_log(log)
        for deck in (None, "Imported review log"):
            expected, got = (
                col.stats_report(deck, days=90).to_dict(),
                pg.stats_report(deck, days=90).to_dict(),
            )
            for data in (expected, got):
                data["knowledge"] = round(data["knowledge"], 9)
                data["average_retrievability"] = round(data["average_retrievability"], 9)
                data["daily_load"] = round(data["daily_load"], 9)
                for topic in data["mastery"]:
                    topic["average_retrievability"] = round(topic["average_retrievability"], 9)
                    topic["weakest"] = [
                        (w["card_id"] > 0, round(w["retrievability"], 9)) for w in topic["weakest"]
                    ]
            assert got == expected
    finally:
        pg.close()


def test_report_leaves_the_collector_and_page_cache_as_they_were(
    col: Collection, clock: Clock, tmp_path: Path
) -> None:
    import gc

    col.optimizer.import_review_log(write_log(tmp_path / "log.csv", clock.now, cards=5))
    with col.db.read() as session:
        before = session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
    report = col.stats_report(days=7)
    assert report.card_counts.total == 5
    assert gc.isenabled()
    with col.db.read() as session:
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == before


def test_report_equals_a_straightforward_computation(col: Collection, clock: Clock, tmp_path: Path) -> None:
    """The SQL-grouped report equals the definitions computed row by row in Python (every card
    through `ReferenceCardPass.feed`, every log row one at a time)."""
    import json

    from tests.stats_oracle import ReferenceCardPass
    from trainer.core import days
    from trainer.core.stats import PERIODS, RetentionCounts, streaks
    from trainer.store.models import to_millis

    col.optimizer.import_review_log(write_log(tmp_path / "log.csv", clock.now, cards=60, repeat_any=True))
    with col.db.write() as session:
        session.execute(text("UPDATE cards SET queue = -1 WHERE id % 7 = 0"))
        session.execute(text("UPDATE cards SET tags = ' a b ', group_id = 'g' WHERE id % 3 = 0"))
    period = 30
    report = col.stats_report(days=period)
    now = clock.now
    nds = to_millis(days.next_day_start(now, TEST_ZONE, 4))
    offset = int(now.astimezone(TEST_ZONE).utcoffset().total_seconds() * 1000)  # type: ignore[union-attr]
    with col.db.read() as session:
        cards = [tuple(r) for r in session.execute(text(
            "SELECT id, deck_id, tags, group_id, state, queue, stability, difficulty, last_review, due,"
            " created_at FROM cards ORDER BY id"))]  # fmt: skip
        log = [tuple(r) for r in session.execute(text(
            "SELECT id, card_id, reviewed_at, rating, duration_ms, state_before, due_before,"
            " last_review_before FROM reviews WHERE kind IN ('review', 'import') ORDER BY id"))]  # fmt: skip
        decay = {
            int(i): float(json.loads(p)[20])
            for i, p in session.execute(
                text("SELECT d.id, p.parameters FROM decks d JOIN presets p ON p.id = d.preset_id")
            )
        }  # fmt: skip
        names = {int(i): str(n) for i, n in session.execute(text("SELECT id, name FROM decks"))}
    assert report.today_date == days.study_date(now, TEST_ZONE, 4)
    reference = ReferenceCardPass(to_millis(now), nds, period, decay)
    reference.feed(cards, names)
    hists = reference.histograms()
    assert report.card_counts == reference.card_counts()
    assert report.future_due == tuple(reference.future_due) and report.added == tuple(reference.added)
    assert report.daily_load == reference.load and report.knowledge == reference.knowledge
    assert (report.intervals, report.stability, report.difficulty, report.retrievability) == hists
    assert report.studied == len(reference.rs)
    for topic in report.mastery:
        acc = reference.topics[(topic.kind, topic.name)]
        assert (topic.cards, topic.studied) == (acc.cards, acc.studied)
        assert topic.average_retrievability == (acc.r_sum / acc.studied if acc.studied else None)
        assert [(w.card_id, w.retrievability) for w in topic.weakest] == acc.weakest_first()
    per_day: dict[int, list[list[int]]] = {}
    buttons = {name: [0, 0, 0, 0] for name in ("learning", "young", "mature")}
    hours = [[0, 0] for _ in range(24)]
    first: dict[tuple[int, int], tuple[int, int, bool, int]] = {}
    every: list[tuple[int, bool, int]] = []
    for rid, card, at, rating, ms, before, due, last in log:
        day = (at - nds) // DAY_MS + 1
        mature = before == 2 and due - last >= 21 * DAY_MS - DAY_MS // 2
        cls = 3 if before == 3 else (2 if mature else 1) if before == 2 else 0
        entry = per_day.setdefault(day, [[0] * 4, [0] * 4, [0]])
        entry[0][cls] += 1
        entry[1][cls] += ms
        entry[2][0] += rating == 1
        if day > -period:
            buttons[("learning", "young", "mature", "learning")[cls]][rating - 1] += 1
            hours[(at + offset) // 3_600_000 % 24][0] += 1
            hours[(at + offset) // 3_600_000 % 24][1] += rating > 1
        if before == 2 and ((card, day) not in first or (at, rid) < first[(card, day)][:2]):
            first[(card, day)] = (at, rid, mature, rating)
        if before == 2:
            every.append((day, mature, rating))
    assert [(r.counts, r.time_ms) for r in report.reviews] == [
        (tuple(per_day.get(d, [[0] * 4])[0]), tuple(per_day.get(d, [[0] * 4, [0] * 4])[1]))
        for d in range(1 - period, 1)
    ]
    assert report.calendar == tuple(sum(per_day[d][0]) if d in per_day else 0 for d in range(-364, 1))
    assert (report.streak_current, report.streak_longest) == streaks(per_day)
    assert report.today.again == per_day.get(0, [[0], [0], [0]])[2][0]
    assert report.buttons == {k: tuple(v) for k, v in buttons.items()}
    assert report.hours == tuple((a, b) for a, b in hours)
    retention = {name: RetentionCounts() for name, _, _ in PERIODS}
    for day, mature, rating in every:  # Anki's true retention: every answer of a review card
        for name, start, end in PERIODS:
            if start <= day <= end:
                retention[name].add(mature, rating > 1)
    assert report.retention == retention
    first_of_day = {name: RetentionCounts() for name, _, _ in PERIODS}
    for (_card, day), (_at, _rid, mature, rating) in first.items():
        for name, start, end in PERIODS:
            if start <= day <= end:
                first_of_day[name].add(mature, rating > 1)
    assert report.first_of_day_retention == first_of_day
    topics_of = {
        card[0]: {("deck", names[card[1]]), *(("tag", t) for t in card[2].split()), ("set", card[3])}
        for card in cards
    }
    for topic in report.mastery:
        answers = [
            rating > 1
            for (card, day), (_at, _rid, _mature, rating) in first.items()
            if day > -period and (topic.kind, topic.name) in topics_of[card]
        ]
        assert (topic.reviews, topic.retention) == (
            len(answers),
            sum(answers) / len(answers) if answers else None,
        )
    assert any(
        n > 1 for n in Counter((c, d) for _i, c, at, *_ in log for d in [(at - nds) // DAY_MS]).values()
    )


@pytest.mark.parametrize("zone_name", ["Europe/Paris", "Asia/Kolkata"])  # hourly buckets; half-hour offset
def test_streaks_reach_before_the_calendar_year(tmp_path: Path, clock: Clock, zone_name: str) -> None:
    """The scan reads the last year; older study days (found along the index, or by the
    fallback query) still make the longest and the current streak."""
    from zoneinfo import ZoneInfo

    from trainer.core import days
    from trainer.core.stats import streaks
    from trainer.store.models import to_millis

    zone = ZoneInfo(zone_name)
    col = open_collection(tmp_path / "c.sqlite3", clock=clock, zone=zone, install_bundled=False)
    try:
        ago = [*range(700, 640, -1), *range(600, 590, -1), *range(420, 280, -1), *range(120, -1, -1)]
        lines = ["card_id,review_time,review_rating,review_duration"]
        for n, day in enumerate(ago):
            at = clock.now - timedelta(days=day, hours=(n % 5) * 2 + 1)
            lines.append(f"{n % 7 + 1},{at.isoformat()},{3 if n % 4 else 1},4000")
        path = tmp_path / "log.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        col.optimizer.import_review_log(path)
        nds = to_millis(days.next_day_start(clock.now, zone, 4))
        for deck in (None, "Imported review log"):
            report = col.stats_report(deck, days=30)
            with col.db.read() as session:
                stamps = session.execute(
                    text("SELECT reviewed_at FROM reviews WHERE kind IN ('review', 'import')")
                ).scalars()
                expected = streaks({(at - nds) // DAY_MS + 1 for at in stamps})
            assert expected[1] >= 135 and expected[0] >= 120
            assert (report.streak_current, report.streak_longest) == expected
    finally:
        col.close()
