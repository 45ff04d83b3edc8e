"""The statistics report: aggregates in SQL, one pass over the cards, nothing per review in Python."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from trainer.core import days
from trainer.core.cards import CardContent, render
from trainer.core.scheduling import Preset
from trainer.core.stats import RetentionCounts, streaks, true_retention
from trainer.core.stats.cards import CardPass
from trainer.core.stats.report import (
    Confusion,
    DayReviews,
    StatsReport,
    TodayStats,
    TopicMastery,
    WeakCard,
)
from trainer.errors import InvalidInputError, NotFoundError
from trainer.services.gc_pause import paused_gc
from trainer.services.stats_cards import CardQueries
from trainer.services.stats_sql import DayTotals, Scope, StatsQueries, empty_day, tuple4
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import to_millis

CALENDAR_DAYS = 365
MASTERY_TOPICS = 12


class StatsService:
    """Builds `StatsReport`s."""

    def __init__(self, db: Database, zone: tzinfo) -> None:
        self.db = db
        self.zone = zone

    def report(self, deck: str | None, period_days: int, now: datetime) -> StatsReport:
        """Every statistic of `deck` (with subdecks; None: everything) over `period_days`."""
        if period_days < 1:
            raise InvalidInputError("the period must be at least 1 day")
        since, offset = 1 - period_days, _offset_ms(now, self.zone)
        with paused_gc(), self.db.read() as session:
            scope, decks = self._scope(session, deck)
            nds = to_millis(days.next_day_start(now, self.zone, scope.preset.day_start_hour))
            log = _log_sql(session, scope, nds, since, offset)
            card_pass = self._card_pass(session, scope, nds, decks, now, period_days)
            half = self._log_half(session, scope, nds, since, offset, log)
            return self._build(session, scope, decks, half, card_pass, now, period_days)

    def _log_half(
        self, session: Session, scope: Scope, nds: int, since: int, offset: int, log: _LogSql
    ) -> _LogHalf:
        """The aggregates of the review log."""
        ctx = StatsQueries(session, scope, nds)
        per_day = ctx.fold(log.scan, since, offset)
        ctx.resolve_repeats(min(since, 1 - CALENDAR_DAYS))
        return _LogHalf(ctx, per_day, log.days_before, log.cards_today, log.confusion, log.per_group)

    def _build(
        self,
        session: Session,
        scope: Scope,
        decks: dict[int, str],
        half: _LogHalf,
        card_pass: CardPass,
        now: datetime,
        period_days: int,
    ) -> StatsReport:
        since = 1 - period_days
        ctx, per_day, per_group = half.ctx, half.per_day, half.per_group
        hists = card_pass.histograms()
        streak = streaks([*half.days_before, *per_day])
        today_date = days.study_date(now, self.zone, scope.preset.day_start_hour)
        return StatsReport(
            deck=scope.deck,
            days=period_days,
            today_date=today_date,
            desired_retention=scope.preset.desired_retention,
            today=_today(per_day, half.cards_today),
            future_due=tuple(card_pass.future_due),
            daily_load=card_pass.load,
            calendar=tuple(sum(per_day[d].counts) if d in per_day else 0 for d in range(-364, 1)),
            streak_current=streak[0],
            streak_longest=streak[1],
            reviews=tuple(
                DayReviews(today_date + timedelta(days=d), tuple4(day.counts), tuple4(day.ms))
                for d in range(since, 1)
                for day in (per_day.get(d) or empty_day(),)
            ),
            card_counts=card_pass.card_counts(),
            intervals=hists[0],
            stability=hists[1],
            difficulty=hists[2],
            retrievability=hists[3],
            knowledge=card_pass.knowledge,
            studied=len(card_pass.rs),
            retention=true_retention(ctx.review_answers(1 - CALENDAR_DAYS)),
            first_of_day_retention=true_retention(ctx.first_of_day(1 - CALENDAR_DAYS)),
            buttons=ctx.buttons(since),
            hours=ctx.hours(),
            added=tuple(card_pass.added),
            mastery=self._mastery(session, ctx.without_repeats(per_group, ctx.repeats, since), card_pass),
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
        self, session: Session, scope: Scope, nds: int, decks: dict[int, str], now: datetime, period_days: int
    ) -> CardPass:
        decay = {
            int(deck_id): float(json.loads(params)[20]) if len(json.loads(params)) > 20 else 0.5
            for deck_id, params in session.execute(
                text("SELECT d.id, p.parameters FROM decks d JOIN presets p ON p.id = d.preset_id")
            )
        }
        card_pass = CardPass(to_millis(now), nds, period_days, decay)
        queries = CardQueries(session, scope, nds)
        card_pass.feed_summary(*queries.summary(period_days))
        card_pass.feed_studied(queries.studied(), queries.groups(), decks)
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


@dataclass(frozen=True)
class _LogSql:
    """What the review log's queries return (plain data, no session)."""

    scan: list[tuple[Any, ...]]  # from the window's first day on
    days_before: list[int]  # older study days (only the streaks look further back)
    cards_today: int
    confusion: tuple[Confusion, ...]
    per_group: dict[tuple[int, str, str], tuple[int, int]]


def _log_sql(session: Session, scope: Scope, nds: int, since: int, offset: int) -> _LogSql:
    """The review log's queries: the scan, today's cards, confusions, retention per group."""
    ctx = StatsQueries(session, scope, nds)
    window = min(since, 1 - CALENDAR_DAYS)
    return _LogSql(
        ctx.scan_rows(offset, window),
        ctx.days_before(offset, window),
        ctx.cards_today(),
        ctx.confusion(),
        ctx.retention_by_group(since),
    )


@dataclass(frozen=True)
class _LogHalf:
    """What was computed from the review log."""

    ctx: StatsQueries
    per_day: dict[int, DayTotals]
    days_before: list[int]
    cards_today: int
    confusion: tuple[Confusion, ...]
    per_group: dict[tuple[int, str, str], tuple[int, int]]


def _questions(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        text("SELECT id, content FROM cards WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)),
        {"ids": sorted(ids)},
    )
    return {int(i): render(CardContent.from_json(c)).question for i, c in rows}


def _offset_ms(now: datetime, zone: tzinfo) -> int:
    offset = now.astimezone(zone).utcoffset()
    return int(offset.total_seconds() * 1000) if offset else 0


def _today(per_day: dict[int, DayTotals], cards: int) -> TodayStats:
    counts, ms, again = per_day.get(0) or empty_day()
    return TodayStats(
        cards=cards,
        reviews=sum(counts),
        time_ms=sum(ms),
        again=again,
        learn=counts[0],
        review=counts[1] + counts[2],
        relearn=counts[3],
    )


__all__ = ["RetentionCounts", "StatsService"]
