"""Training items are built as Anki builds them: day gaps, same-day reviews kept, resets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trainer.core.optimize import Answer, Step, history_steps, items_for_card, refusal, training_items

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)


def at(days: float, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def test_same_day_reviews_stay_in_history_but_make_no_item() -> None:
    answers = [Answer(at(0), 1), Answer(at(0, 1), 3), Answer(at(1), 3), Answer(at(4), 2)]
    assert history_steps(answers, UTC, 4) == [Step(1, 0), Step(3, 0), Step(3, 1), Step(2, 3)]
    items = items_for_card(7, answers, UTC, 4)
    assert [len(i.steps) for i in items] == [3, 4]
    assert items[0].at == at(1)


def test_day_boundary_follows_day_start_hour() -> None:
    # 03:00 belongs to the previous study day with a 4 am start
    answers = [
        Answer(datetime(2026, 3, 1, 22, tzinfo=UTC), 3),
        Answer(datetime(2026, 3, 2, 3, tzinfo=UTC), 3),
    ]
    assert history_steps(answers, UTC, 4)[1].delta_t == 0
    assert history_steps(answers, UTC, 0)[1].delta_t == 1


def test_reset_restarts_history() -> None:
    answers = [Answer(at(0), 3), Answer(at(5), 3), Answer(at(6), 3, reset_before=True), Answer(at(9), 3)]
    assert history_steps(answers, UTC, 4) == [Step(3, 0), Step(3, 3)]


def test_items_sorted_by_time_and_refusal() -> None:
    histories = [(1, [Answer(at(0), 3), Answer(at(5), 3)]), (2, [Answer(at(0), 3), Answer(at(2), 3)])]
    items = training_items(histories, UTC, 4)
    assert [i.card_id for i in items] == [2, 1]
    reason = refusal(items, minimum=10)
    assert reason is not None and "2 reviews" in reason and "10" in reason
    assert refusal(items, minimum=2) is None


def test_anki_rule_for_keeping_the_current_parameters() -> None:
    from trainer.core.optimize import anki_keeps_current
    from trainer.core.scheduling import DEFAULT_PARAMETERS

    assert not anki_keeps_current(DEFAULT_PARAMETERS, 0.45, 0.44, 1)  # the fit is better: replace
    assert anki_keeps_current(DEFAULT_PARAMETERS, 0.44, 0.45, 1)  # the current are better: keep
    assert anki_keeps_current(DEFAULT_PARAMETERS, 0.44, 0.44, 0)  # equal: keep
    # several relearning steps: kept only if a lapsed card's memory shrinks over them
    growing = list(DEFAULT_PARAMETERS)
    growing[17], growing[18], growing[19] = 1.5, 0.9, 0.0
    assert not anki_keeps_current(growing, 0.44, 0.45, 3)
    assert anki_keeps_current(DEFAULT_PARAMETERS, 0.44, 0.45, 3)
