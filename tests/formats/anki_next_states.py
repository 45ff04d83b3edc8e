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


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2], sys.argv[3] == "1")
