"""Anki -> trainer -> Anki in four zones: due days, intervals, states, creation times, memory
states and review-log rows come back as Anki had them (Anki's library in a subprocess with the
zone's `TZ` builds the collection and judges both packages)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.formats.anki_judge import ROOT, judge_in_zone
from trainer.collection import open_collection

BUILD = (
    "import sys; from pathlib import Path;"
    "from tests.formats.anki_oracle import build_collection, export_package;"
    "f = Path(sys.argv[1]); b = build_collection(f / 'src');"
    "export_package(b.path, f / 'src.apkg', legacy=False)"
)
FIELDS = ("due", "ivl", "type", "queue", "nid", "deck", "question", "answer")


@pytest.mark.parametrize("zone", ["America/New_York", "UTC", "Asia/Kolkata", "Asia/Tokyo"])
def test_anki_collection_round_trips_in_its_zone(zone: str, tmp_path: Path) -> None:
    env = dict(os.environ, TZ=zone, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", BUILD, str(tmp_path)], env=env, check=True, timeout=300)
    package = tmp_path / "src.apkg"
    before = judge_in_zone(package, tmp_path / "before", zone)
    col = open_collection(tmp_path / "t.sqlite3", install_bundled=False, zone=ZoneInfo(zone))
    try:
        now = datetime.now(UTC)
        col.import_file(package, now=now)
        col.export_file(tmp_path / "back.apkg", now=now)
    finally:
        col.close()
    after = judge_in_zone(tmp_path / "back.apkg", tmp_path / "after", zone)
    assert set(after["cards"]) == set(before["cards"]) and len(before["cards"]) == 8
    for key, card in before["cards"].items():
        back = after["cards"][key]
        assert {f: back[f] for f in FIELDS} == {f: card[f] for f in FIELDS}, key
        if card["stability"] is not None:
            assert back["stability"] == pytest.approx(card["stability"], abs=1e-3)
            assert back["difficulty"] == pytest.approx(card["difficulty"], abs=1e-3)
    rows = sorted(
        (r[0], r[2], r[3], r[4], r[5], r[7]) for r in before["revlog"]
    )  # id ease ivl lastIvl factor type
    assert len(rows) >= 8 and sorted((r[0], r[2], r[3], r[4], r[5], r[7]) for r in after["revlog"]) == rows
