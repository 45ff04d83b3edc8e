"""The statistics report's SQL over the review log, for one scope and day boundary.

Why it is shaped this way: a year of a large collection's log is about a million answers,
and building a Python object per answer cost more than everything else in the report. So
the log is read once, grouped by the database into a few thousand *scan keys*: one integer
per (time bucket, state before, maturity, rating), the expression `HOURLY_KEY` that the
index `ix_reviews_hourly` (migration 0004) holds, so SQLite groups while it walks the index
and never sorts. `StatsQueries.fold` then turns those groups into study days, review classes
and local hours in Python (a bucket never straddles a day start: it is an hour, or a quarter
hour or a minute when the day start or the zone offset needs it).

What a group cannot tell is whether an answer was the card's first of its study day (for
first-of-day retention and per-topic mastery). The fold notes the buckets where that is
possible (a review answer whose previous answer fell on the same day) and
`resolve_repeats` checks only those answers, one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from trainer.core.scheduling import CardState, Preset
from trainer.core.stats import DAY_MS, MATURE_SPAN_MS
from trainer.core.stats.report import Confusion
from trainer.store.models import HOURLY_KEY

NEW, LEARNING, REVIEW, RELEARNING = (int(s) for s in CardState)  # as stored
SHIFT_DAYS = 200_000  # keeps integer division on non-negative numbers (same on SQLite and PostgreSQL)
# review class: 0 learning, 1 young, 2 mature, 3 relearning (see trainer.core.stats.ReviewClass)
CLASS_SQL = f"""CASE WHEN r.state_before = {RELEARNING} THEN 3
  WHEN r.state_before = {REVIEW} AND r.due_before IS NOT NULL AND r.last_review_before IS NOT NULL
   AND (r.due_before - r.last_review_before) >= {MATURE_SPAN_MS} THEN 2
  WHEN r.state_before = {REVIEW} THEN 1 ELSE 0 END"""
DAY_SQL = f"((r.reviewed_at - :nds + {SHIFT_DAYS * DAY_MS}) / {DAY_MS} - {SHIFT_DAYS - 1})"
COUNTED = "r.kind IN ('review', 'import')"
DAY_START_SQL = f"(r.reviewed_at - (r.reviewed_at - :nds + {SHIFT_DAYS * DAY_MS}) % {DAY_MS})"

# The scan key (models.HOURLY_KEY, with other bucket sizes): bucket * 64 + state_before * 8
# + mature * 4 + rating - 1. `key >> BUCKET_SHIFT` is the time bucket, `key & ANSWER_MASK`
# the answer's part, in which `>> STATE_SHIFT` is the state before, `& MATURE_BIT` maturity
# and `& RATING_MASK` the rating less one.
BUCKET_SHIFT, STATE_SHIFT = 6, 3
ANSWER_MASK, MATURE_BIT, RATING_MASK = 63, 4, 3
KEYS_PER_BUCKET = 1 << BUCKET_SHIFT


class DayTotals(NamedTuple):
    """One study day's answers by review class (learning, young, mature, relearning)."""

    counts: list[int]  # answers
    ms: list[int]  # time spent
    again: int  # Again answers, all classes


def empty_day() -> DayTotals:
    """A day without answers."""
    return DayTotals([0] * 4, [0] * 4, 0)


@dataclass(frozen=True)
class Scope:
    """Which cards the report covers."""

    deck: str | None
    deck_ids: list[int] | None  # None: the whole collection
    preset: Preset

    def card_filter(self, alias: str) -> str:
        """SQL condition on a cards alias."""
        return f"{alias}.deck_id IN :decks" if self.deck_ids is not None else "1 = 1"

    def params(self) -> dict[str, Any]:
        """Bind parameters for the filter."""
        return {"decks": self.deck_ids} if self.deck_ids is not None else {}


def raw_rows(result: Any) -> list[tuple[Any, ...]]:
    """All rows of a text query as the driver's tuples (no SQLAlchemy row per record)."""
    cursor = getattr(result, "cursor", None)
    if cursor is None:
        return [tuple(row) for row in result]
    try:
        return list(cursor.fetchall())
    finally:
        result.close()


def tuple4(values: Sequence[int]) -> tuple[int, int, int, int]:
    """The first four values as a typed 4-tuple."""
    return (int(values[0]), int(values[1]), int(values[2]), int(values[3]))


def _review_class(state_before: int, mature: bool) -> int:
    """0 learning, 1 young, 2 mature, 3 relearning."""
    if state_before == RELEARNING:
        return 3
    if state_before == REVIEW:
        return 2 if mature else 1
    return 0


