"""Write an Anki package in the legacy layout (`collection.anki21`, schema 11).

That layout is the one every current Anki version imports. Note GUIDs from Anki are
kept (and derived from our stable ids otherwise) so that re-importing into Anki updates
notes instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from trainer.atomicfile import atomic_path
from trainer.core.days import day_start, study_date
from trainer.core.millis import to_millis
from trainer.core.scheduling import CardState, SchedulingState
from trainer.formats.anki_kept import KeptNote, KeptNotetype
from trainer.formats.anki_notes import MULTI, REVERSED, NoteShape, anki_ordinal, shape_notes
from trainer.formats.anki_schema import (
    DDL,
    deck_config_json,
    deck_json,
    multi_notetype,
    notetypes_json,
    with_hints,
)
from trainer.formats.csv_text import guid_for
from trainer.formats.html_text import strip_html, text_to_anki_html
from trainer.formats.model import CardRecord, ReviewRecord
from trainer.formats.safety import safe_media_name

COMPRESSLEVEL = 1  # deflate: the package is a transport, speed beats the last few percent of size
NOTETYPE_IDS = {
    "basic": 1700000000001,
    "reversed": 1700000000002,
    "typed": 1700000000003,
    "cloze": 1700000000004,
}
MULTI_BASE = 1700000000100  # generic group note types: one id per template layout
HINTED_BASE = 1700000000500  # the note types above with hint fields
FSRS5_DECAY = 0.5
# SM-2 values Anki schedules with while FSRS is off (its default): a trainer card has no ease of
# its own, so it leaves with Anki's starting ease; a relearning card with Anki's default lapse
# interval (new interval 0% of the old, at least 1 day) unless it came from Anki unchanged.
DEFAULT_EASE = 2500
MINIMUM_EASE = 1300
LAPSE_INTERVAL = 1
DEFAULT_STEPS = (2, 1)  # learning and relearning step counts of the default preset (1m 10m; 10m)


@dataclass(frozen=True)
class Timing:
    """The collection's clock: its zone and day start (Anki's day numbers count its study days)."""

    zone: tzinfo = UTC
    day_start_hour: int = 4
    decay: dict[str, float] = field(default_factory=dict)  # deck -> FSRS decay of its preset
    steps: dict[str, tuple[int, int]] = field(
        default_factory=dict
    )  # deck -> (learning, relearning) step counts


def write_package(
    path: Path,
    records: Sequence[CardRecord],
    media: dict[str, bytes],
    now: datetime,
    *,
    scheduling: bool = True,
    timing: Timing | None = None,
    descriptions: dict[str, str] | None = None,
    kept: Mapping[str, tuple[KeptNotetype, KeptNote]] | None = None,
) -> None:
    """Write `records` (and the media they use) as an .apkg file; a card group in `kept` leaves as
    the Anki note it came from (its note type and raw fields)."""
    with tempfile.TemporaryDirectory(prefix=f"trainer-export-{os.getpid()}-") as folder:
        db_path = Path(folder) / "collection.anki21"
        _write_db(db_path, records, now, scheduling, timing or Timing(), descriptions or {}, kept or {})
        with (
            atomic_path(path) as temp,
            zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as archive,
        ):
            archive.writestr("meta", b"\x08\x02")
            archive.write(db_path, "collection.anki21")
            names = [n for n in media if safe_media_name(n)]
            archive.writestr("media", json.dumps({str(i): n for i, n in enumerate(names)}))
            for i, name in enumerate(names):
                archive.writestr(str(i), media[name])


def _crt(records: Sequence[CardRecord], now: datetime, timing: Timing) -> datetime:
    """The collection's creation: the start of the study day of its earliest card or review."""
    first = now
    for r in records:
        if r.created_at and r.created_at < first:
            first = r.created_at
        if r.scheduling and r.scheduling.last_review and r.scheduling.last_review < first:
            first = r.scheduling.last_review
        if r.reviews and r.reviews[0].reviewed_at < first:
            first = r.reviews[0].reviewed_at
    return day_start(first, timing.zone, timing.day_start_hour)


