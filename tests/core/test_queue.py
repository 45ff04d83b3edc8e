"""The in-memory study queue on its own: order, counts, and keeping in step with answers."""

from __future__ import annotations

from trainer.core.queue import (
    LEARNING,
    NEW,
    REVIEW,
    QueueChange,
    ScopeQueue,
    StudyQueue,
    merge_limited,
)

DAY = 86_400_000
START, CUTOFF = 10 * DAY, 11 * DAY
NOW = START + 3_600_000
AHEAD = 20 * 60_000


def scope(**overrides: object) -> ScopeQueue:
    values: dict[str, object] = dict(
        deck_ids=frozenset({1, 2}), day_start=START, cutoff=CUTOFF, new_limit=2, review_limit=2,
        new_done=0, reviews_done=0, new=[(1, 101), (2, 102)], new_cut=True,
        reviews=[(NOW - 5, 201), (NOW - 1, 202)], reviews_cut=False, learning=[],
    )  # fmt: skip
    values.update(overrides)
    return ScopeQueue(**values)  # type: ignore[arg-type]


def change(card: int, before: int, frm: int, frm_key: int | None, to: int, to_key: int) -> QueueChange:
    return QueueChange(
        card_id=card, deck_id=1, state_before=before, from_queue=frm, from_key=frm_key,
        to_queue=to, to_key=to_key, reviewed_at=NOW,
    )  # fmt: skip


def test_learning_due_now_then_reviews_then_new_then_learning_ahead() -> None:
    queue = StudyQueue([scope(learning=[(NOW - 1, 301), (NOW + 60_000, 302)])], valid_until=CUTOFF)
    assert queue.pick(NOW, AHEAD) == 301
    queue.scopes[0].learning.pop(0)
    assert queue.pick(NOW, AHEAD) == 201  # reviews before new cards
    queue.scopes[0].reviews.clear()
    assert queue.pick(NOW, AHEAD) == 101
    queue.scopes[0].new.clear()
    assert queue.pick(NOW, AHEAD) == 302  # due in a minute: learned ahead
    assert queue.pick(NOW - AHEAD, AHEAD) is None


def test_counts_respect_the_limits_and_the_day() -> None:
    learning = [(NOW, 1), (NOW + AHEAD - 1, 3), (NOW + AHEAD + 1, 4), (CUTOFF + 1, 2)]
    queue = StudyQueue([scope(learning=learning, reviews_done=1)], valid_until=CUTOFF)
    # learning counts as Anki's: due within the learn-ahead limit (20 minutes), never tomorrow
    assert queue.counts(NOW + AHEAD) == (2, 2, 1)
    assert queue.counts(CUTOFF + 10 * AHEAD) == (2, 3, 1)


def test_an_answer_and_its_undo_leave_the_queue_as_it_was() -> None:
    queue = StudyQueue([scope()], valid_until=CUTOFF)
    before = (list(queue.scopes[0].new), queue.counts(NOW + AHEAD))
    queue.answered(change(101, NEW, NEW, 1, LEARNING, NOW + 60_000))
    assert queue.scopes[0].new == [(2, 102)] and queue.scopes[0].learning == [(NOW + 60_000, 101)]
    assert queue.counts(NOW + AHEAD) == (1, 1, 2)  # one new card used up today's limit by one
    queue.undone(change(101, NEW, LEARNING, NOW + 60_000, NEW, 1))
    assert (list(queue.scopes[0].new), queue.counts(NOW + AHEAD)) == before
    assert not queue.stale


def test_a_card_returning_beyond_a_cut_list_makes_the_queue_stale() -> None:
    queue = StudyQueue([scope()], valid_until=CUTOFF)
    queue.undone(change(103, NEW, LEARNING, NOW, NEW, 3))  # position 3 lies past the cut at 2
    assert queue.stale


def test_a_burial_from_a_cut_list_makes_the_queue_stale_but_not_from_a_whole_one() -> None:
    queue = StudyQueue([scope()], valid_until=CUTOFF)
    queue.dropped(1, REVIEW, 201)
    assert not queue.stale and queue.scopes[0].reviews == [(NOW - 1, 202)]
    queue.dropped(1, NEW, 101)
    assert queue.stale


def test_merge_limited_keeps_the_first_keys_and_says_when_more_may_exist() -> None:
    assert merge_limited([[(1, 1), (3, 3)], [(2, 2)]], 2) == ([(1, 1), (2, 2)], True)
    assert merge_limited([[(1, 1)], [(2, 2)]], 5) == ([(1, 1), (2, 2)], False)
    assert merge_limited([[(1, 1), (2, 2)]], 2) == ([(1, 1), (2, 2)], True)  # a deck filled its limit
