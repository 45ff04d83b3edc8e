"""The optimiser on the real review log, its refusal, presets, simulation and revlog import."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import TEST_ZONE, Clock
from tests.services.test_stats import write_log
from trainer.collection import Collection
from trainer.core.scheduling import DEFAULT_PARAMETERS
from trainer.formats.revlog_csv import RevlogError, read_revlog


def test_real_log_import_and_optimise(col: Collection, clock: Clock, shared_data: Path) -> None:
    summary = col.optimizer.import_review_log(shared_data / "review-log-josh.csv")
    assert (summary.cards, summary.reviews) == (1205, 12580)
    again = col.optimizer.import_review_log(shared_data / "review-log-josh.csv")
    assert (again.cards, again.skipped_cards) == (0, 1205)
    with col.db.read() as session:
        kinds = {
            str(k): int(n)
            for k, n in session.execute(text("SELECT kind, COUNT(*) FROM reviews GROUP BY kind"))
        }
    assert kinds == {"import": 12580}
    dry = col.optimizer.optimize(dry_run=True, now=clock.now)
    assert dry.current_eval is not None and dry.new_eval is not None and dry.split_eval is not None
    assert dry.current_eval.log_loss == pytest.approx(0.4535, abs=0.002)
    assert dry.new_eval.log_loss < 0.447
    assert dry.split_eval.log_loss < 0.445
    assert not dry.saved and col.presets.get("Default").preset.parameters == DEFAULT_PARAMETERS
    result = col.optimizer.optimize(now=clock.now)
    assert result.saved and result.cards_updated == 1205
    assert col.presets.get("Default").preset.parameters == pytest.approx(result.new)
    assert result.load_before > 0 and result.load_after > 0
    # a second run cannot beat itself by much: it keeps what it has unless strictly better
    again_result = col.optimizer.optimize(dry_run=True, now=clock.now)
    assert again_result.current_eval is not None and result.new_eval is not None
    assert again_result.current_eval.log_loss == pytest.approx(result.new_eval.log_loss, abs=1e-4)


def test_real_log_gives_ankis_fit(tmp_path: Path, shared_data: Path) -> None:
    """Anki's training inputs (card ids, relearning steps, 8 epochs) on the log's 04:00 UTC days
    give Anki's fit: log loss 0.4421 and RMSE(bins) 0.0428 (Anki 26.9 on the same log)."""
    from datetime import UTC, datetime

    from trainer.collection import open_collection

    col = open_collection(tmp_path / "utc.sqlite3", zone=UTC, install_bundled=False)
    try:
        col.optimizer.import_review_log(shared_data / "review-log-josh.csv")
        dry = col.optimizer.optimize(dry_run=True, now=datetime(2024, 10, 8, tzinfo=UTC))
    finally:
        col.close()
    assert dry.items == 6276 and dry.new_eval is not None
    assert dry.new_eval.log_loss == pytest.approx(0.4421, abs=1e-4)
    assert dry.new_eval.rmse_bins == pytest.approx(0.0428, abs=1e-4)


def test_refuses_with_little_history(col: Collection, clock: Clock, tmp_path: Path) -> None:
    log = tmp_path / "small.csv"
    log.write_text(
        "card_id,review_time,review_rating,review_duration\n"
        "1,2026-01-01T10:00:00+00:00,3,1000\n1,2026-01-05T10:00:00+00:00,3,1000\n",
        encoding="utf-8",
    )
    col.optimizer.import_review_log(log, deck="Small")
    result = col.optimizer.optimize(deck="Small", now=clock.now)
    assert result.refused is not None and "1 reviews" in result.refused
    assert not result.saved


def test_revlog_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("card_id,review_time,review_rating\n1,2026-01-01T00:00:00Z,7\n", encoding="utf-8")
    with pytest.raises(RevlogError, match=r"bad.csv:2: rating 7"):
        read_revlog(bad)
    missing = tmp_path / "missing.csv"
    missing.write_text("card,when\n", encoding="utf-8")
    with pytest.raises(RevlogError, match="missing column"):
        read_revlog(missing)


