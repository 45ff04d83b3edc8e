"""The FSRS optimiser on the learner's own history, memory-state recomputation, the simulator,
and the review-log CSV import that brings history from another app."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import fsrs_rs_python as rs
from sqlalchemy import bindparam, text, update
from sqlalchemy.orm import Session

from trainer.core.cards import CardContent, CardKind
from trainer.core.optimize import (
    MIN_ITEMS,
    Answer,
    TrainingItem,
    anki_keeps_current,
    fit_as_anki,
    history_steps,
    refusal,
    training_items,
)
from trainer.core.scheduling import Preset, stored_memory
from trainer.core.stats import interval_for
from trainer.errors import NotFoundError
from trainer.formats.revlog_csv import read_revlog, replay
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import from_millis, to_millis
from trainer.store.rows import REVIEW_INSERT_COLUMNS, card_values, review_values


@dataclass(frozen=True)
class Evaluation:
    """How well a parameter set predicts the history."""

    log_loss: float
    rmse_bins: float


@dataclass(frozen=True)
class OptimizeResult:
    """What `optimize` found and did."""

    preset: str
    reviews: int
    items: int
    refused: str | None = None
    current: tuple[float, ...] = ()
    new: tuple[float, ...] = ()
    current_eval: Evaluation | None = None
    new_eval: Evaluation | None = None
    split_eval: Evaluation | None = None  # time-series split: trained on the past, scored on the future
    saved: bool = False
    load_before: float = 0.0
    load_after: float = 0.0
    cards_updated: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


@dataclass(frozen=True)
class ImportSummary:
    """What a review-log import added."""

    deck: str
    cards: int
    reviews: int
    skipped_cards: int = 0


@dataclass(frozen=True)
class SimulationRow:
    """Expected workload at one desired retention."""

    desired_retention: float
    reviews_per_day: float
    memorized: float
    retention: float | None


@dataclass
class _Histories:
    """Review histories of the cards in scope."""

    answers: dict[int, list[Answer]] = field(default_factory=dict)
    reviews: int = 0


def to_rs(item: TrainingItem) -> Any:
    """A fsrs-rs-python `FSRSItem`."""
    return rs.FSRSItem([rs.FSRSReview(s.rating, s.delta_t) for s in item.steps])


def evaluate(parameters: Sequence[float], items: Sequence[Any]) -> Evaluation:
    """Log loss and RMSE(bins) of `parameters` on fsrs-rs items."""
    result = rs.FSRS(list(parameters)).evaluate(list(items))
    return Evaluation(float(result.log_loss), float(result.rmse_bins))


def split_evaluate(items: Sequence[Any]) -> Evaluation:
    """Time-series-split evaluation of the optimiser itself (items in time order)."""
    result = rs.evaluate_with_time_series_splits(list(items))
    return Evaluation(float(result.log_loss), float(result.rmse_bins))


class OptimizeService:
    """Optimiser, simulator and review-log import over one collection."""

    def __init__(self, db: Database, zone: tzinfo) -> None:
        self.db = db
        self.zone = zone

    # -- scope -------------------------------------------------------------------------

    def _scope(self, session: Session, deck: str | None, preset: str | None) -> tuple[int, Preset, list[int]]:
        """(preset id, preset, deck ids using it) for `--deck` or `--preset` (default: Default)."""
        all_decks = repo.decks(session)
        presets = repo.presets(session)
        if deck is not None:
            tree = repo.subtree(all_decks, deck)
            if not tree:
                raise NotFoundError(f"no deck named '{deck}'")
            pid = tree[0].preset_id
        else:
            found = repo.preset_id(session, preset or "Default", create=False)
            if found is None:
                raise NotFoundError(f"no preset named '{preset}'")
            pid = found
        return pid, presets[pid], [d.id for d in all_decks if d.preset_id == pid]

    def _histories(self, session: Session, deck_ids: list[int]) -> _Histories:
        result = _Histories()
        rows = session.execute(
            text(
                "SELECT r.card_id, r.reviewed_at, r.rating, r.state_before FROM reviews r"
                " JOIN cards c ON c.id = r.card_id WHERE c.deck_id IN :decks"
                " AND r.kind IN ('review', 'import') ORDER BY r.card_id, r.reviewed_at, r.id"
            ).bindparams(bindparam("decks", expanding=True)),
            {"decks": deck_ids},
        )
        for card_id, at, rating, state_before in rows:
            answers = result.answers.setdefault(int(card_id), [])
            answers.append(Answer(from_millis(int(at)), int(rating), bool(answers) and state_before == 0))
            result.reviews += 1
        return result

    def items(self, deck: str | None = None, preset: str | None = None) -> list[TrainingItem]:
        """The training items of a preset's decks, in time order."""
        with self.db.read() as session:
            _, chosen, deck_ids = self._scope(session, deck, preset)
            histories = self._histories(session, deck_ids)
        return training_items(histories.answers.items(), self.zone, chosen.day_start_hour)

    # -- optimise ---------------------------------------------------------------------

    def optimize(
        self,
        deck: str | None = None,
        preset: str | None = None,
        *,
        dry_run: bool = False,
        minimum: int = MIN_ITEMS,
        now: datetime,
    ) -> OptimizeResult:
        """Fit parameters to the history as Anki does; save them by Anki's rule (they predict it
        better, or the current ones fail its relearning-steps check)."""
        started = time.perf_counter()
        with self.db.read() as session:
            pid, chosen, deck_ids = self._scope(session, deck, preset)
            histories = self._histories(session, deck_ids)
        items = training_items(histories.answers.items(), self.zone, chosen.day_start_hour)
        base = OptimizeResult(preset=chosen.name, reviews=histories.reviews, items=len(items))
        reason = refusal(items, minimum)
        if reason is not None:
            return _replace(base, refused=reason, current=chosen.parameters)
        rs_items = [to_rs(item) for item in items]
        steps = len(chosen.relearning_steps)
        new = fit_as_anki(chosen.parameters, items, steps)
        current_eval = evaluate(chosen.parameters, rs_items)
        new_eval = evaluate(new, rs_items)
        split = split_evaluate(rs_items)
        better = not anki_keeps_current(chosen.parameters, current_eval.log_loss, new_eval.log_loss, steps)
        result = _replace(
            base,
            current=chosen.parameters,
            new=new,
            current_eval=current_eval,
            new_eval=new_eval,
            split_eval=split,
        )
        if not better or dry_run:
            return _replace(result, seconds=time.perf_counter() - started)
        with self.db.write() as session:  # parameters and memory states: one transaction
            session.execute(
                update(repo.presets_t)
                .where(repo.presets_t.c.id == pid)
                .values(parameters=json.dumps(list(new)))
            )
            before, after, updated = self.recompute_memory(
                deck_ids, histories, chosen, new, chosen.desired_retention, now, session=session
            )
        return _replace(
            result,
            saved=True,
            load_before=before,
            load_after=after,
            cards_updated=updated,
            seconds=time.perf_counter() - started,
        )

    def recompute_memory(
        self,
        deck_ids: list[int],
        histories: _Histories,
        preset: Preset,
        parameters: Sequence[float],
        desired_retention: float,
        now: datetime,
        *,
        session: Session | None = None,
    ) -> tuple[float, float, int]:
        """Set every reviewed card's stability and difficulty from its whole history (in bulk).

        Returns the daily load (sum of 1/interval over review cards) before and after. Runs in
        `session`'s transaction when given (with the change that calls for it), else in its own.
        """
        card_ids = list(histories.answers)
        steps = [history_steps(histories.answers[c], self.zone, preset.day_start_hour) for c in card_ids]
        kept = [(c, s) for c, s in zip(card_ids, steps, strict=True) if s]
        model = rs.FSRS(list(parameters))
        states = model.memory_state_batch(
            [rs.FSRSItem([rs.FSRSReview(x.rating, x.delta_t) for x in s]) for _, s in kept]
        )
        old_decay, new_decay = _decay(preset.parameters), _decay(parameters)
        load_before = load_after = 0.0
        values: list[dict[str, Any]] = []
        with contextlib.nullcontext(session) if session is not None else self.db.write() as session:
            current = {
                int(i): (s, st)
                for i, s, st in session.execute(
                    text("SELECT id, stability, state FROM cards WHERE deck_id IN :decks").bindparams(
                        bindparam("decks", expanding=True)
                    ),
                    {"decks": deck_ids},
                )
            }
            for (card_id, _), state in zip(kept, states, strict=True):
                old_s, card_state = current.get(card_id, (None, 0))
                if card_state == 2 and old_s:
                    load_before += 1.0 / max(1.0, interval_for(old_s, preset.desired_retention, old_decay))
                    load_after += 1.0 / max(1.0, interval_for(state.stability, desired_retention, new_decay))
                stability, difficulty = stored_memory(state.stability, state.difficulty)
                values.append({"cid": card_id, "s": stability, "d": difficulty})
            if values:
                session.execute(
                    text(
                        "UPDATE cards SET stability = :s, difficulty = :d, modified_at = :m WHERE id = :cid"
                    ),
                    [{**v, "m": to_millis(now)} for v in values],
                )
        return load_before, load_after, len(values)

    def recompute_for_parameters(
        self,
        session: Session,
        deck_ids: list[int],
        preset: Preset,
        parameters: Sequence[float],
        now: datetime,
    ) -> int:
        """After a preset's parameters change (`preset` holds the old ones): every reviewed card
        of its decks gets the memory state the new parameters compute from its history, in
        `session`'s transaction, as Anki does when deck options change. How many were set."""
        if not deck_ids:
            return 0
        histories = self._histories(session, deck_ids)
        return self.recompute_memory(
            deck_ids, histories, preset, parameters, preset.desired_retention, now, session=session
        )[2]

    # -- simulate ---------------------------------------------------------------------

    def simulate(
        self,
        deck: str | None = None,
        retentions: Sequence[float] = (0.75, 0.8, 0.85, 0.9, 0.95),
        *,
        days: int = 365,
        seed: int = 42,
    ) -> list[SimulationRow]:
        """Expected reviews per day and memorised cards for a range of desired retentions."""
        with self.db.read() as session:
            _, chosen, deck_ids = self._scope(session, deck, None)
            size = session.execute(
                text("SELECT COUNT(*) FROM cards WHERE deck_id IN :decks").bindparams(
                    bindparam("decks", expanding=True)
                ),
                {"decks": deck_ids},
            ).scalar()
        config = rs.default_simulator_config()
        config.deck_size = max(int(size or 0), 1)
        config.learn_span = days
        config.learn_limit = chosen.new_per_day
        config.review_limit = chosen.reviews_per_day
        config.max_ivl = float(chosen.maximum_interval)
        rows = []
        for dr in retentions:
            result = rs.simulate(list(chosen.parameters), dr, config, seed)
            reviews = sum(result.review_cnt_per_day) / max(1, len(result.review_cnt_per_day))
            correct = sum(result.correct_cnt_per_day)
            total = sum(result.review_cnt_per_day)
            memorized = result.memorized_cnt_per_day[-1] if result.memorized_cnt_per_day else 0.0
            rows.append(SimulationRow(dr, reviews, float(memorized), correct / total if total else None))
        return rows

    # -- review-log import ----------------------------------------------------------

    def import_review_log(self, path: Path, deck: str, now: datetime) -> ImportSummary:
        """Cards `Imported card <id>` in `deck`, their history replayed into the review log."""
        by_card = read_revlog(path)
        with self.db.write() as session:
            default = repo.preset_id(session, "Default")
            assert default is not None
            deck_id, _ = repo.ensure_deck(session, deck, default)
            preset_of = {d.id: d.preset_id for d in repo.decks(session)}
            preset = repo.presets(session)[preset_of[deck_id]]
            prefix = f"revlog:{path.stem}:"
            existing = set(
                session.execute(
                    text("SELECT external_id FROM cards WHERE external_id LIKE :p"), {"p": prefix + "%"}
                ).scalars()
            )
            fresh = [(sid, f"{prefix}{sid}") for sid in sorted(by_card) if f"{prefix}{sid}" not in existing]
            replayed = {sid: replay(by_card[sid], preset, self.zone) for sid, _ in fresh}
            if fresh:  # one executemany for the cards, one for every review
                session.execute(
                    repo.cards_t.insert(),
                    [_card_row(deck_id, ext, sid, replayed[sid], now) for sid, ext in fresh],
                )
                found = session.execute(
                    text("SELECT external_id, id FROM cards WHERE external_id LIKE :p"), {"p": prefix + "%"}
                )
                ids: dict[str, int] = {str(e): int(i) for e, i in found}
                session.execute(
                    repo.reviews_t.insert(),
                    [row for sid, ext in fresh for row in _review_rows(ids[ext], replayed[sid])],
                )
        reviews = sum(len(r) for r in replayed.values())
        return ImportSummary(deck, len(fresh), reviews, len(by_card) - len(fresh))


def _card_row(
    deck_id: int, external: str, source_id: int, replayed: list[Any], now: datetime
) -> dict[str, Any]:
    content = CardContent(kind=CardKind.BASIC, front=f"Imported card {source_id}", back="")
    row = card_values(
        external,
        deck_id,
        content,
        created_at=replayed[0].review.at,
        tags=" imported ",
        state=replayed[-1].after,
    )
    row["modified_at"] = to_millis(now)
    return row


def _review_rows(card_id: int, replayed: list[Any]) -> Iterator[dict[str, Any]]:
    for entry in replayed:
        review = entry.review
        row = review_values(
            card_id, review.at, review.rating, review.duration_ms, "import", entry.before, entry.after
        )
        yield dict(zip(REVIEW_INSERT_COLUMNS, row, strict=True))


def _decay(parameters: Sequence[float]) -> float:
    return float(parameters[20]) if len(parameters) > 20 else 0.5


def _replace(result: OptimizeResult, **changes: Any) -> OptimizeResult:
    return replace(result, **changes)


__all__ = ["ImportSummary", "OptimizeResult", "OptimizeService", "SimulationRow"]