def _minutes_west(moment: datetime, zone: tzinfo) -> int:
    offset = moment.astimezone(zone).utcoffset()
    return -int(offset.total_seconds() // 60) if offset else 0


class _Ids:
    """Anki ids are creation times in ms: kept where known, made unique by counting up."""

    def __init__(self) -> None:
        self.used: set[int] = set()

    def take(self, wanted: int) -> int:
        while wanted in self.used:
            wanted += 1
        self.used.add(wanted)
        return wanted


def _write_db(
    db_path: Path,
    records: Sequence[CardRecord],
    now: datetime,
    scheduling: bool,
    timing: Timing,
    descriptions: dict[str, str],
    kept: Mapping[str, tuple[KeptNotetype, KeptNote]],
) -> None:
    stamp = int(now.timestamp())
    base_id = stamp * 1000
    created = _crt(records, now, timing)
    crt = int(created.timestamp())
    first_day = study_date(created, timing.zone, timing.day_start_hour)
    shapes = shape_notes(records)
    deck_ids: dict[str, int] = {"Default": 1}
    for name in dict.fromkeys(record.deck for record in records):  # each deck once, in order
        parts = name.split("::")
        for depth in range(1, len(parts) + 1):
            deck_ids.setdefault("::".join(parts[:depth]), base_id + len(deck_ids))
    notetype_ids = dict(NOTETYPE_IDS)
    models = notetypes_json(NOTETYPE_IDS, stamp)
    multi_ids: dict[tuple[bool, ...], int] = {}
    for shape in shapes:
        if shape.kind == MULTI and shape.key not in kept and shape.typed not in multi_ids:
            mid = multi_ids[shape.typed] = MULTI_BASE + len(multi_ids)
            models[str(mid)] = multi_notetype(mid, shape.typed, stamp)
    kept_mids = _kept_models(shapes, kept, models, stamp)
    hinted: dict[int, int] = {}  # note type -> its variant with hint fields
    decks = {str(i): deck_json(i, n, stamp) for n, i in deck_ids.items()}
    for name, text in descriptions.items():
        if name in deck_ids and text:
            decks[str(deck_ids[name])]["desc"] = text_to_anki_html(text)
    conf = {
        "nextPos": len(records) + 1, "schedVer": 2, "sched2021": True, "rollover": timing.day_start_hour,
        "creationOffset": _minutes_west(created, timing.zone), "fsrs": True,
    }  # fmt: skip
    notes: list[tuple[object, ...]] = []
    cards: list[tuple[object, ...]] = []
    revlog: list[tuple[object, ...]] = []
    used_revlog: set[int] = set()
    note_ids, card_ids = _Ids(), _Ids()
    joined: dict[tuple[str, ...], str] = {}  # tags -> Anki's form (notes share tags)
    sha1 = hashlib.sha1
    day = _Days(timing, first_day)
    for shape in shapes:
        members = [record for _, record in shape.cards]
        born = min((r.created_at for r in members if r.created_at), default=None)
        nid = note_ids.take(to_millis(born) if born else base_id)
        if shape.key in kept:
            kept_type, kept_note = kept[shape.key]
            html_fields = list(kept_note.fields)
            mid = kept_mids[kept_type.digest]
            shape = _kept_shape(shape)
            sort_at = models[str(mid)].get("sortf", 0)
            sort_field = strip_html(html_fields[sort_at if 0 <= sort_at < len(html_fields) else 0])
        else:
            html_fields = [text_to_anki_html(f) for f in shape.fields]
            mid = multi_ids[shape.typed] if shape.kind == MULTI else notetype_ids[shape.kind]
            hints = _hints(shape)
            if hints:  # the same note type with a hint field per template
                base = mid
                mid = hinted.setdefault(base, HINTED_BASE + len(hinted))
                if str(mid) not in models:
                    models[str(mid)] = with_hints(models[str(base)], mid)
                html_fields += [text_to_anki_html(h) for h in hints]
            sort_field = strip_html(html_fields[0])
        tags = members[0].tags
        tag_text = joined.get(tags)
        if tag_text is None:
            tag_text = joined[tags] = f" {' '.join(tags)} " if tags else ""
        csum = int.from_bytes(sha1(sort_field.encode()).digest()[:4], "big")  # first 8 hex digits
        flds = "\x1f".join(html_fields)
        notes.append((nid, guid_for(shape.key), mid, stamp, -1, tag_text, flds, sort_field, csum, 0, ""))
        for ordinal, record in shape.cards:
            cid = card_ids.take(to_millis(record.created_at) if record.created_at else nid)
            decay = timing.decay.get(record.deck, FSRS5_DECAY)
            steps = timing.steps.get(record.deck, DEFAULT_STEPS)
            cards.append(
                _card(cid, nid, deck_ids[record.deck], ordinal, record, day, stamp, scheduling, decay, steps)
            )
            if scheduling and record.reviews:
                revlog.extend(_revlog(cid, record, used_revlog, day))
    col_row = (
        crt, stamp * 1000, stamp * 1000, json.dumps(conf), json.dumps(models), json.dumps(decks),
        json.dumps({"1": deck_config_json(stamp)}),
    )  # fmt: skip
    # A fresh temporary file: no journal and no syncs, one transaction.
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN")
        tables, indexes = DDL.split("CREATE INDEX", 1)
        for statement in tables.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')", col_row)
        conn.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
        conn.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
        conn.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", revlog)
        for statement in ("CREATE INDEX" + indexes).split(";"):  # indexes after the rows: faster
            if statement.strip():
                conn.execute(statement)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _kept_models(
    shapes: Sequence[NoteShape],
    kept: Mapping[str, tuple[KeptNotetype, KeptNote]],
    models: dict[str, Any],
    stamp: int,
) -> dict[str, int]:
    """Add the kept note types the exported notes use to `models`: each keeps its Anki id unless
    another note type of this package has it. Returns digest -> id."""
    mids: dict[str, int] = {}
    for shape in shapes:
        if shape.key not in kept:
            continue
        kept_type = kept[shape.key][0]
        if kept_type.digest in mids:
            continue
        mid = kept_type.anki_id if kept_type.anki_id > 0 else MULTI_BASE
        while str(mid) in models or mid in NOTETYPE_IDS.values():
            mid += 1
        mids[kept_type.digest] = mid
        models[str(mid)] = kept_type.model(mid, stamp)
    return mids


def _hints(shape: NoteShape) -> list[str]:
    """The hint of each of the note's card templates (empty when no card has one)."""
    if not any(record.content.hint for _, record in shape.cards):
        return []
    templates = len(shape.typed) if shape.kind == MULTI else 2 if shape.kind == REVERSED else 1
    hints = [""] * templates
    for ordinal, record in shape.cards:
        hints[min(ordinal, len(hints) - 1)] = record.content.hint
    return hints


def _kept_shape(shape: NoteShape) -> NoteShape:
    """The note's cards at their Anki template ordinals (`anki/<guid>/<ord>`)."""
    cards = [(anki_ordinal(record), record) for _, record in shape.cards]
    if any(o is None for o, _ in cards):
        return shape
    return NoteShape(shape.kind, shape.fields, [(o or 0, r) for o, r in cards], shape.key, shape.typed)


class _Days:
    """Anki's day numbers: study days since the collection's first study day, in its zone."""

    def __init__(self, timing: Timing, first: date) -> None:
        self.zone = timing.zone
        self.hour = timing.day_start_hour
        self.first = first

    def number(self, moment: datetime) -> int:
        return (study_date(moment, self.zone, self.hour) - self.first).days

    def between(self, start: datetime, end: datetime) -> int:
        return (study_date(end, self.zone, self.hour) - study_date(start, self.zone, self.hour)).days


def _card_data(
    stability: float | None, difficulty: float | None, lrt: int, decay: float = FSRS5_DECAY
) -> str:
    """`cards.data` exactly as `json.dumps` writes it (s, d, decay only with s and d), built directly."""
    if stability and difficulty:
        s, d = round(stability, 4), round(difficulty, 4)
        if type(s) is float and type(d) is float and math.isfinite(s) and math.isfinite(d):
            return f'{{"s": {s!r}, "d": {d!r}, "decay": {decay!r}, "lrt": {lrt}}}'
        return json.dumps({"s": s, "d": d, "decay": decay, "lrt": lrt})
    return f'{{"lrt": {lrt}}}'


def _card(
    cid: int,
    nid: int,
    did: int,
    ordinal: int,
    record: CardRecord,
    day: _Days,
    stamp: int,
    scheduling: bool,
    decay: float,
    steps: tuple[int, int] = DEFAULT_STEPS,
) -> tuple[object, ...]:
    s = record.scheduling
    if not scheduling or s is None or s.state is CardState.NEW:
        queue = -1 if scheduling and record.suspended else 0
        return (cid, nid, did, ordinal, stamp, -1, 0, queue, record.position, 0, 0, 0, 0, 0, 0, 0, 0, "{}")
    due_at = s.due or datetime.fromtimestamp(stamp, UTC)
    last_at = s.last_review or due_at - timedelta(days=1)
    data = _card_data(s.stability, s.difficulty, int(last_at.timestamp()), decay)
    kept = record.anki_card  # (ivl, factor, reps) of a card imported from Anki
    unchanged = kept is not None and kept[2] == s.reps and kept[0] > 0  # not answered since
    if s.state is CardState.REVIEW:
        ctype, queue, due_value = 2, 2, day.number(due_at)
        ivl = kept[0] if kept and unchanged else max(1, day.between(last_at, due_at))
    else:
        ctype, queue, due_value, ivl = int(s.state), 1, int(due_at.timestamp()), 0
        if s.state is CardState.RELEARNING:  # the interval it returns to review with (SM-2)
            ivl = kept[0] if kept and unchanged else LAPSE_INTERVAL
    factor = 0
    if ctype in (2, 3):  # SM-2's ease: Anki's own where the card came from there
        factor = kept[1] if kept and kept[1] >= MINIMUM_EASE else DEFAULT_EASE
    if record.suspended:
        queue = -1
    elif record.buried:
        queue = -3
    return (
        cid, nid, did, ordinal, stamp, -1, ctype, queue, due_value, ivl, factor,
        s.reps, s.lapses, remaining_steps(s, steps), 0, 0, record.flag & 7, data,
    )  # fmt: skip


def remaining_steps(state: SchedulingState, steps: tuple[int, int]) -> int:
    """Anki's `left` of a (re)learning card: the steps still to go, counting the current one (what
    Anki 2.1.50+ writes; the old `today * 1000 + remaining` form is read as `left % 1000`); 0 else."""
    if state.state is CardState.LEARNING:
        count = steps[0]
    elif state.state is CardState.RELEARNING:
        count = steps[1]
    else:
        return 0
    if count <= 0:
        return 0
    return max(1, count - min(max(state.step or 0, 0), count - 1))


_REVLOG_TYPE = {CardState.NEW: 0, CardState.LEARNING: 0, CardState.REVIEW: 1, CardState.RELEARNING: 2}
MANUAL = 4  # Anki's revlog type of a "Forget" / "Set due date" entry (ease 0)


def anki_factor(record: ReviewRecord) -> int:
    """The revlog `factor` Anki writes for this answer: with a memory state after it, the FSRS
    difficulty shifted to 100..1100 (rslib's `difficulty_shifted`, in permille); else the SM-2
    ease of a card that has one (2500 by default), 0 for a card in (first) learning or new."""
    d = record.difficulty_after
    if d is not None and math.isfinite(d) and record.state_after is not CardState.NEW:
        return round(((d - 1.0) / 9.0 + 0.1) * 1000.0)
    return 2500 if record.state_after in (CardState.REVIEW, CardState.RELEARNING) else 0


def _revlog(cid: int, record: CardRecord, used: set[int], day: _Days) -> list[tuple[object, ...]]:
    """The card's log rows; `lastIvl` is the interval the previous answer set, as Anki logs it;
    `factor` and `type` as Anki writes them (a row imported from Anki keeps its own)."""
    rows: list[tuple[object, ...]] = []
    last_ivl = 0
    for r in record.reviews:
        rid = to_millis(r.reviewed_at)
        while rid in used:
            rid += 1
        used.add(rid)
        if r.state_after is CardState.REVIEW and r.due_after:
            ivl = max(1, day.between(r.reviewed_at, r.due_after))
        else:
            span = (r.due_after - r.reviewed_at).total_seconds() if r.due_after else 0
            ivl = -max(0, int(span))
        manual = r.kind == "manual" or not 1 <= r.rating <= 4
        logged_last = last_ivl
        if r.anki is not None:  # imported from Anki: its own values
            factor, rtype, kept_ivl, kept_last = r.anki
            if kept_ivl is not None and kept_last is not None:
                ivl, logged_last = kept_ivl, kept_last
        else:
            factor, rtype = anki_factor(r), MANUAL if manual else _REVLOG_TYPE[r.state_before]
        if manual:
            rows.append((rid, cid, -1, 0, ivl, logged_last, factor, 0, rtype))
        else:
            rows.append((rid, cid, -1, r.rating, ivl, logged_last, factor, r.duration_ms, rtype))
        last_ivl = ivl
    return rows
