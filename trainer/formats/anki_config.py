"""Anki deck options (schema 11 JSON or schema 18 protobuf) -> our presets and learning steps."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from trainer.core.scheduling import DEFAULT_PARAMETERS, Preset
from trainer.core.validate import PARAMETER_BOUNDS
from trainer.formats import protobuf

PREFIX = "Anki: "
# DeckConfig.Config field numbers (anki/proto/anki/deck_config.proto)
_LEARN, _RELEARN, _FSRS4, _FSRS5, _FSRS6 = 1, 2, 3, 5, 6
_NEW_PER_DAY, _REVIEWS_PER_DAY, _MAX_IVL, _LEECH, _BURY_NEW, _RETENTION = 9, 10, 16, 22, 27, 37


@dataclass(frozen=True)
class DeckConfig:
    """What we keep of one Anki deck options group."""

    preset: Preset
    learn_steps: int  # how many learning steps
    relearn_steps: int


def parameters(values: Sequence[float]) -> tuple[float, ...] | None:
    """FSRS-6 parameters from Anki's FSRS-6 (21) or FSRS-5 (19) weights, None otherwise.

    FSRS-5 is FSRS-6 with no short-term stability exponent and a decay of 0.5. Parameters
    the scheduler cannot use (not finite, outside the fsrs package's bounds) count as none.
    """
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
        return None
    params = [round(float(v), 6) for v in values]
    if len(params) == 19:
        params += [0.0, 0.5]
    if len(params) != len(DEFAULT_PARAMETERS):
        return None
    if any(not low <= p <= high for p, (low, high) in zip(params, PARAMETER_BOUNDS, strict=True)):
        return None
    return tuple(params)


def _seconds(minutes: Sequence[float]) -> tuple[int, ...]:
    return tuple(max(1, round(float(m) * 60)) for m in minutes)


def make_config(
    name: str,
    *,
    learn: Sequence[float],
    relearn: Sequence[float],
    weights: Sequence[Sequence[float]],
    retention: float,
    new_per_day: int,
    reviews_per_day: int,
    max_interval: int,
    leech: int,
    bury: bool,
) -> DeckConfig:
    """A preset named `Anki: <name>` from Anki's deck option values (steps in minutes)."""
    params = next((p for p in (parameters(w) for w in weights) if p), None)
    preset = Preset(
        name=f"{PREFIX}{name}"[:200],
        parameters=params or DEFAULT_PARAMETERS,
        desired_retention=min(0.99, max(0.7, round(float(retention), 4) if retention else 0.9)),
        learning_steps=_seconds(learn),
        relearning_steps=_seconds(relearn),
        maximum_interval=max(1, int(max_interval or 36500)),
        new_per_day=max(0, int(new_per_day)),
        reviews_per_day=max(0, int(reviews_per_day)),
        leech_threshold=max(1, int(leech or 8)),
        bury_siblings=bool(bury),
    )
    return DeckConfig(preset, len(learn), len(relearn))


def configs_11(raw: str) -> dict[int, DeckConfig]:
    """Deck options from the `col.dconf` JSON of schema 11."""
    out: dict[int, DeckConfig] = {}
    for key, conf in json.loads(raw).items():
        if not isinstance(conf, dict) or conf.get("dyn"):
            continue
        new, rev, lapse = conf.get("new", {}), conf.get("rev", {}), conf.get("lapse", {})
        out[int(key)] = make_config(
            str(conf.get("name", key)),
            learn=[float(x) for x in new.get("delays", [])],
            relearn=[float(x) for x in lapse.get("delays", [])],
            weights=[conf.get(k) or [] for k in ("fsrsParams6", "fsrsParams5", "fsrsWeights")],
            retention=float(conf.get("desiredRetention") or 0.9),
            new_per_day=int(new.get("perDay", 20)),
            reviews_per_day=int(rev.get("perDay", 200)),
            max_interval=int(rev.get("maxIvl", 36500)),
            leech=int(lapse.get("leechFails", 8)),
            bury=bool(new.get("bury") or rev.get("bury")),
        )
    return out


def deck_configs_11(raw: str) -> dict[int, int]:
    """Deck id -> options id from the `col.decks` JSON of schema 11."""
    return {int(k): int(v.get("conf", 1)) for k, v in json.loads(raw).items() if not v.get("dyn")}


def configs_18(conn: sqlite3.Connection, text: Callable[[Any, str], str]) -> dict[int, DeckConfig]:
    """Deck options from the `deck_config` table of schema 18."""
    out: dict[int, DeckConfig] = {}
    for cid, name, blob in conn.execute("SELECT id, name, config FROM deck_config"):
        data = bytes(blob or b"")

        def number(field: int, default: int, data: bytes = data) -> int:
            value = protobuf.first(data, field)
            return value if isinstance(value, int) else default

        retention = protobuf.floats(data, _RETENTION)
        out[int(cid)] = make_config(
            text(name, f"deck options {cid}"),
            learn=protobuf.floats(data, _LEARN),
            relearn=protobuf.floats(data, _RELEARN),
            weights=[protobuf.floats(data, f) for f in (_FSRS6, _FSRS5, _FSRS4)],
            retention=retention[0] if retention else 0.9,
            new_per_day=number(_NEW_PER_DAY, 20),
            reviews_per_day=number(_REVIEWS_PER_DAY, 200),
            max_interval=number(_MAX_IVL, 36500),
            leech=number(_LEECH, 8),
            bury=bool(number(_BURY_NEW, 0)),
        )
    return out


def deck_configs_18(conn: sqlite3.Connection) -> dict[int, int]:
    """Deck id -> options id from the `decks.kind` protobuf of schema 18 (normal decks only)."""
    out: dict[int, int] = {}
    for did, kind in conn.execute("SELECT id, kind FROM decks"):
        normal = protobuf.first(bytes(kind or b""), 1)
        if isinstance(normal, bytes):
            config = protobuf.first(normal, 1)
            out[int(did)] = config if isinstance(config, int) else 1
    return out
