"""Anki's four next states of every card of a package, in a subprocess on a fixed clock.

`next_states(package, folder, when, fsrs=...)` imports the package into a fresh Anki
collection under faketime (`when` in UTC), fuzz off (`ANKI_TEST_MODE`), and returns per card
`<guid>/<ord>`: its type, queue, ivl, factor, left and the four next states as
`[kind, seconds or days]` (see `tests/anki_clock._state`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def next_states(package: Path, folder: Path, when: str, *, fsrs: bool) -> dict[str, Any]:
    """The cards of `package` as Anki sees them at `when` ('2026-03-01 12:00:00', UTC)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TZ="UTC", PYTHONPATH=str(ROOT), ANKI_TEST_MODE="1")
    command = ["faketime", "-f", f"@{when}", sys.executable, "-m", "tests.formats.anki_next_states"]
    command += [str(package), str(folder), "1" if fsrs else "0"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _main(package: str, folder: str, fsrs: bool) -> None:
    from tests.anki_clock import _state
    from tests.formats.anki_judge import anki_import

    anki = anki_import(Path(package), Path(folder) / "states.anki2")
    anki.set_config("fsrs", fsrs)
    out = {}
    for cid in anki.find_cards(""):
        card = anki.get_card(cid)
        states = anki._backend.get_scheduling_states(cid)
        out[f"{card.note().guid}/{card.ord}"] = {
            "type": card.type, "queue": card.queue, "ivl": card.ivl, "factor": card.factor,
            "left": card.left,
            "next": [_state(s) for s in (states.again, states.hard, states.good, states.easy)],
        }  # fmt: skip
    anki.close()
    print(json.dumps(out))


def made_with_sm2_values(package: Path, when: str) -> None:
    """An Anki package (made at `when`, UTC) whose cards carry their own SM-2 values: a review card
    with ease 1300, a relearning card (interval 7 days, ease 2100, last step), a learning card."""
    env = dict(os.environ, TZ="UTC", PYTHONPATH=str(ROOT))
    command = ["faketime", "-f", f"@{when}", sys.executable, "-m", "tests.formats.anki_next_states"]
    subprocess.run([*command, "make", str(package)], env=env, check=True, timeout=300)


def _make(package: str) -> None:
    import tempfile
    import time

    from anki.collection import Collection, ExportAnkiPackageOptions

    with tempfile.TemporaryDirectory() as folder:
        col = Collection(str(Path(folder) / "made.anki2"))
        did = col.decks.id("Sched")
        ids = []
        for i in range(3):
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = f"q{i}", f"a{i}"
            col.add_note(note, did)
            ids.append(note.card_ids()[0])
        today, now = col.sched.today, int(time.time())
        update = (
            "update cards set type=?, queue=?, ivl=?, due=?, factor=?, reps=?, lapses=?, left=? where id=?"
        )
        col.db.execute(update, 2, 2, 10, today + 5, 1300, 5, 2, 0, ids[0])
        col.db.execute(update, 3, 1, 7, now + 300, 2100, 6, 3, 1, ids[1])
        col.db.execute(update, 1, 1, 0, now + 60, 0, 1, 0, 2, ids[2])
        for i, cid in enumerate(ids):
            col.db.execute(
                "insert into revlog values (?,?,-1,3,10,5,1300,1000,1)", (now - 86400 * (i + 2)) * 1000, cid
            )
        options = ExportAnkiPackageOptions(with_scheduling=True, with_media=False, with_deck_configs=True)
        col.export_anki_package(out_path=package, options=options, limit=None)
        col.close()


if __name__ == "__main__":
    if sys.argv[1] == "make":
        _make(sys.argv[2])
    else:
        _main(sys.argv[1], sys.argv[2], sys.argv[3] == "1")
