"""Presets (deck options): show, change, and reschedule the cards that use them."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import bindparam, text, update

from trainer.core.days import local_zone, start_of_day_after
from trainer.core.scheduling import DEFAULT_PARAMETERS, Preset, fill_parameters
from trainer.core.stats import interval_for
from trainer.core.validate import parse_steps
from trainer.errors import InvalidInputError, NotFoundError
from trainer.store import repo
from trainer.store.engine import Database
from trainer.store.models import from_millis, to_millis

SETTABLE = {f.name for f in fields(Preset)} - {"name"}


@dataclass(frozen=True)
class PresetInfo:
    """A preset and the decks that use it."""

    preset: Preset
    decks: tuple[str, ...]
    rescheduled: int = 0
    recomputed: int = 0  # cards whose memory state new parameters recomputed

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        data = {f.name: getattr(self.preset, f.name) for f in fields(Preset)}
        return {
            **data,
            "decks": list(self.decks),
            "rescheduled": self.rescheduled,
            "recomputed": self.recomputed,
        }


def parse_parameters(raw: str) -> tuple[float, ...]:
    """FSRS parameters from a list (spaces or commas): none are the defaults; 17 (FSRS-4.5/5)
    or 19 (FSRS-5) are filled to FSRS-6's 21 as Anki fills them on import."""
    values = tuple(float(x) for x in raw.replace(",", " ").split())
    if not values:
        return DEFAULT_PARAMETERS
    bad = next((i for i, v in enumerate(values) if not math.isfinite(v)), None)
    if bad is not None:
        raise InvalidInputError(f"parameters[{bad}]: {values[bad]} is not a finite number")
    if len(values) == len(DEFAULT_PARAMETERS):
        return values
    try:
        return fill_parameters(values)
    except InvalidInputError as exc:
        raise InvalidInputError(f"parameters: {exc}") from None


def parse_setting(preset: Preset, assignment: str) -> Preset:
    """Apply `KEY=VALUE` to a preset, validated (steps as `1m 10m 1h`, parameters as a list).

    Every value is checked as an import checks it (finite, in range), so nothing set here
    can break scheduling later."""
    key, sep, raw = assignment.partition("=")
    key = key.strip().replace("-", "_")
    if not sep or key not in SETTABLE:
        raise InvalidInputError(
            f"cannot set '{assignment[:80]}': use KEY=VALUE with KEY one of {', '.join(sorted(SETTABLE))}"
        )
    current = getattr(preset, key)
    value: Any
    shown = raw.strip()[:40]
    try:
        if isinstance(current, bool):
            if raw.strip().lower() not in {"true", "false", "1", "0", "yes", "no"}:
                raise InvalidInputError(raw)
            value = raw.strip().lower() in {"true", "1", "yes"}
        elif key == "parameters":
            value = parse_parameters(raw)
        elif isinstance(current, tuple):
            value = parse_steps(raw, key)
        elif isinstance(current, float):
            value = float(raw)
        else:
            value = int(raw.strip())
    except ValueError as exc:
        if str(exc).startswith((f"{key}:", f"{key}[")):
            raise
        raise InvalidInputError(f"{key}: '{shown}' is not a valid value") from None
    changed = replace(preset, **{key: value})
    problems = changed.validate()
    if problems:
        raise InvalidInputError("; ".join(problems))
    return changed


class PresetService:
    """Reads and writes presets."""

    def __init__(self, db: Database, zone: tzinfo | None = None) -> None:
        self.db = db
        self.zone = zone or local_zone()  # study days: a rescheduled review is due at a day start

    def all(self) -> list[PresetInfo]:
        """Every preset with its decks."""
        with self.db.read() as session:
            decks = repo.decks(session)
            return [
                PresetInfo(p, tuple(d.name for d in decks if d.preset_id == pid))
                for pid, p in sorted(repo.presets(session).items(), key=lambda kv: kv[1].name)
            ]

    def get(self, name: str) -> PresetInfo:
        """One preset by name."""
        for info in self.all():
            if info.preset.name == name:
                return info
        raise NotFoundError(f"no preset named '{name}'")

    def of_deck(self, deck: str) -> Preset:
        """The preset a deck uses."""
        with self.db.read() as session:
            tree = repo.subtree(repo.decks(session), deck)
            if not tree:
                raise NotFoundError(f"no deck named '{deck}'")
            return repo.presets(session)[tree[0].preset_id]

    def assign(self, deck: str, preset: str) -> None:
        """Make `deck` use the preset named `preset`."""
        with self.db.write() as session:
            pid = repo.preset_id(session, preset, create=False)
            if pid is None:
                raise NotFoundError(f"no preset named '{preset}'")
            result = session.execute(
                update(repo.decks_t).where(repo.decks_t.c.name == deck).values(preset_id=pid)
            )
            if not repo.rowcount(result):
                raise NotFoundError(f"no deck named '{deck}'")

    def change(
        self, name: str, assignments: list[str], *, reschedule: bool = False, now: datetime
    ) -> PresetInfo:
        """Apply `KEY=VALUE` changes; with `reschedule`, move review cards' due dates.

        New FSRS parameters recompute the memory state of every reviewed card of the preset's
        decks from its history, as Anki does when deck options change: with the change, in
        one transaction (before any rescheduling, which then follows the new states)."""
        info = self.get(name)
        preset = info.preset
        for assignment in assignments:
            preset = parse_setting(preset, assignment)
        with self.db.write() as session:
            pid = repo.preset_id(session, name, create=False)
            session.execute(
                update(repo.presets_t).where(repo.presets_t.c.id == pid).values(**repo.preset_values(preset))
            )
            recomputed = 0
            if preset.parameters != info.preset.parameters:
                from trainer.services.optimize import OptimizeService  # fsrs-rs's batch recompute

                deck_ids = [d.id for d in repo.decks(session) if d.preset_id == pid]
                recomputed = OptimizeService(self.db, self.zone).recompute_for_parameters(
                    session, deck_ids, info.preset, preset.parameters, now
                )
            moved = self._reschedule(session, pid, preset, now) if reschedule else 0
        return PresetInfo(preset, info.decks, moved, recomputed)

    def _reschedule(self, session: Any, pid: int | None, preset: Preset, now: datetime) -> int:
        """New due dates of review cards from their stability and the preset's retention."""
        deck_ids = [d.id for d in repo.decks(session) if d.preset_id == pid]
        if not deck_ids:
            return 0
        decay = float(preset.parameters[20]) if len(preset.parameters) > 20 else 0.5
        rows = session.execute(
            text(
                "SELECT id, stability, last_review FROM cards WHERE deck_id IN :decks AND state = 2"
                " AND stability IS NOT NULL AND last_review IS NOT NULL"
            ).bindparams(bindparam("decks", expanding=True)),
            {"decks": deck_ids},
        )
        values = []
        for card_id, stability, last_review in rows:
            interval = interval_for(float(stability), preset.desired_retention, decay)
            days = min(max(1, round(interval)), preset.maximum_interval)
            due = start_of_day_after(from_millis(int(last_review)), days, self.zone, preset.day_start_hour)
            values.append({"cid": card_id, "due": to_millis(due), "m": to_millis(now)})
        if values:
            session.execute(text("UPDATE cards SET due = :due, modified_at = :m WHERE id = :cid"), values)
        return len(values)
