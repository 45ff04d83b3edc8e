"""The study queue in memory: what is left today, kept in step with each answer and undo.

Choosing the next card from the database costs several queries; Anki keeps its queue in
memory and so does this. A `StudyQueue` is built from the database for one study target
(a deck, or all decks) and is valid for one study day. The service applies its own
answers and undos to it; anything it cannot apply exactly (a burial, a change made by
another connection) makes the service build it afresh. Pure: times are epoch ms.

The order is the database's: (re)learning cards due now by due time, then due reviews by
due time, scope by scope, then new cards by position, scope by scope, then learning cards
due within the learn-ahead window. Ties break on card id.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass, field

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
LEARNING_QUEUES = (LEARNING, RELEARNING)

Key = tuple[int, int]  # (due or position, card id)


@dataclass
class ScopeQueue:
    """One deck subtree under one preset's daily limits.

    `reviews` and `new` hold at most the daily limit of entries, in order; `*_cut` says
    the database may hold more than the list (it was cut at the limit).
    """

    deck_ids: frozenset[int]
    day_start: int
    cutoff: int
    new_limit: int
    review_limit: int
    new_done: int
    reviews_done: int
    new: list[Key]
    new_cut: bool
    reviews: list[Key]
    reviews_cut: bool
    learning: list[Key]

    @property
    def new_left(self) -> int:
        """New cards that may still be introduced today."""
        return max(0, self.new_limit - self.new_done)

    @property
    def reviews_left(self) -> int:
        """Reviews that may still be done today."""
        return max(0, self.review_limit - self.reviews_done)

    def counts(self, learn_until: int) -> tuple[int, int, int]:
        """New, learning (due before `learn_until`, at most the day's end: Anki's learn-ahead
        limit) and review cards left today."""
        learning = bisect_left(self.learning, (min(learn_until, self.cutoff), -1))
        return min(len(self.new), self.new_left), learning, min(len(self.reviews), self.reviews_left)


@dataclass
class StudyQueue:
    """Every scope of one study target, and until when the queue holds."""

    scopes: list[ScopeQueue]
    valid_until: int  # ms: the first day boundary or burial expiry ahead
    stale: bool = field(default=False)

    def pick(self, now: int, learn_ahead: int) -> int | None:
        """The id of the card to study now, or None when nothing is left."""
        first = self._first_learning()
        if first is not None and first[0] <= now:
            return first[1]
        for scope in self.scopes:
            if scope.reviews_left > 0 and scope.reviews:
                return scope.reviews[0][1]
        for scope in self.scopes:
            if scope.new_left > 0 and scope.new:
                return scope.new[0][1]
        if first is not None and first[0] <= now + learn_ahead:
            return first[1]
        return None

    def counts(self, learn_until: int) -> tuple[int, int, int]:
        """New, learning (due before `learn_until`) and review cards left today over every scope."""
        new = learning = review = 0
        for scope in self.scopes:
            n, lrn, r = scope.counts(learn_until)
            new, learning, review = new + n, learning + lrn, review + r
        return new, learning, review

    def _first_learning(self) -> Key | None:
        heads = [scope.learning[0] for scope in self.scopes if scope.learning]
        return min(heads) if heads else None

    def scope_of(self, deck_id: int) -> ScopeQueue | None:
        """The scope that holds a deck's cards, if any."""
        for scope in self.scopes:
            if deck_id in scope.deck_ids:
                return scope
        return None

    # -- keeping in step ------------------------------------------------------------------

    def answered(self, change: QueueChange) -> None:
        """Apply an answer: the card leaves its list, joins its new one, today's count grows."""
        self._move(change, +1)

    def undone(self, change: QueueChange) -> None:
        """Apply an undo (`change` goes from the answered state back to the restored one)."""
        self._move(change, -1)

    def dropped(self, deck_id: int, queue: int, card_id: int) -> None:
        """A card left the queue without an answer (buried or suspended)."""
        scope = self.scope_of(deck_id)
        if scope is None or not _remove(self._list(scope, queue), card_id):
            return
        if (queue == NEW and scope.new_cut) or (queue == REVIEW and scope.reviews_cut):
            self.stale = True  # the list was cut at the limit: the next card in line is unknown

    def _move(self, change: QueueChange, sign: int) -> None:
        scope = self.scope_of(change.deck_id)
        if scope is None:
            return
        _remove(self._list(scope, change.from_queue), change.card_id, change.from_key)
        if change.reviewed_at >= scope.day_start:
            if change.state_before == NEW:
                scope.new_done += sign
            elif change.state_before == REVIEW:
                scope.reviews_done += sign
        target = self._list(scope, change.to_queue)
        key = (change.to_key, change.card_id)
        if change.to_queue in LEARNING_QUEUES:
            insort(target, key)
        elif change.to_queue == REVIEW and change.to_key < scope.cutoff:
            self._insert_cut(target, key, scope.reviews_cut)
        elif change.to_queue == NEW:
            self._insert_cut(target, key, scope.new_cut)

    def _insert_cut(self, target: list[Key], key: Key, cut: bool) -> None:
        if cut and target and key > target[-1]:
            self.stale = True  # beyond the cut: cards the list never held may come first
            return
        insort(target, key)

    @staticmethod
    def _list(scope: ScopeQueue, queue: int) -> list[Key]:
        if queue in LEARNING_QUEUES:
            return scope.learning
        if queue == REVIEW:
            return scope.reviews
        if queue == NEW:
            return scope.new
        return []


@dataclass(frozen=True)
class QueueChange:
    """One card moving between queues: from where to where, and when it was answered.

    `state_before` is the card's state before the answer (it decides which daily limit
    the answer counts against); `from_key` is the card's due time (or position) in the queue
    it leaves, when known; `to_key` is the due time (or position, for new cards) in
    the queue it moves to; an answer made since the scope's day began counts today.
    """

    card_id: int
    deck_id: int
    state_before: int
    from_queue: int
    from_key: int | None
    to_queue: int
    to_key: int
    reviewed_at: int


def _remove(items: list[Key], card_id: int, key: int | None = None) -> bool:
    """Take a card out of an ordered list: by bisection when its key is known, else by a scan."""
    if key is not None:
        index = bisect_left(items, (key, card_id))
        if index < len(items) and items[index] == (key, card_id):
            del items[index]
            return True
    for index, (_, found) in enumerate(items):
        if found == card_id:
            del items[index]
            return True
    return False


def merge_limited(per_deck: list[list[Key]], limit: int) -> tuple[list[Key], bool]:
    """The first `limit` keys over several ordered lists; whether any list may hold more."""
    merged = sorted(key for keys in per_deck for key in keys)
    cut = any(len(keys) >= limit for keys in per_deck) or len(merged) > limit
    return merged[:limit], cut