class StatsQueries:
    """The report's SQL, for one scope and day boundary."""

    def __init__(self, session: Session, scope: Scope, nds: int) -> None:
        self.session = session
        self.scope = scope
        self.nds = nds
        # filled by `fold`:
        self.by_class: dict[tuple[int, int, int], int] = {}  # (day, class, rating) -> answers
        self.hour_table = [[0, 0] for _ in range(24)]  # local hour -> [answers, passed] in the period
        self.maybe_repeats: list[tuple[int, int]] | None = None  # spans (ms) with possible repeats
        # filled by `resolve_repeats`: answers not the card's first of the day
        self.repeats: list[tuple[int, int, int, int]] = []  # (card, day, class, rating)

    def expanding(self) -> list[Any]:
        """Expanding bind parameters used by the scope filter."""
        return [bindparam("decks", expanding=True)] if self.scope.deck_ids is not None else []

    def _run(self, sql: str, **params: Any) -> Any:
        join = "JOIN cards c ON c.id = r.card_id AND " + self.scope.card_filter("c")
        statement = text(sql.replace("{JOIN}", join if self.scope.deck_ids is not None else ""))
        return self.session.execute(
            statement.bindparams(*self.expanding()), {"nds": self.nds, **self.scope.params(), **params}
        )

    def bucket_ms(self, offset_ms: int) -> int:
        """The scan's time bucket: an hour, unless the day start or zone offset needs less."""
        return next(u for u in (3_600_000, 900_000, 60_000, 1) if self.nds % u == 0 and offset_ms % u == 0)

    def scan_rows(self, offset_ms: int, since: int | None = None) -> list[tuple[Any, ...]]:
        """The scan's SQL: (packed key, answers, ms, latest previous answer) per group, from day
        `since` on (None: the whole log). The key range is a range of `ix_reviews_hourly`."""
        unit = self.bucket_ms(offset_ms)
        key = self.packed_key(unit)
        low = "" if since is None else f"AND {key} >= {self.start_ms(since) // unit * KEYS_PER_BUCKET}"
        return self._fetch(
            f"SELECT {key} AS k, COUNT(*), SUM(duration_ms), MAX(last_review_before)"
            f" FROM reviews r WHERE kind IN ('review', 'import') {low} {{IN}} GROUP BY {key}"
        )

    @staticmethod
    def packed_key(unit: int) -> str:
        """`HOURLY_KEY` with time buckets of `unit` ms (an hour: the indexed expression itself)."""
        return HOURLY_KEY.replace("(reviewed_at / 3600000)", f"(reviewed_at / {unit})")

    def days_before(self, offset_ms: int, since: int) -> list[int]:
        """The study days before day `since` with a counted answer (for the streaks).

        On the whole collection with hourly buckets, jumps from day to day along
        `ix_reviews_hourly` (the first key of each day that has one: one index seek per study
        day) instead of reading every older answer; otherwise reads the older time buckets.
        """
        unit = self.bucket_ms(offset_ms)
        key, high = self.packed_key(unit), self.start_ms(since) // unit * KEYS_PER_BUCKET
        if unit != 3_600_000 or self.scope.deck_ids is not None:
            buckets = self._fetch(
                f"SELECT DISTINCT ({key}) / {KEYS_PER_BUCKET} FROM reviews r"
                f" WHERE kind IN ('review', 'import') AND {key} < {high} {{IN}}"
            )
            return sorted({(b * unit - self.nds) // DAY_MS + 1 for (b,) in buckets})
        shift = SHIFT_DAYS * DAY_MS
        per = KEYS_PER_BUCKET
        day = f"((d.k / {per} * {unit} - :nds + {shift}) / {DAY_MS} - {SHIFT_DAYS - 1})"  # d.k's day index
        after = f"(:nds + {day} * {DAY_MS}) / {unit} * {per}"  # the first key of the next day
        first = (
            f"SELECT MIN({key}) FROM reviews r WHERE kind IN ('review', 'import') AND {key} < {high} {{IN}}"
        )
        rows = self._fetch(
            f"WITH RECURSIVE d(k) AS ({first} UNION ALL SELECT ({first} AND {key} >= {after})"
            " FROM d WHERE d.k IS NOT NULL) SELECT k FROM d WHERE k IS NOT NULL"
        )
        return [(k // KEYS_PER_BUCKET * unit - self.nds) // DAY_MS + 1 for (k,) in rows]

    def fold(self, rows: list[tuple[Any, ...]], since: int, offset_ms: int) -> dict[int, DayTotals]:
        """Fold the scan's groups into study days, classes and local hours (the module's note)."""
        unit = self.bucket_ms(offset_ms)
        pstart, nds = self.start_ms(since), self.nds
        result: dict[int, DayTotals] = {}
        self.maybe_repeats = repeats = []
        by_class, hour_table = self.by_class, self.hour_table
        classes = [_review_class(a >> STATE_SHIFT, bool(a & MATURE_BIT)) for a in range(ANSWER_MASK + 1)]
        last_bucket = day = hour = -(2**62)
        day_start = 0
        totals = empty_day()
        for packed, count, ms, last in rows:
            bucket, answer = packed >> BUCKET_SHIFT, packed & ANSWER_MASK
            if bucket != last_bucket:
                at = bucket * unit
                last_bucket, day = bucket, (at - nds) // DAY_MS + 1
                day_start = nds + (day - 1) * DAY_MS
                hour = (at + offset_ms) // 3_600_000 % 24 if at >= pstart else -1
                totals = result.get(day) or result.setdefault(day, empty_day())
            cls, rating = classes[answer], (answer & RATING_MASK) + 1
            if answer >> STATE_SHIFT == REVIEW and last is not None and last >= day_start:
                repeats.append((bucket * unit, (bucket + 1) * unit))
            totals.counts[cls] += count
            totals.ms[cls] += ms or 0
            if rating == 1:
                totals = result[day] = totals._replace(again=totals.again + count)
            group = (day, cls, rating)
            by_class[group] = by_class.get(group, 0) + count
            if hour >= 0:
                hour_table[hour][0] += count
                if rating > 1:
                    hour_table[hour][1] += count
        return result

    def _fetch(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        """Plain tuples of a query ({IN} limits r to the scope's cards), without row objects."""
        inside = "AND r.card_id IN (SELECT c.id FROM cards c WHERE " + self.scope.card_filter("c") + ")"
        statement = text(sql.replace("{IN}", inside if self.scope.deck_ids is not None else ""))
        return raw_rows(
            self.session.execute(
                statement.bindparams(*self.expanding()), {"nds": self.nds, **self.scope.params(), **params}
            )
        )

    def start_ms(self, day: int) -> int:
        """When day index `day` begins."""
        return self.nds + (day - 1) * DAY_MS

    def cards_today(self) -> int:
        """Distinct cards answered today."""
        row = self._run(
            f"SELECT COUNT(DISTINCT r.card_id) FROM reviews r {{JOIN}}"
            f" WHERE {COUNTED} AND r.reviewed_at >= :start AND r.reviewed_at < :nds",
            start=self.nds - DAY_MS,
        ).scalar()
        return int(row or 0)

    def buttons(self, since: int) -> dict[str, tuple[int, int, int, int]]:
        """Rating counts for learning / young / mature cards since day `since`."""
        result = {name: [0, 0, 0, 0] for name in ("learning", "young", "mature")}
        names = {0: "learning", 1: "young", 2: "mature", 3: "learning"}
        for (day, cls, rating), count in self.by_class.items():
            if day >= since:
                result[names[cls]][rating - 1] += count
        return {k: tuple4(v) for k, v in result.items()}

    def hours(self) -> tuple[tuple[int, int], ...]:
        """(reviews, passed) per local hour over the period."""
        return tuple((a, b) for a, b in self.hour_table)

    def resolve_repeats(self, since: int) -> None:
        """Find review-card answers that were not the card's first of their day.

        Only answers whose previous answer fell on the same day can be repeats; those few
        are checked exactly against the card's other answers that day.
        """
        self.repeats = []
        start = self.start_ms(since)
        known = self.maybe_repeats if self.maybe_repeats is not None else [(start, 2**62)]
        spans = [span for span in known if span[1] > start]
        if not spans:
            return  # the scan saw no answer whose previous one fell on the same day
        candidates = self._run(
            f"SELECT r.id, r.card_id, r.reviewed_at, {DAY_SQL} AS day, {CLASS_SQL} AS cls, r.rating"
            f" FROM reviews r {{JOIN}} WHERE {COUNTED} AND r.state_before = {REVIEW}"
            f" AND r.reviewed_at >= :start AND r.reviewed_at < :end"
            f" AND r.last_review_before >= {DAY_START_SQL}",
            start=max(start, min(lo for lo, _ in spans)),
            end=max(hi for _, hi in spans),
        ).all()
        if not candidates:
            return
        cards = sorted({int(c[1]) for c in candidates})
        earlier: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for chunk in range(0, len(cards), 500):
            for rid, cid, at, state in self.session.execute(
                text(
                    "SELECT r.id, r.card_id, r.reviewed_at, r.state_before FROM reviews r"
                    f" WHERE r.card_id IN :cards AND {COUNTED} AND r.reviewed_at >= :start"
                ).bindparams(bindparam("cards", expanding=True)),
                {"cards": cards[chunk : chunk + 500], "start": self.start_ms(since)},
            ):
                if state == 2:
                    key = (int(cid), (int(at) - self.nds) // DAY_MS + 1)
                    earlier.setdefault(key, []).append((int(at), int(rid)))
        for rid, cid, at, day, cls, rating in candidates:
            first = min(earlier.get((int(cid), int(day)), [(int(at), int(rid))]))
            if first != (int(at), int(rid)):
                self.repeats.append((int(cid), int(day), int(cls), int(rating)))

    def review_answers(self, since: int) -> list[tuple[int, bool, int, int]]:
        """(day, mature, rating, count) of every answer of a review card since day `since`
        (same-day repeats included: Anki's true retention)."""
        counts = {key: n for key, n in self.by_class.items() if key[1] in (1, 2) and key[0] >= since}
        return [(day, cls == 2, rating, n) for (day, cls, rating), n in counts.items() if n]

    def first_of_day(self, since: int) -> list[tuple[int, bool, int, int]]:
        """(day, mature, rating, count) of first-of-day answers of review cards since day `since`."""
        counts = {key: n for key, n in self.by_class.items() if key[1] in (1, 2) and key[0] >= since}
        for _card, day, cls, rating in self.repeats:
            if day >= since:
                counts[(day, cls, rating)] -= 1
        return [(day, cls == 2, rating, n) for (day, cls, rating), n in counts.items() if n]

    def retention_by_group(self, since: int) -> dict[tuple[int, str, str], tuple[int, int]]:
        """(deck, tags, set) -> (passed, total) answers of review cards since day `since`
        (same-day repeats included): counted per card on the card index, summed per group."""
        inside = "WHERE " + self.scope.card_filter("c") if self.scope.deck_ids is not None else ""
        rows = self._fetch(
            f"SELECT c.deck_id, c.tags, c.group_id, SUM(p.passed), SUM(p.total) FROM"
            f" (SELECT r.card_id AS card_id, SUM(CASE WHEN r.rating > 1 THEN 1 ELSE 0 END) AS passed,"
            f" COUNT(*) AS total FROM reviews r WHERE {COUNTED} AND r.state_before = {REVIEW}"
            f" AND r.reviewed_at >= :start {{IN}} GROUP BY r.card_id) p JOIN cards c ON c.id = p.card_id"
            f" {inside} GROUP BY c.deck_id, c.tags, c.group_id",
            start=self.start_ms(since),
        )
        return {(d, t, g): (int(p or 0), int(n)) for d, t, g, p, n in rows}

    def without_repeats(
        self,
        per_group: dict[tuple[int, str, str], tuple[int, int]],
        repeats: list[tuple[int, int, int, int]],
        since: int,
    ) -> dict[tuple[int, str, str], tuple[int, int]]:
        """Take out answers that were not the card's first of their day."""
        repeats = [r for r in repeats if r[1] >= since]
        if not repeats:
            return per_group
        groups = {
            int(i): (int(d), str(t), str(g))
            for i, d, t, g in self.session.execute(
                text("SELECT id, deck_id, tags, group_id FROM cards WHERE id IN :ids").bindparams(
                    bindparam("ids", expanding=True)
                ),
                {"ids": sorted({r[0] for r in repeats})},
            )
        }
        for card, _day, _cls, rating in repeats:
            group = groups.get(card)
            if group in per_group:
                passed, total = per_group[group]
                per_group[group] = (passed - (1 if rating > 1 else 0), total - 1)
        return per_group

    def confusion(self) -> tuple[Confusion, ...]:
        """Wrong choices per compare set: which item was given instead of which."""
        join = "JOIN cards c ON c.id = q.card_id AND " + self.scope.card_filter("c")
        sql = (
            "SELECT q.group_id, q.expected, q.given, COUNT(*) AS n FROM quiz_answers q "
            + (join if self.scope.deck_ids is not None else "")
            + " WHERE q.correct = :no AND q.group_id != '' AND q.given != ''"
            " GROUP BY q.group_id, q.expected, q.given ORDER BY q.group_id, n DESC"
        )
        rows = self.session.execute(
            text(sql).bindparams(*self.expanding()), {"no": False, **self.scope.params()}
        )
        return tuple(Confusion(str(g), str(e), str(v), int(n)) for g, e, v, n in rows)


__all__ = ["DayTotals", "Scope", "StatsQueries", "empty_day", "raw_rows", "tuple4"]