def test_review_state_zero_resets(tmp_path: Path) -> None:
    log = tmp_path / "s.csv"
    log.write_text(
        "card_id,review_time,review_rating,review_duration,review_state\n"
        "5,1711684180217,3,100,0\n5,1711784180217,3,100,2\n5,1711884180217,3,100,0\n",
        encoding="utf-8",
    )
    (reviews,) = read_revlog(log).values()
    assert [r.state for r in reviews] == [0, 2, 0]


def test_preset_change_and_reschedule(col: Collection, clock: Clock, tmp_path: Path) -> None:
    col.optimizer.import_review_log(write_log(tmp_path / "log.csv", clock.now, cards=30))
    service = col.presets
    info = service.get("Default")
    assert "Imported review log" in info.decks
    with col.db.read() as session:
        before = session.execute(text("SELECT SUM(due) FROM cards WHERE state = 2")).scalar()
    changed = service.set_options(
        "Default", ["desired_retention=0.8", "new_per_day=5"], reschedule=True, now=clock.now
    )
    assert changed.preset.desired_retention == 0.8 and changed.preset.new_per_day == 5
    assert changed.rescheduled > 10
    with col.db.read() as session:
        after = session.execute(text("SELECT SUM(due) FROM cards WHERE state = 2")).scalar()
    assert after is not None and before is not None and after > before  # lower retention: longer intervals
    from trainer.core import days as study_days

    with col.db.read() as session:
        dues = [int(d) for (d,) in session.execute(text("SELECT due FROM cards WHERE state = 2"))]
    for due in dues:  # due from the start of a study day, as every review
        moment = datetime.fromtimestamp(due / 1000, UTC)
        assert study_days.day_start(moment, TEST_ZONE, 4) == moment
    with pytest.raises(ValueError, match="desired_retention"):
        service.set_options("Default", ["desired_retention=0.5"], now=clock.now)
    with pytest.raises(ValueError, match="KEY=VALUE"):
        service.set_options("Default", ["colour=red"], now=clock.now)
    assert service.set_options("Default", ["learning_steps=30s 5m"], now=clock.now).preset.learning_steps == (
        30,
        300,
    )


def test_simulate_lower_retention_means_fewer_reviews(col: Collection, clock: Clock, tmp_path: Path) -> None:
    col.optimizer.import_review_log(write_log(tmp_path / "log.csv", clock.now, cards=300))
    rows = col.optimizer.simulate(retentions=(0.8, 0.95), days=120)
    assert rows[0].reviews_per_day < rows[1].reviews_per_day
    assert all(r.retention is not None and 0.5 < r.retention < 1 for r in rows)


def test_replay_matches_the_study_preview_of_the_chosen_rating() -> None:
    from datetime import UTC, datetime, timedelta

    from trainer.core.scheduling import Preset, Rating, SchedulingState, preview
    from trainer.formats.revlog_csv import LoggedReview, replay

    start = datetime(2025, 1, 6, 9, tzinfo=UTC)
    gaps = [0, 0.01, 1, 3, 9, 20, 2, 1, 5]
    ratings = [3, 3, 3, 1, 3, 2, 4, 3, 3]
    at, logged = start, []
    for gap, rating in zip(gaps, ratings, strict=True):
        at += timedelta(days=gap)
        logged.append(LoggedReview(card_id=1, at=at, rating=rating, duration_ms=1000))
    preset = Preset()
    state = SchedulingState()
    for entry in replay(logged, preset, UTC):
        assert entry.before == state
        expected = preview(state, preset, entry.review.at, zone=UTC)[Rating(entry.review.rating)].state
        assert entry.after == expected  # one code path: the replay is the preview without fuzz
        state = entry.after
    assert state.reps == len(logged) and state.lapses == 1
