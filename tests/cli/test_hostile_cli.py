"""Hostile arguments and environments: one line on stderr, exit 1 (2 for usage), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.runner import run_trainer as run


def one_line(result: object, code: int = 1) -> str:
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == code, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr and stderr.count("\n") <= 1, stderr
    return stderr


def test_answer_with_a_card_id_past_64_bits(tmp_path: Path) -> None:
    out = one_line(run(tmp_path, "answer", "99999999999999999999999", "good"), 2)
    assert "CARD_ID" in out


@pytest.mark.parametrize("now", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"])
def test_trainer_now_out_of_range(tmp_path: Path, now: str) -> None:
    assert "outside the years 1900-2999" in one_line(run(tmp_path, "next", now=now))


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("mysql://user:secret@host/db", "unsupported database"),
        ("nosuch://x", "unsupported database"),
        ("~nouser-i18/x.sqlite3", "cannot find the home folder"),
        ("/dev/null/x.sqlite3", "cannot create its folder"),
    ],
)
def test_unusable_database_targets(target: str, fragment: str) -> None:
    out = one_line(run(None, "--db", target, "decks"))
    assert fragment in out and "secret" not in out


def test_preset_set_takes_anki_steps_and_shows_them(tmp_path: Path) -> None:
    changed = run(
        tmp_path, "preset", "Default", "--set", "learning_steps=1m 10m 1h", "--set", "relearning_steps=10m"
    )
    assert changed.returncode == 0, changed.stderr
    assert "steps 1m 10m 1h" in changed.stdout and "relearn 10m" in changed.stdout
    for bad, fragment in [
        ("learning_steps=60 600", "needs a unit"),
        ("learning_steps=99999999999999999999m", "longer than 10 years"),
        ("maximum_interval=99999999999999999999", "maximum_interval: 1e+20 is out of range"),
        ("parameters=nan", "parameters[0]: nan is not a finite number"),
        ("parameters=1 2", "parameters: 2 FSRS parameters cannot be used (17, 19 or 21 are)"),
    ]:
        assert fragment in one_line(run(tmp_path, "preset", "Default", "--set", bad))
    assert "steps 1m 10m 1h" in run(tmp_path, "preset", "Default").stdout  # nothing changed by the refusals
    assert run(tmp_path, "next").returncode == 0


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    import os

    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("import-revlog", "/dev/zero"), "/dev/zero: is a device"),
        (("import", "/dev/zero", "--format", "csv"), "/dev/zero: is a device"),
        (("build", "/dev/zero", "-o", "{tmp}/out.toml"), "/dev/zero: is a device"),
        (("load", "--check", "/dev/zero"), "not a deck file or a folder"),
        (("import-revlog", "{fifo}"), "is a pipe (FIFO)"),
        (("import", "{fifo}"), "is a pipe (FIFO)"),
        (("export", "{fifo}", "--format", "csv"), "is a pipe (FIFO), not a file that can be written"),
        (("export", "/dev/null", "--format", "json"), "is a device"),
    ],
)
def test_only_regular_files_are_read_or_written(
    tmp_path: Path, fifo: Path, args: tuple[str, ...], fragment: str
) -> None:
    filled = [a.format(tmp=tmp_path, fifo=fifo) for a in args]
    result = run(tmp_path, *filled, process=True, timeout=30)  # a real process: a blocked open would hang
    out = one_line(result) if args[0] != "load" else result.stdout + result.stderr
    assert fragment in out and result.returncode == 1


@pytest.mark.parametrize("command", ["study", "browse", "quiz"])
def test_the_app_without_a_terminal_is_one_line(tmp_path: Path, command: str) -> None:
    result = run(tmp_path, command, process=True, timeout=30)
    assert "needs a terminal" in one_line(result)
    assert "\x1b" not in result.stdout


def test_toml_nested_past_the_parser_is_one_line(tmp_path: Path) -> None:
    deck = tmp_path / "deep.toml"
    deck.write_text('[deck]\nid = "x"\nname = "X"\n[[cards]]\nid = "a"\nfront = "q"\nback = "a"\n'
                    "extra = " + "[" * 2000 + "]" * 2000 + "\n")  # fmt: skip
    for args in (("load", "--check", str(deck)), ("load", str(deck)), ("import", str(deck))):
        result = run(tmp_path, *args)
        assert result.returncode == 1 and "nested too deeply" in result.stderr + result.stdout
        assert "Traceback" not in result.stderr


FSRS_4_5 = [0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298, 0.8975, 0.031, 1.6474, 0.1367, 1.0461]
FSRS_4_5 += [2.1072, 0.0793, 0.3246, 1.587, 0.2272, 2.8755]


@pytest.mark.parametrize("count", [17, 19])
def test_preset_parameters_of_older_fsrs_are_filled_as_anki_fills_them(tmp_path: Path, count: int) -> None:
    """17 or 19 weights are filled to 21 by fsrs-rs's check_and_fill_parameters (what Anki runs);
    the text output shows them; an empty value resets to the defaults and says so."""
    import fsrs_rs_python

    from trainer.core.scheduling import DEFAULT_PARAMETERS

    given = FSRS_4_5 + ([0.5, 0.5] if count == 19 else [])
    done = run(tmp_path, "preset", "Default", "--set", "parameters=" + " ".join(map(str, given)), "--json")
    assert done.returncode == 0, done.stderr
    anki = [round(v, 6) for v in fsrs_rs_python.check_and_fill_parameters(given)]
    assert [round(v, 6) for v in json.loads(done.stdout)[0]["parameters"]] == anki
    shown = run(tmp_path, "preset", "Default")
    assert f"  parameters: {' '.join(f'{v:.4f}' for v in anki)}\n" in shown.stdout
    reset = run(tmp_path, "preset", "Default", "--set", "parameters=")
    assert reset.returncode == 0, reset.stderr
    assert "  parameters reset to the FSRS defaults\n" in reset.stdout
    assert (
        f"parameters (the FSRS defaults): {' '.join(f'{v:.4f}' for v in DEFAULT_PARAMETERS)}" in reset.stdout
    )
    wrong = run(tmp_path, "preset", "Default", "--set", "parameters=1 2 3")
    assert wrong.returncode == 1
    assert "parameters: 3 FSRS parameters cannot be used (17, 19 or 21 are)" in wrong.stderr
