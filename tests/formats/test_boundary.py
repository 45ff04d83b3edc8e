"""Hostile values in every reader: one line naming file, place and field; nothing stored; nothing poisoned."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.formats.helpers import edit_legacy_db
from tests.formats.test_hostile import snapshot
from trainer.collection import Collection
from trainer.core.scheduling import Rating
from trainer.formats.safety import ImportFormatError


def refused(col: Collection, path: Path, *fragments: str) -> str:
    before = snapshot(col)
    with pytest.raises(ImportFormatError) as caught:
        col.import_file(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message and len(message) < 400
    for fragment in fragments:
        assert fragment in message, message
    assert snapshot(col) == before
    return message


def studies_fine(col: Collection) -> None:
    """The whole collection still works: deck list, next card, an answer, undo; no bad value stored."""
    col.decks()
    study = col.next_card()
    if study is not None:
        col.answer(study.card.id, Rating.GOOD, duration_ms=1000)
        col.undo()
    assert [p for p in col.maintenance.check().problems if p.code in ("value", "preset")] == []


@pytest.fixture
def backup(packages: dict[str, Path], col: Collection, tmp_path: Path) -> dict[str, Any]:
    """A real JSON backup (presets, decks, cards with reviews) to spoil one value of."""
    col.import_file(packages["current"])
    study = col.next_card()
    assert study is not None
    col.answer(study.card.id, Rating.GOOD, duration_ms=2000)
    out = tmp_path / "backup.json"
    col.export_file(out)
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def _reviewed(data: dict[str, Any]) -> dict[str, Any]:
    return next(card for card in data["cards"] if card["reviews"])


SPOILERS: dict[str, tuple[Any, ...]] = {
    "state 99": (lambda d: _reviewed(d).update(state=99), "card anki/", "state: 99"),
    "front list": (lambda d: d["cards"][0]["content"].update(front=["x"]), "front"),
    "stability NaN": (lambda d: _reviewed(d).update(stability=float("nan")), "stability"),
    "stability text": (lambda d: _reviewed(d).update(stability="abc"), "stability: 'abc' is not a number"),
    "stability -5": (lambda d: _reviewed(d).update(stability=-5), "stability: -5 is out of range"),
    "position 1e30": (lambda d: d["cards"][0].update(position=1e30), "position"),
    "due huge": (lambda d: _reviewed(d).update(due="9999-12-31T00:00:00+00:00"), "due"),
    "review rating": (lambda d: _reviewed(d)["reviews"][0].update(rating=9), "rating"),
    "review stability": (
        lambda d: _reviewed(d)["reviews"][0].update(stability_after=1e308),
        "stability_after",
    ),
    "review time null": (lambda d: _reviewed(d)["reviews"][0].update(reviewed_at=None), "review"),
    "day start 99": (lambda d: d["presets"][0].update(day_start_hour=99), "preset", "day_start_hour: 99"),
    "steps 1e12": (lambda d: d["presets"][0].update(learning_steps=[10**12]), "learning_steps[0]"),
    "params NaN": (lambda d: d["presets"][0].update(parameters=[float("nan")] * 21), "parameters[0]"),
    "deck 4000 deep": (lambda d: d["cards"][0].update(deck="::".join(["d"] * 4000)), "nested too deep"),
    "field 2M": (lambda d: d["cards"][0]["content"].update(back="x" * 2_000_000), "back: too long"),
    "cards not a list": (lambda d: d.update(cards={"a": 1}), "cards: not a list"),
}


@pytest.mark.parametrize("name", sorted(SPOILERS))
def test_hostile_json_is_refused_with_its_place(
    name: str, backup: dict[str, Any], tmp_path: Path, clock: object
) -> None:
    from trainer.collection import open_collection

    spoil, *fragments = SPOILERS[name]
    spoil(backup)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(backup))
    other = open_collection(tmp_path / "other" / "c.sqlite3", clock=clock, install_bundled=False)  # type: ignore[arg-type]
    try:
        refused(other, path, *fragments)
        studies_fine(other)
    finally:
        other.close()


def test_deep_json_is_one_line(col: Collection, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    refused(col, path, "nested too deeply")


def test_json_import_keeps_the_learners_presets(
    backup: dict[str, Any], col: Collection, tmp_path: Path
) -> None:
    col.presets.set_options("Default", ["desired_retention=0.8"], now=col.clock())
    for preset in backup["presets"]:
        preset["desired_retention"] = 0.95
    path = tmp_path / "presets.json"
    path.write_text(json.dumps(backup))
    col.import_file(path)
    assert col.presets.get("Default").preset.desired_retention == 0.8
    col.import_file(path, replace_presets=True)
    assert col.presets.get("Default").preset.desired_retention == 0.95


def test_json_import_cleans_text_and_distrusts_undo_data(
    backup: dict[str, Any], tmp_path: Path, clock: object
) -> None:
    from trainer.collection import open_collection

    card = _reviewed(backup)
    card["content"]["front"] = "title\x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07 \x1b[2J"
    card["content"]["hint"] = "\x1b[31mred\u202e"
    card["reviews"][-1]["undo_data"] = json.dumps({"tags": "evil", "buried": [1, 2, 3, 4, 5]})
    path = tmp_path / "escapes.json"
    path.write_text(json.dumps(backup))
    other = open_collection(tmp_path / "o" / "c.sqlite3", clock=clock, install_bundled=False)  # type: ignore[arg-type]
    try:
        other.import_file(path)
        with other.db.read() as session:
            from sqlalchemy import text

            contents = [row[0] for row in session.execute(text("SELECT content FROM cards"))]
            undo = [row[0] for row in session.execute(text("SELECT undo_data FROM reviews"))]
        assert not any("\x1b" in c or "\x07" in c or "\u202e" in c for c in contents)
        assert all("buried" not in u for u in undo)
    finally:
        other.close()


ANKI_EDITS = {
    "steps 1e12 minutes": (
        """UPDATE col SET dconf = json_set(dconf, '$."1".new.delays', json('[1e12]'))""",
        "preset 'Anki: Default': learning_steps[0]",
    ),
    "max interval inf": (
        """UPDATE col SET dconf = json_set(dconf, '$."1".rev.maxIvl', 9e999)""",
        "deck options",
    ),
    "max interval past 64 bits": (
        """UPDATE col SET dconf = replace(dconf, '"maxIvl":36500', '"maxIvl":99999999999999999999999')""",
        "maximum_interval",
    ),
    "text creation time": ("UPDATE col SET crt = 'yesterday'", "crt"),
    "text factor": ("UPDATE cards SET factor = 'x' WHERE type = 2", "factor: 'x'"),
    "text review ease": ("UPDATE revlog SET ease = 'good'", "ease"),
    "text review time": ("UPDATE revlog SET time = 'x'", "time"),
    "huge float due": ("UPDATE cards SET due = 1e300 WHERE type = 2", "due"),
    "minimum integer due": ("UPDATE cards SET due = -9223372036854775808 WHERE type = 2", "due"),
    "interval past a C int": ("UPDATE cards SET ivl = 2147483648 WHERE type = 2", "ivl"),
    "revlog interval past a C int": ("UPDATE revlog SET ivl = 2147483648", "ivl"),
    "deep card data": (
        "UPDATE cards SET data = '" + "[" * 5000 + "]" * 5000 + "' WHERE type = 2",
        None,
    ),
    "deep note types": (
        "UPDATE col SET models = '" + "[" * 100_000 + "]" * 100_000 + "'",
        "nested too deeply",
    ),
    "generated column": (
        "ALTER TABLE notes ADD COLUMN boom TEXT GENERATED ALWAYS AS (hex(zeroblob(100000000))) VIRTUAL",
        "generated or hidden column (notes.boom)",
    ),
}


@pytest.mark.parametrize("name", sorted(ANKI_EDITS))
def test_hostile_anki_values(name: str, packages: dict[str, Path], col: Collection, tmp_path: Path) -> None:
    sql, fragment = ANKI_EDITS[name]
    path = edit_legacy_db(packages["legacy"], tmp_path / "hostile.apkg", tmp_path, sql)
    if fragment is None:  # unusable but harmless: ignored, the card imports and studies
        col.import_file(path)
    else:
        refused(col, path, fragment)
    studies_fine(col)


def _peak_import_mb(path: Path, db: Path) -> tuple[float, str]:
    """Peak resident memory (MB) of a separate process importing `path`, and its stderr."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from trainer.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(db)!r}, 'import', {str(path)!r}])\n"
        "except SystemExit:\n    pass\n"
        "status = open('/proc/self/status').read()\n"  # VmHWM: this process's own peak (not the parent's)
        "print(int(status.split('VmHWM:')[1].split()[0]) / 1024, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    *lines, peak = done.stderr.strip().splitlines()
    return float(peak), "\n".join(lines)


def test_zstd_media_bomb_is_streamed_and_capped(packages: dict[str, Path], tmp_path: Path) -> None:
    import zipfile

    import zstandard

    bomb = zstandard.ZstdCompressor(level=19, write_content_size=False).compress(b"\0" * 300_000_000)
    assert len(bomb) < 20_000
    out = tmp_path / "media-bomb.apkg"
    with zipfile.ZipFile(packages["current"]) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data if info.filename != "0" else bomb)
    peak, err = _peak_import_mb(out, tmp_path / "c.sqlite3")
    assert "size cap" in err and "Traceback" not in err
    assert peak < 300, f"{peak:.0f} MB"
