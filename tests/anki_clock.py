"""Drive Anki's own scheduler on a fixed clock (libfaketime), in a subprocess.

`run_anki(job)` starts this file as a script under libfaketime with a timestamp file it
rewrites before each step, so Anki's backend sees exactly the time the step names, in the
zone `job["zone"]`. A job sets up a collection (FSRS on, one deck of `cards` Basic notes,
deck options as given) and runs steps in order:

- `{"at": iso, "answer": [card index, ease]}`: answer a card at that moment;
- `{"at": iso, "states": [card indexes]}`: the four next states of those cards;
- `{"at": iso, "counts": true}`: the deck list's new / learning / review counts of the deck;
- `{"at": iso, "due": [card indexes]}`: each card's queue, due (epoch seconds in the
  learning queue, else Anki's day number) and last answer time (epoch ms: faketime's clock
  ticks on from the time a step sets);
- `{"at": iso, "next_memory": [card indexes]}`: the memory state (stability, difficulty) of
  each of the four next states of those cards.

With `job["export"]` (a path), the deck is then exported there as an .apkg with scheduling.

Times are ISO 8601 with an offset. The script prints one JSON list of what the `states`
and `counts` steps returned. `ANKI_TEST_MODE` (set when `job["fuzz"]` is false) turns Anki's
fuzz off; it also moves Anki's clock back 2 hours between 02:00 and 04:00 local time, so
jobs that need those hours exact keep fuzz on and ask nothing fuzz changes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

LIBFAKETIME = next(iter(sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))), None)


def faketime_missing() -> str | None:
    """Why the faketime tests cannot run here, or None."""
    if shutil.which("faketime") is None or LIBFAKETIME is None:
        return "libfaketime is not installed (Debian package faketime; .ci/run installs it)"
    return None


def run_anki(job: dict[str, Any], timeout: float = 600) -> list[Any]:
    """Run `job` against Anki's library under a fixed clock; the results of its queries."""
    where = "/dev/shm" if Path("/dev/shm").is_dir() else None  # in memory: Anki commits every answer
    assert LIBFAKETIME is not None, faketime_missing()
    with tempfile.TemporaryDirectory(prefix="anki-clock-", dir=where) as folder:
        clock = Path(folder) / "now"
        clock.write_text(_spec(job["steps"][0]["at"], job["zone"]) if job["steps"] else "+0", "utf-8")
        env = {
            **os.environ,
            "LD_PRELOAD": str(LIBFAKETIME),
            "FAKETIME_TIMESTAMP_FILE": str(clock),
            "FAKETIME_NO_CACHE": "1",
            "TZ": job["zone"],
        }
        env.pop("FAKETIME", None)
        if not job.get("fuzz", True):
            env["ANKI_TEST_MODE"] = "1"
        done = subprocess.run(
            [sys.executable, __file__, folder],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the Anki side failed:\n{done.stderr[-4000:]}")
        return list(json.loads(done.stdout))


def _spec(at: str, zone: str) -> str:
    """libfaketime's absolute time for an ISO instant, in the process's local zone."""
    local = datetime.fromisoformat(at).astimezone(ZoneInfo(zone))
    return "@" + local.strftime("%Y-%m-%d %H:%M:%S") + "\n"


# -- the Anki side (runs in the subprocess) ------------------------------------------------


def _state(proto: Any) -> list[Any]:
    """(kind, seconds or days) of one of Anki's SchedulingState messages."""
    normal = (
        proto.normal if proto.WhichOneof("kind") == "normal" else proto.filtered.rescheduling.original_state
    )
    kind = normal.WhichOneof("kind")
    if kind == "review":
        return ["review", normal.review.scheduled_days]
    if kind == "learning":
        return ["learning", normal.learning.scheduled_secs]
    if kind == "relearning":
        return ["relearning", normal.relearning.learning.scheduled_secs]
    return [kind, 0]


def _memory(proto: Any) -> list[float]:
    """(stability, difficulty) of one of Anki's SchedulingState messages."""
    normal = proto.normal
    kind = normal.WhichOneof("kind")
    inner = normal.relearning.learning if kind == "relearning" else getattr(normal, kind)
    return [inner.memory_state.stability, inner.memory_state.difficulty]


def _main(folder: str) -> None:
    from anki.collection import Collection

    job = json.loads(sys.stdin.read())
    clock = Path(folder) / "now"
    steps = job["steps"]
    col = Collection(str(Path(folder) / "oracle.anki2"))
    col.set_config("fsrs", True)
    col.set_config("rollover", int(job.get("rollover", 4)))
    col.set_config("collapseTime", int(job.get("learn_ahead", 1200)))
    deck = col.decks.id("Oracle")
    assert deck is not None
    conf = col.decks.config_dict_for_deck_id(deck)
    conf["new"]["delays"] = job.get("learn", [1.0, 10.0])
    conf["lapse"]["delays"] = job.get("relearn", [10.0])
    conf["new"]["perDay"] = job.get("new_per_day", 9999)
    conf["rev"]["perDay"] = job.get("reviews_per_day", 9999)
    conf["rev"]["maxIvl"] = job.get("maximum_interval", 36500)
    conf["lapse"]["leechFails"] = job.get("leech", 9999)
    conf["lapse"]["leechAction"] = 1  # tag only
    conf["new"]["bury"] = conf["rev"]["bury"] = False
    conf["fsrsParams6"] = job["parameters"]
    conf["desiredRetention"] = job.get("retention", 0.9)
    col.decks.update_config(conf)
    basic = col.models.by_name("Basic")
    ids = []
    for index in range(int(job["cards"])):
        note = col.new_note(basic)
        note.fields[0] = f"card {index}"
        col.add_note(note, deck)
        ids.append(note.card_ids()[0])
    results: list[Any] = []
    for step in steps:
        clock.write_text(_spec(step["at"], job["zone"]), "utf-8")
        if "answer" in step:
            index, ease = step["answer"]
            card = col.get_card(ids[index])
            card.start_timer()
            col.sched.answerCard(card, ease)
        elif "states" in step:
            out: dict[int, list[Any]] = {}
            for index in step["states"]:
                states = col._backend.get_scheduling_states(ids[index])
                out[index] = [_state(s) for s in (states.again, states.hard, states.good, states.easy)]
                if job.get("memory"):
                    card = col.get_card(ids[index])
                    memory = card.memory_state
                    out[index].append([memory.stability, memory.difficulty] if memory else None)
            results.append(out)
        elif "due" in step:
            cards = [col.get_card(ids[index]) for index in step["due"]]
            last = "select max(id) from revlog where cid = ?"  # when it was answered (its clock ticks)
            results.append([[card.queue, card.due, col.db.scalar(last, card.id)] for card in cards])
        elif "next_memory" in step:
            memories: dict[int, list[Any]] = {}
            for index in step["next_memory"]:
                states = col._backend.get_scheduling_states(ids[index])
                memories[index] = [_memory(s) for s in (states.again, states.hard, states.good, states.easy)]
            results.append(memories)
        elif "counts" in step:
            node = col.sched.deck_due_tree(deck)
            assert node is not None
            results.append([node.new_count, node.learn_count, node.review_count])
    if job.get("export"):
        from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

        options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False)
        col.export_anki_package(out_path=job["export"], options=options, limit=DeckIdLimit(deck))
    col.close()
    print(json.dumps(results))


if __name__ == "__main__":
    _main(sys.argv[1])
