"""Write an Anki package in the legacy layout (`collection.anki21`, schema 11).

That layout is the one every current Anki version imports. Note GUIDs from Anki are
kept (and derived from our stable ids otherwise) so that re-importing into Anki updates
notes instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from trainer.core.cards import CardKind
from trainer.core.scheduling import CardState
from trainer.formats.anki_schema import DDL, deck_config_json, deck_json, notetypes_json
from trainer.formats.csv_text import guid_for
from trainer.formats.html_text import strip_html, text_to_anki_html
from trainer.formats.model import CardRecord
from trainer.formats.safety import safe_media_name

DAY = 86400
COMPRESSLEVEL = 1  # deflate: the package is a transport, speed beats the last few percent of size
NOTETYPE_IDS = {
    "basic": 1700000000001,
    "reversed": 1700000000002,
    "typed": 1700000000003,
    "cloze": 1700000000004,
}


def _ordinal(record: CardRecord) -> int:
    if record.external_id.startswith("anki/"):
        tail = record.external_id.rsplit("/", 1)[-1]
        if tail.isdigit():
            return int(tail)
    if record.content.kind is CardKind.CLOZE:
        return max(0, record.content.cloze_ord - 1)
    return 1 if record.external_id.endswith("#rev") else 0


def _note(records: list[CardRecord]) -> tuple[str, list[str]]:
    first = records[0] if len(records) == 1 else min(records, key=_ordinal)
    c = first.content
    if c.kind is CardKind.CLOZE:
        return "cloze", [c.text, c.note]
    if c.kind is CardKind.REVERSED:
        front, back = (c.back, c.front) if _ordinal(first) == 1 else (c.front, c.back)
        return "reversed", [front, back]
    if c.kind is CardKind.TYPED:
        return "typed", [c.front, c.correct_answer]
    return "basic", [c.front, c.back if not c.note else f"{c.back}\n\n{c.note}"]


def write_package(
    path: Path,
    records: Sequence[CardRecord],
    media: dict[str, bytes],
    now: datetime,
    *,
    scheduling: bool = True,
) -> None:
    """Write `records` (and the media they use) as an .apkg file."""
    with tempfile.TemporaryDirectory(prefix="trainer-export-") as folder:
        db_path = Path(folder) / "collection.anki21"
        _write_db(db_path, records, now, scheduling)
        temp = path.with_name(path.name + ".part")
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as archive:
            archive.writestr("meta", b"\x08\x02")
            archive.write(db_path, "collection.anki21")
            names = [n for n in media if safe_media_name(n)]
            archive.writestr("media", json.dumps({str(i): n for i, n in enumerate(names)}))
            for i, name in enumerate(names):
                archive.writestr(str(i), media[name])
        temp.replace(path)


def _crt(records: Sequence[CardRecord], now: datetime) -> int:
    times = [now.timestamp()]
    for r in records:
        if r.scheduling and r.scheduling.last_review:
            times.append(r.scheduling.last_review.timestamp())
        if r.reviews:
            times.append(r.reviews[0].reviewed_at.timestamp())
    return int(min(times) // DAY * DAY)


def _write_db(db_path: Path, records: Sequence[CardRecord], now: datetime, scheduling: bool) -> None:
    stamp = int(now.timestamp())
    base_id = stamp * 1000
    crt = _crt(records, now)
    groups: dict[str, list[CardRecord]] = {}
    for record in records:
        groups.setdefault(record.group or record.external_id, []).append(record)
    deck_ids: dict[str, int] = {"Default": 1}
    for name in dict.fromkeys(record.deck for record in records):  # each deck once, in order
        parts = name.split("::")
        for depth in range(1, len(parts) + 1):
            deck_ids.setdefault("::".join(parts[:depth]), base_id + len(deck_ids))
    col_row = (
        crt, stamp * 1000, stamp * 1000, json.dumps({"nextPos": len(records) + 1, "schedVer": 2}),
        json.dumps(notetypes_json(NOTETYPE_IDS, stamp)),
        json.dumps({str(i): deck_json(i, n, stamp) for n, i in deck_ids.items()}),
        json.dumps({"1": deck_config_json(stamp)}),
    )  # fmt: skip
    notes: list[tuple[object, ...]] = []
    cards: list[tuple[object, ...]] = []
    revlog: list[tuple[object, ...]] = []
    used_revlog: set[int] = set()
    card_id = base_id
    joined: dict[tuple[str, ...], str] = {}  # tags -> Anki's form (notes share tags)
    sha1 = hashlib.sha1
    for index, (key, members) in enumerate(groups.items()):
        kind, fields = _note(members)
        html_fields = [text_to_anki_html(f) for f in fields]
        nid = base_id + index
        tags = members[0].tags
        tag_text = joined.get(tags)
        if tag_text is None:
            tag_text = joined[tags] = f" {' '.join(tags)} " if tags else ""
        sort_field = strip_html(html_fields[0])
        csum = int.from_bytes(sha1(sort_field.encode()).digest()[:4], "big")  # first 8 hex digits
        notes.append(
            (nid, guid_for(key), NOTETYPE_IDS[kind], stamp, -1, tag_text, "\x1f".join(html_fields),
             sort_field, csum, 0, "")
        )  # fmt: skip
        for record in members:
            card_id += 1
            cards.append(_card(card_id, nid, deck_ids[record.deck], record, crt, stamp, scheduling))
            if scheduling and record.reviews:
                revlog.extend(_revlog(card_id, record, used_revlog))
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


def _card_data(stability: float | None, difficulty: float | None, lrt: int) -> str:
    """`cards.data` exactly as `json.dumps` writes it (s and d only when both are set), built directly."""
    if stability and difficulty:
        s, d = round(stability, 4), round(difficulty, 4)
        if type(s) is float and type(d) is float and math.isfinite(s) and math.isfinite(d):
            return f'{{"s": {s!r}, "d": {d!r}, "lrt": {lrt}}}'
        return json.dumps({"s": s, "d": d, "lrt": lrt})
    return f'{{"lrt": {lrt}}}'


def _card(
    cid: int, nid: int, did: int, record: CardRecord, crt: int, stamp: int, scheduling: bool
) -> tuple[object, ...]:
    ordinal = _ordinal(record)
    s = record.scheduling
    if not scheduling or s is None or s.state is CardState.NEW:
        queue = -1 if scheduling and record.suspended else 0
        return (cid, nid, did, ordinal, stamp, -1, 0, queue, record.position, 0, 0, 0, 0, 0, 0, 0, 0, "{}")
    due = s.due.timestamp() if s.due else float(stamp)
    last = s.last_review.timestamp() if s.last_review else due - DAY
    data = _card_data(s.stability, s.difficulty, int(last))
    if s.state is CardState.REVIEW:
        ctype, queue, due_value = 2, 2, int((due - crt) // DAY)
        ivl = max(1, round((due - last) / DAY))
    else:
        ctype, queue, due_value, ivl = int(s.state), 1, int(due), 0
    if record.suspended:
        queue = -1
    elif record.buried:
        queue = -3
    return (
        cid, nid, did, ordinal, stamp, -1, ctype, queue, due_value, ivl, 2500 if ctype == 2 else 0,
        s.reps, s.lapses, 1 if ctype in (1, 3) else 0, 0, 0, record.flag & 7, data,
    )  # fmt: skip


_REVLOG_TYPE = {CardState.NEW: 0, CardState.LEARNING: 0, CardState.REVIEW: 1, CardState.RELEARNING: 2}


def _revlog(cid: int, record: CardRecord, used: set[int]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for r in record.reviews:
        rid = int(r.reviewed_at.timestamp() * 1000)
        while rid in used:
            rid += 1
        used.add(rid)
        span = (r.due_after - r.reviewed_at).total_seconds() if r.due_after else 0
        ivl = max(1, round(span / DAY)) if r.state_after is CardState.REVIEW else -int(span)
        rtype = _REVLOG_TYPE[r.state_before]
        rows.append((rid, cid, -1, r.rating, ivl, 0, 2500 if rtype else 0, r.duration_ms, rtype))
    return rows
