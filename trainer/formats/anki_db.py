"""Read an Anki collection database (schema 11 or 18) into study cards."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from trainer.core.scheduling import CardState, SchedulingState
from trainer.formats import anki_bounds, anki_config, anki_kept, protobuf
from trainer.formats.anki_cards import Card, CardBuilder, NoteType
from trainer.formats.anki_config import DeckConfig
from trainer.formats.anki_sched import AnkiCard, AnkiReview, card_state, fill_memory_states, review_records
from trainer.formats.model import CardRecord, Package, ReviewRecord
from trainer.formats.safety import ImportFormatError, Limits, decode, reading

_NEEDED = {"col", "notes", "cards", "revlog"}


class Reader:
    """Reads one opened collection; `file`/`member` name it in errors."""

    def __init__(self, conn: sqlite3.Connection, file: Path, member: str, limits: Limits) -> None:
        self.conn = conn
        self.file = file
        self.member = member
        self.limits = limits

    def fail(self, where: str, message: str) -> ImportFormatError:
        return ImportFormatError(
            self.file, f"member '{self.member}', {where}" if where else f"member '{self.member}'", message
        )

    def text(self, raw: object, where: str, *, schema: bool = False) -> str:
        limits = replace(self.limits, field_chars=self.limits.member_bytes) if schema else self.limits
        return decode(raw, self.file, f"member '{self.member}', {where}", limits)

    def read(self, *, scheduling: bool) -> Package:
        try:
            with reading(self.file, f"member '{self.member}'"):
                return self._read(scheduling)
        except sqlite3.Error as exc:
            raise self.fail("", f"unexpected database content ({exc})") from None

    def _read(self, scheduling: bool) -> Package:
        tables = {
            self.text(r[0], "schema")
            for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables >= _NEEDED:
            raise self.fail(
                "", f"not an Anki collection (missing tables: {', '.join(sorted(_NEEDED - tables))})"
            )
        row = self.conn.execute("SELECT ver, crt FROM col").fetchone()
        if row is None or not isinstance(row[0], int) or not 11 <= row[0] <= 18:
            raise self.fail("", f"unsupported collection schema version {row[0] if row else '?'}")
        bad = anki_bounds.first_bad_row(self.conn, tables)
        if bad:
            raise self.fail(*bad)
        crt = int(row[1])
        modern = "notetypes" in tables
        notetypes = self._notetypes_18() if modern else self._notetypes_11()
        kept_types = self._kept_notetypes(modern)
        decks = self._decks_18() if modern else self._decks_11()
        package = Package(has_scheduling=scheduling)
        options = self._options(tables, package.notices)
        self._presets(package, decks, options)
        notes = self._notes()
        revlog = self._revlog(self._scheduler_v1(tables)) if scheduling else {}
        source = f"Anki package {self.file.name}"
        pending: list[int] = []
        anki_cards: list[AnkiCard] = []
        builder = CardBuilder()
        notices = package.notices
        cards = package.cards
        kept_notes = package.anki_notes
        skipped = package.skipped
        note_for = notes.get
        history_for = revlog.get
        deck_for = decks.get
        rows = self.conn.execute(
            "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, "
            "data FROM cards ORDER BY nid, ord"
        )
        for (
            cid,
            nid,
            did,
            ordinal,
            ctype,
            queue,
            due,
            ivl,
            factor,
            reps,
            lapses,
            left,
            odue,
            odid,
            flags,
            data,
        ) in rows:
            note = note_for(nid)
            if note is None:
                skipped.append((f"card {cid}", "its note is missing"))
                continue
            guid, mid, fields, tags = note
            notetype = notetypes.get(mid)
            if notetype is None:
                skipped.append((f"note {nid}", "unknown note type"))
                continue
            home = odid if odid else did
            deck = deck_for(home) or deck_for(did) or "Default"
            content, problem = builder.content(
                notetype, mid, Card(fields, int(ordinal), tags, deck, int(flags))
            )
            if content is None:
                skipped.append((f"note {nid} card {ordinal + 1}", problem or "empty question"))
                continue
            if problem:
                notices.append((f"note {nid} card {ordinal + 1}", problem))
            group = f"anki/{guid}"
            if group not in kept_notes and mid in kept_types:
                kept_type = kept_types[mid]
                kept_notes[group] = anki_kept.KeptNote(kept_type.digest, tuple(fields))
                package.anki_notetypes.setdefault(kept_type.digest, kept_type)
            record = CardRecord(
                external_id=f"anki/{guid}/{ordinal}", deck=deck,
                content=content, tags=tags, group=group, source=source,
                position=int(due) if ctype == 0 else 0, suspended=queue == -1, buried=queue in (-2, -3),
                flag=int(flags) & 7, reviews=[], where=f"note {nid}", created_at=_created(nid),
            )  # fmt: skip
            if scheduling:
                history = history_for(cid)
                if history:
                    record.reviews = review_records(history)
                if ctype != 0:
                    anki = AnkiCard(
                        int(cid), int(ctype), int(queue), int(due), int(ivl), int(factor), int(reps),
                        int(lapses), int(odue), int(odid), self.text(data, f"card {cid}") if data else "",
                        int(left),
                    )  # fmt: skip
                    config = options.get(home) or options.get(did)
                    steps = (config.learn_steps, config.relearn_steps) if config else (2, 1)
                    record.scheduling, has_memory = card_state(anki, crt, record.reviews, steps)
                    record.anki_card = (int(ivl), int(factor), int(reps))
                    if not has_memory:
                        pending.append(len(cards))
                        anki_cards.append(anki)
            cards.append(record)
        if pending:
            filled = fill_memory_states(
                [package.cards[i].scheduling for i in pending],  # type: ignore[misc]
                [package.cards[i].reviews for i in pending],
                anki_cards,
                crt,
            )
            for i, state in zip(pending, filled, strict=True):
                package.cards[i].scheduling = state
        for record in cards:
            if record.reviews and record.reviews[-1].kind == "manual":
                record.reviews[-1] = _settled(record.reviews[-1], record.scheduling)
        return package

    def _notes(self) -> dict[int, tuple[str, int, list[str], tuple[str, ...]]]:
        """Note id -> (guid, note type, raw fields, tags); UTF-8 and size checked per note."""
        notes: dict[int, tuple[str, int, list[str], tuple[str, ...]]] = {}
        cap = self.limits.field_chars
        for nid, guid, mid, tags, flds in self.conn.execute("SELECT id, guid, mid, tags, flds FROM notes"):
            try:
                text = flds.decode() if isinstance(flds, bytes) else str(flds or "")
                guid_text = guid.decode() if isinstance(guid, bytes) else str(guid)
                tag_text = tags.decode() if isinstance(tags, bytes) else str(tags or "")
            except UnicodeDecodeError as exc:
                raise self.fail(f"note {nid}", f"invalid UTF-8 at byte {exc.start}") from None
            if len(text) > cap or len(tag_text) > cap or len(guid_text) > cap:
                raise self.fail(
                    f"note {nid}", f"field too large ({max(len(text), len(tag_text))} characters)"
                )
            notes[nid] = (guid_text, mid, text.split("\x1f"), tuple(tag_text.split()))
        return notes

    def _scheduler_v1(self, tables: set[str]) -> bool:
        """Whether the collection still uses Anki's v1 scheduler (`schedVer` 1 or unset)."""
        raw: object = None
        if "config" in tables:
            row = self.conn.execute("SELECT val FROM config WHERE KEY = 'schedVer'").fetchone()
            raw = row[0] if row else None
        if raw is None:
            conf = self.conn.execute("SELECT conf FROM col").fetchone()
            try:
                value = json.loads(self.text(conf[0] or "{}", "col.conf", schema=True)).get("schedVer", 1)
            except (ValueError, AttributeError):
                return False
        else:
            try:
                value = json.loads(self.text(raw, "config schedVer"))
            except ValueError:
                return False
        return bool(value == 1)

    def _revlog(self, v1: bool) -> dict[int, list[AnkiReview]]:
        """Review-log rows by card; a v1 collection's (re)learning answers had three buttons, so
        their Good and Easy (2, 3) become 3 and 4, as Anki's upgrade to v2 does on import."""
        revlog: dict[int, list[AnkiReview]] = defaultdict(list)
        for rid, cid, ease, ivl, last_ivl, factor, time_ms, rtype in self.conn.execute(
            "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
        ):
            if v1 and ease in (2, 3) and rtype in (0, 2):
                ease += 1
            revlog[cid].append(
                AnkiReview(
                    int(rid), int(ease), int(ivl), int(time_ms), int(rtype), int(last_ivl), int(factor)
                )
            )
        return revlog

    def _options(self, tables: set[str], notices: list[tuple[str, str]]) -> dict[int, DeckConfig]:
        """Deck id -> its deck options. Options are in `col.dconf` (schema 11) or the `deck_config`
        table (14 on: JSON in 14, protobuf from 15); decks in `col.decks` or (15 on) a table. An
        options group that cannot be read gives default options, and a notice."""
        problems: list[str] = []
        try:
            raw = self.conn.execute("SELECT dconf, decks FROM col").fetchone()
            configs = anki_config.configs_11(self.text(raw[0] or "", "col.dconf", schema=True), problems)
            if "deck_config" in tables:
                configs |= anki_config.configs_18(self.conn, lambda v, where: self.text(v, where), problems)
            if "decks" in tables:
                by_deck = anki_config.deck_configs_18(self.conn)
            else:
                by_deck = anki_config.deck_configs_11(self.text(raw[1], "col.decks", schema=True))
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError,
                protobuf.ProtobufError) as exc:  # fmt: skip
            raise self.fail("deck options", f"unreadable deck options ({_why(exc)})") from None
        notices.extend(("deck options", problem) for problem in problems)
        return {did: configs[cid] for did, cid in by_deck.items() if cid in configs}

    @staticmethod
    def _presets(package: Package, decks: dict[int, str], options: dict[int, DeckConfig]) -> None:
        seen: set[str] = set()
        for did, name in decks.items():
            config = options.get(did)
            if config is None:
                continue
            package.deck_presets[name] = config.preset.name
            if config.preset.name not in seen:
                seen.add(config.preset.name)
                package.presets.append(config.preset)

    def _notetypes_11(self) -> dict[int, NoteType]:
        raw = self.text(self.conn.execute("SELECT models FROM col").fetchone()[0], "col.models", schema=True)
        try:
            models = json.loads(raw)
            return {
                int(mid): NoteType(
                    name=str(m.get("name", "")),
                    cloze=m.get("type") == 1,
                    fields=[str(f["name"]) for f in m.get("flds", [])],
                    templates={
                        int(t.get("ord", i)): (str(t.get("qfmt", "")), str(t.get("afmt", "")))
                        for i, t in enumerate(m.get("tmpls", []))
                    },
                    names={
                        int(t.get("ord", i)): str(t.get("name", "")) for i, t in enumerate(m.get("tmpls", []))
                    },
                )
                for mid, m in models.items()
            }  # fmt: skip
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            raise self.fail("col.models", f"unreadable note types ({_why(exc)})") from None

    def _kept_notetypes(self, modern: bool) -> dict[int, anki_kept.KeptNotetype]:
        """The note types as Anki's legacy JSON, to give them back to Anki on export."""
        try:
            if modern:
                return anki_kept.notetypes_18(self.conn, lambda v, where: self.text(v, where))
            raw = self.text(
                self.conn.execute("SELECT models FROM col").fetchone()[0], "col.models", schema=True
            )
            models = json.loads(raw)
            return anki_kept.notetypes_11(models) if isinstance(models, dict) else {}
        except (protobuf.ProtobufError, TypeError, ValueError, RecursionError) as exc:
            raise self.fail("notetypes", f"unreadable note type ({_why(exc)})") from None

    def _notetypes_18(self) -> dict[int, NoteType]:
        out: dict[int, NoteType] = {}
        try:
            for ntid, name, config in self.conn.execute("SELECT id, name, config FROM notetypes"):
                kind = protobuf.first(bytes(config), 1)
                out[int(ntid)] = NoteType(self.text(name, f"notetype {ntid}"), kind == 1, [], {})
            for ntid, ordinal, name in self.conn.execute(
                "SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"
            ):
                if ntid in out:
                    out[ntid].fields.append(self.text(name, f"notetype {ntid} field {ordinal}"))
            for ntid, ordinal, tname, config in self.conn.execute(
                "SELECT ntid, ord, name, config FROM templates"
            ):
                if ntid in out:
                    out[ntid].names[int(ordinal)] = self.text(tname, f"notetype {ntid} template {ordinal}")
                    q, a = protobuf.first(bytes(config), 1), protobuf.first(bytes(config), 2)
                    where = f"notetype {ntid} template {ordinal}"
                    out[ntid].templates[int(ordinal)] = (
                        self.text(q if isinstance(q, bytes) else b"", where),
                        self.text(a if isinstance(a, bytes) else b"", where),
                    )
        except (protobuf.ProtobufError, TypeError, ValueError) as exc:
            raise self.fail("notetypes", f"unreadable note type ({str(exc)[:200]})") from None
        return out

    def _decks_11(self) -> dict[int, str]:
        raw = self.text(self.conn.execute("SELECT decks FROM col").fetchone()[0], "col.decks", schema=True)
        try:
            return {int(k): _deck_name(str(v["name"])) for k, v in json.loads(raw).items()}
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            raise self.fail("col.decks", f"unreadable decks ({_why(exc)})") from None

    def _decks_18(self) -> dict[int, str]:
        return {
            int(did): _deck_name(self.text(name, f"deck {did}").replace("\x1f", "::"))
            for did, name in self.conn.execute("SELECT id, name FROM decks")
        }


def _settled(row: ReviewRecord, state: SchedulingState | None) -> ReviewRecord:
    """A card's last log row, when a "Forget" or "Set due date": it leaves the card as Anki has it."""
    if state is None:
        return replace(row, state_after=CardState.NEW, due_after=None, step_after=None)
    return replace(
        row, state_after=state.state, step_after=state.step, due_after=state.due,
        stability_after=state.stability, difficulty_after=state.difficulty,
    )  # fmt: skip


_EARLIEST_MS, _LATEST_MS = 946_684_800_000, 32_503_680_000_000  # 2000 .. 3000: ids that are times


def _created(nid: int) -> datetime | None:
    """A note's creation time: Anki's note id is it, in ms (ids of other tools may be small numbers)."""
    return datetime.fromtimestamp(nid / 1000, UTC) if _EARLIEST_MS <= nid < _LATEST_MS else None


def _why(exc: BaseException) -> str:
    return "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]


def _deck_name(name: str) -> str:
    parts = [p.strip() for p in name.split("::") if p.strip()]
    return "::".join(parts) or "Default"
