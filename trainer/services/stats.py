"""The statistics report: aggregates in SQL, one pass over the cards, nothing per review in Python."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from trainer.core import days
from trainer.core.cards import CardContent, render
from trainer.core.scheduling import Preset
from trainer.core.stats import DAY_MS, MATURE_DAYS, RetentionCounts, streaks, true_retention
from trainer.core.stats.cards import CardPass
from trainer.core.stats.report import (
    Confusion,
    DayReviews,
    StatsReport,
    TodayStats,
    TopicMastery,
    WeakCard,
)
from trainer.services.study import NotFoundError
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import to_millis

SHIFT_DAYS = 200_000  # keeps integer division on non-negative numbers (same on SQLite and PostgreSQL)
CALENDAR_DAYS = 365
MASTERY_TOPICS = 12

# review class: 0 learning, 1 young, 2 mature, 3 relearning (see trainer.core.stats.ReviewClass)
CLASS_SQL = f"""CASE WHEN r.state_before = 3 THEN 3
  WHEN r.state_before = 2 AND r.due_before IS NOT NULL AND r.last_review_before IS NOT NULL
   AND (r.due_before - r.last_review_before) >= {MATURE_DAYS * DAY_MS - DAY_MS // 2} THEN 2
  WHEN r.state_before = 2 THEN 1 ELSE 0 END"""
DAY_SQL = f"((r.reviewed_at - :nds + {SHIFT_DAYS * DAY_MS}) / {DAY_MS} - {SHIFT_DAYS - 1})"
COUNTED = "r.kind IN ('review', 'import')"
DAY_START_SQL = f"(r.reviewed_at - (r.reviewed_at - :nds + {SHIFT_DAYS * DAY_MS}) % {DAY_MS})"


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


class StatsService:
    """Builds `StatsReport`s."""

    def __init__(self, db: Database, zone: tzinfo) -> None:
        self.db = db
        self.zone = zone

    def report(self, deck: str | None, period_days: int, now: datetime) -> StatsReport:
        """Every statistic of `deck` (with subdecks; None: everything) over `period_days`."""
        if period_days < 1:
            raise ValueError("the period must be at least 1 day")
        with _gc_paused(), self.db.read() as session, _sort_memory(session, self.db):
            scope, decks = self._scope(session, deck)
            nds = to_millis(days.next_day_start(now, self.zone, scope.preset.day_start_hour))
            log = self._log_half(session, scope, nds, 1 - period_days, _offset_ms(now, self.zone))
            return self._build(session, scope, decks, log, now, period_days)

    def _log_half(self, session: Session, scope: Scope, nds: int, since: int, offset: int) -> _LogHalf:
        """The aggregates of the review log."""
        ctx = _Query(session, scope, nds)
        per_day = ctx.scan(since, offset)
        ctx.resolve_repeats(min(since, 1 - CALENDAR_DAYS))
        return _LogHalf(ctx, per_day, ctx.cards_today(), ctx.confusion())

    def _build(
        self,
        session: Session,
        scope: Scope,
        decks: dict[int, str],
        half: _LogHalf,
        now: datetime,
        period_days: int,
    ) -> StatsReport:
        own = _Query(
            session, scope, to_millis(days.next_day_start(now, self.zone, scope.preset.day_start_hour))
        )
        since = 1 - period_days
        card_pass = self._card_pass(session, own, decks, now, period_days)
        per_group = own.retention_by_group(since)
        ctx, per_day = half.ctx, half.per_day
        hists = card_pass.histograms()
        streak = streaks(per_day)
        today_date = days.study_date(now, self.zone, scope.preset.day_start_hour)
        return StatsReport(
            deck=scope.deck,
            days=period_days,
            today_date=today_date,
            desired_retention=scope.preset.desired_retention,
            today=_today(per_day, half.cards_today),
            future_due=tuple(card_pass.future_due),
            daily_load=card_pass.load,
            calendar=tuple(sum(per_day[d][0]) if d in per_day else 0 for d in range(-364, 1)),
            streak_current=streak[0],
            streak_longest=streak[1],
            reviews=tuple(
                DayReviews(
                    today_date + timedelta(days=d),
                    _tuple4(per_day.get(d, ([0] * 4, [0] * 4, 0))[0]),
                    _tuple4(per_day.get(d, ([0] * 4, [0] * 4, 0))[1]),
                )
                for d in range(since, 1)
            ),
            card_counts=card_pass.card_counts(),
            intervals=hists[0],
            stability=hists[1],
            difficulty=hists[2],
            retrievability=hists[3],
            knowledge=card_pass.knowledge,
            studied=len(card_pass.rs),
            retention=true_retention(ctx.first_of_day(1 - CALENDAR_DAYS)),
            buttons=ctx.buttons(since),
            hours=ctx.hours(),
            added=tuple(card_pass.added),
            mastery=self._mastery(session, own.without_repeats(per_group, ctx.repeats, since), card_pass),
            confusion=half.confusion,
        )

    def _scope(self, session: Session, deck: str | None) -> tuple[Scope, dict[int, str]]:
        all_decks = repo.decks(session)
        presets = repo.presets(session)
        names = {d.id: d.name for d in all_decks}
        if deck is None:
            default = repo.preset_id(session, "Default", create=False)
            preset = presets.get(default or -1) or next(iter(presets.values()), Preset())
            return Scope(None, None, preset), names
        tree = repo.subtree(all_decks, deck)
        if not tree:
            raise NotFoundError(f"no deck named '{deck}'")
        return Scope(deck, [d.id for d in tree], presets[tree[0].preset_id]), names

    def _card_pass(
        self, session: Session, ctx: _Query, decks: dict[int, str], now: datetime, period_days: int
    ) -> CardPass:
        decay = {
            int(deck_id): float(json.loads(params)[20]) if len(json.loads(params)) > 20 else 0.5
            for deck_id, params in session.execute(
                text("SELECT d.id, p.parameters FROM decks d JOIN presets p ON p.id = d.preset_id")
            )
        }
        card_pass = CardPass(to_millis(now), ctx.nds, period_days, decay)
        rows = session.execute(
            text(
                "SELECT c.id, c.deck_id, c.tags, c.group_id, c.state, c.queue, c.stability, c.difficulty,"
                " c.last_review, c.due, c.created_at FROM cards c WHERE " + ctx.scope.card_filter("c")
            ).bindparams(*ctx.expanding()),
            ctx.scope.params(),
        )
        card_pass.feed(raw_rows(rows), decks)
        return card_pass

    def _mastery(
        self, session: Session, per_group: dict[tuple[int, str, str], tuple[int, int]], card_pass: CardPass
    ) -> tuple[TopicMastery, ...]:
        ranked = sorted(
            card_pass.topics.items(),
            key=lambda kv: (kv[1].r_sum / kv[1].studied if kv[1].studied else 2.0, kv[0]),
        )
        chosen = (
            [kv for kv in ranked if kv[1].studied][:MASTERY_TOPICS]
            if len(ranked) > MASTERY_TOPICS
            else ranked
        )
        weak_ids = {card_id for _, acc in chosen for card_id, _ in acc.weakest_first()}
        questions = _questions(session, weak_ids)
        topics: list[TopicMastery] = []
        per_topic: dict[tuple[str, str], tuple[int, int]] = {}
        for group, (passed, total) in per_group.items():
            for topic in card_pass.group_topics.get(group, ()):
                p, t = per_topic.get(topic, (0, 0))
                per_topic[topic] = (p + passed, t + total)
        for (kind, name), acc in chosen:
            passed, total = per_topic.get((kind, name), (0, 0))
            topics.append(
                TopicMastery(
                    kind=kind,
                    name=name,
                    cards=acc.cards,
                    studied=acc.studied,
                    average_retrievability=acc.r_sum / acc.studied if acc.studied else None,
                    retention=passed / total if total else None,
                    reviews=total,
                    weakest=tuple(WeakCard(cid, questions.get(cid, ""), r) for cid, r in acc.weakest_first()),
                )
            )
        return tuple(topics)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the report makes about a million short-lived tuples
    (no cycles), and full collections over them cost more than the report's own work."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _sort_memory(session: Session, db: Database) -> Iterator[None]:
    """On SQLite, a 64 MiB page cache for this connection while the report runs, so that grouping
    the whole log sorts in memory (with the 2 MiB default the sort spills to temporary files);
    put back afterwards."""
    if db.sqlite_path is None:
        yield
        return
    connection = session.connection()
    cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql("PRAGMA cache_size=-65536")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(cache or -2000)}")


@dataclass(frozen=True)
class _LogHalf:
    """What the worker computed from the review log."""

    ctx: _Query
    per_day: dict[int, tuple[list[int], list[int], int]]
    cards_today: int
    confusion: tuple[Confusion, ...]


def raw_rows(result: Any) -> list[tuple[Any, ...]]:
    """All rows of a text query as the driver's tuples (no SQLAlchemy row per record)."""
    cursor = getattr(result, "cursor", None)
    if cursor is None:
        return [tuple(row) for row in result]
    try:
        return list(cursor.fetchall())
    finally:
        result.close()


def _questions(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        text("SELECT id, content FROM cards WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)),
        {"ids": sorted(ids)},
    )
    return {int(i): render(CardContent.from_json(c)).question for i, c in rows}


def _tuple4(values: Sequence[int]) -> tuple[int, int, int, int]:
    return (int(values[0]), int(values[1]), int(values[2]), int(values[3]))


def _offset_ms(now: datetime, zone: tzinfo) -> int:
    offset = now.astimezone(zone).utcoffset()
    return int(offset.total_seconds() * 1000) if offset else 0


def _today(per_day: dict[int, tuple[list[int], list[int], int]], cards: int) -> TodayStats:
    counts, ms, again = per_day.get(0, ([0] * 4, [0] * 4, 0))
    return TodayStats(
        cards=cards,
        reviews=sum(counts),
        time_ms=sum(ms),
        again=again,
        learn=counts[0],
        review=counts[1] + counts[2],
        relearn=counts[3],
    )


class _Query:
    """The report's SQL, for one scope and day boundary."""

    def __init__(self, session: Session, scope: Scope, nds: int) -> None:
        self.session = session
        self.scope = scope
        self.nds = nds

    def expanding(self) -> list[Any]:
        """Expanding bind parameters used by the scope filter."""
        return [bindparam("decks", expanding=True)] if self.scope.deck_ids is not None else []

    def _run(self, sql: str, **params: Any) -> Any:
        join = "JOIN cards c ON c.id = r.card_id AND " + self.scope.card_filter("c")
        statement = text(sql.replace("{JOIN}", join if self.scope.deck_ids is not None else ""))
        return self.session.execute(
            statement.bindparams(*self.expanding()), {"nds": self.nds, **self.scope.params(), **params}
        )

    def scan(self, since: int, offset_ms: int) -> dict[int, tuple[list[int], list[int], int]]:
        """One scan of the log (a covering index), grouped by one packed integer key.

        The key packs the time bucket (hours since the epoch, or quarter hours or minutes when
        the day start or zone offset needs them), the state before, maturity and the rating, so the
        database sorts one integer; buckets are folded into study days and local hours here.
        Returns day -> (counts by class, ms by class, Again count); keeps answers by (day,
        class, rating) and by local hour for the answer buttons, the hours and true retention.
        """
        unit = next(u for u in (3_600_000, 900_000, 60_000, 1) if self.nds % u == 0 and offset_ms % u == 0)
        mature = f"r.due_before - r.last_review_before >= {MATURE_DAYS * DAY_MS - DAY_MS // 2}"
        rows = self._fetch(
            f"SELECT ((r.reviewed_at / {unit}) * 64 + r.state_before * 8 + r.rating - 1) * 2"
            f" + CASE WHEN r.state_before = 2 AND {mature} THEN 8 ELSE 0 END"
            f" + CASE WHEN r.state_before = 2 AND r.last_review_before >= {DAY_START_SQL} THEN 1 ELSE 0 END"
            f" AS k, COUNT(*), SUM(r.duration_ms) FROM reviews r WHERE {COUNTED} {{IN}} GROUP BY k"
        )
        self.maybe_repeats: list[tuple[int, int]] = []  # time spans (ms) holding possible same-day repeats
        pstart, nds = self.start_ms(since), self.nds
        result: dict[int, tuple[list[int], list[int], int]] = {}
        self.by_class: dict[tuple[int, int, int], int] = {}  # (day, class, rating) -> answers
        self.hour_table = [[0, 0] for _ in range(24)]  # local hour -> [answers, passed] in the period
        places: dict[int, tuple[int, int]] = {}  # bucket -> (day, local hour or -1)
        by_class, hour_table = self.by_class, self.hour_table
        for packed, count, ms in rows:
            key, candidate = divmod(packed, 2)
            bucket, rest = divmod(key, 64)
            if candidate:
                self.maybe_repeats.append((bucket * unit, (bucket + 1) * unit))
            place = places.get(bucket)
            if place is None:
                at = bucket * unit
                hour = (at + offset_ms) // 3_600_000 % 24 if at >= pstart else -1
                place = places[bucket] = ((at - nds) // DAY_MS + 1, hour)
            day, hour = place
            before, rating = rest >> 3, (rest & 3) + 1
            cls = 3 if before == 3 else (2 if rest & 4 else 1) if before == 2 else 0
            totals = result.get(day)
            if totals is None:
                totals = result[day] = ([0] * 4, [0] * 4, 0)
            totals[0][cls] += count
            totals[1][cls] += ms or 0
            if rating == 1:
                result[day] = (totals[0], totals[1], totals[2] + count)
            group = (day, cls, rating)
            by_class[group] = by_class.get(group, 0) + count
            if hour >= 0:
                hour_table[hour][0] += count
                hour_table[hour][1] += count if rating > 1 else 0
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
        return {k: _tuple4(v) for k, v in result.items()}

    def hours(self) -> tuple[tuple[int, int], ...]:
        """(reviews, passed) per local hour over the period."""
        return tuple((a, b) for a, b in self.hour_table)

    def resolve_repeats(self, since: int) -> None:
        """Find review-card answers that were not the card's first of their day.

        Only answers whose previous answer fell on the same day can be repeats; those few
        are checked exactly against the card's other answers that day.
        """
        self.repeats: list[tuple[int, int, int, int]] = []  # (card, day, class, rating)
        start = self.start_ms(since)
        spans = [span for span in getattr(self, "maybe_repeats", [(start, 2**62)]) if span[1] > start]
        if not spans:
            return  # the scan saw no answer whose previous one fell on the same day
        candidates = self._run(
            f"SELECT r.id, r.card_id, r.reviewed_at, {DAY_SQL} AS day, {CLASS_SQL} AS cls, r.rating"
            f" FROM reviews r {{JOIN}} WHERE {COUNTED} AND r.state_before = 2 AND r.reviewed_at >= :start"
            f" AND r.reviewed_at < :end AND r.last_review_before >= {DAY_START_SQL}",
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
            f" COUNT(*) AS total FROM reviews r WHERE {COUNTED} AND r.state_before = 2"
            f" AND r.reviewed_at >= :start GROUP BY r.card_id) p JOIN cards c ON c.id = p.card_id"
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


__all__ = ["RetentionCounts", "StatsService"]
