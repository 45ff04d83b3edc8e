"""Anki deck options (schema 11 JSON or schema 18 protobuf) -> our presets and learning steps."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from trainer.core.scheduling import DEFAULT_PARAMETERS, Preset, fill_parameters
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
    """FSRS-6 parameters from Anki's FSRS-6 (21), FSRS-5 (19) or FSRS-4.5 (17) weights, filled as
    Anki fills them (fsrs-rs `check_and_fill_parameters`); None otherwise.

    Parameters the scheduler cannot use (not finite, outside the fsrs package's bounds)
    count as none.
    """
    if len(values) not in (17, 19, 21):
        return None
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
        return None
    try:
        params = [round(v, 6) for v in fill_parameters([float(v) for v in values])]
    except ValueError:
        return None
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


_UNREADABLE = (ValueError, TypeError, KeyError, AttributeError, OverflowError, protobuf.ProtobufError)


def config_from_json(key: object, conf: dict[str, Any]) -> DeckConfig:
    """One options group in the JSON of schema 11 (`col.dconf`) and 14 (`deck_config.config`)."""
    new, rev, lapse = conf.get("new") or {}, conf.get("rev") or {}, conf.get("lapse") or {}
    return make_config(
        str(conf.get("name", key)),
        learn=[float(x) for x in new.get("delays") or []],
        relearn=[float(x) for x in lapse.get("delays") or []],
        weights=[conf.get(k) or [] for k in ("fsrsParams6", "fsrsParams5", "fsrsWeights")],
        retention=float(conf.get("desiredRetention") or 0.9),
        new_per_day=int(new.get("perDay", 20)),
        reviews_per_day=int(rev.get("perDay", 200)),
        max_interval=int(rev.get("maxIvl", 36500)),
        leech=int(lapse.get("leechFails", 8)),
        bury=bool(new.get("bury") or rev.get("bury")),
    )


def configs_11(raw: str, problems: list[str] | None = None) -> dict[int, DeckConfig]:
    """Deck options from the `col.dconf` JSON of schema 11 (empty from schema 14 on: they moved to a
    table). An options group that cannot be read is left out and named in `problems`."""
    out: dict[int, DeckConfig] = {}
    if not raw.strip():
        return out
    for key, conf in json.loads(raw).items():
        if not isinstance(conf, dict) or conf.get("dyn"):
            continue
        try:
            out[int(key)] = config_from_json(key, conf)
        except _UNREADABLE as exc:
            _problem(problems, conf.get("name", key), exc)
    return out


def _problem(problems: list[str] | None, name: object, exc: Exception) -> None:
    if problems is not None:
        problems.append(f"deck options '{name}' unreadable ({exc}): default options used")


def deck_configs_11(raw: str) -> dict[int, int]:
    """Deck id -> options id from the `col.decks` JSON of schema 11 (options 1 when not a number)."""
    out: dict[int, int] = {}
    for key, deck in json.loads(raw).items():
        if not isinstance(deck, dict) or deck.get("dyn"):
            continue
        conf = deck.get("conf", 1)
        out[int(key)] = conf if isinstance(conf, int) and not isinstance(conf, bool) else 1
    return out


def configs_18(
    conn: sqlite3.Connection, text: Callable[[Any, str], str], problems: list[str] | None = None
) -> dict[int, DeckConfig]:
    """Deck options from the `deck_config` table: protobuf from schema 15 on, JSON in schema 14."""
    out: dict[int, DeckConfig] = {}
    for cid, name, blob in conn.execute("SELECT id, name, config FROM deck_config"):
        data = bytes(blob or b"") if not isinstance(blob, str) else blob.encode()
        try:
            if data.lstrip().startswith(b"{"):
                out[int(cid)] = config_from_json(
                    cid, {"name": text(name, f"deck options {cid}")} | json.loads(data)
                )
            else:
                out[int(cid)] = _config_proto(int(cid), text(name, f"deck options {cid}"), data)
        except _UNREADABLE as exc:
            _problem(problems, cid, exc)
    return out


def _config_proto(cid: int, name: str, data: bytes) -> DeckConfig:
    def number(field: int, default: int) -> int:
        value = protobuf.first(data, field)
        return value if isinstance(value, int) else default

    retention = protobuf.floats(data, _RETENTION)
    return make_config(
        name,
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


def deck_configs_18(conn: sqlite3.Connection) -> dict[int, int]:
    """Deck id -> options id from the `decks.kind` protobuf of schema 18 (normal decks only)."""
    out: dict[int, int] = {}
    for did, kind in conn.execute("SELECT id, kind FROM decks"):
        normal = protobuf.first(bytes(kind or b""), 1)
        if isinstance(normal, bytes):
            config = protobuf.first(normal, 1)
            out[int(did)] = config if isinstance(config, int) else 1
    return out
