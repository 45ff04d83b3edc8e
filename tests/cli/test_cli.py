"""The command line through a real subprocess: output, JSON, and every error path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import run_trainer as run

DECK = """\
[deck]
id = "cli"
name = "Cli"

[[cards]]
id = "one"
front = "First [bold]question[/bold]?"
back = "One"

[[cards]]
id = "two"
front = "Second?"
back = "Two"
"""


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "cli.toml"
    path.write_text(DECK, encoding="utf-8")
    return path


def test_study_round_trip(tmp_path: Path, deck: Path) -> None:
    loaded = run(tmp_path, "load", str(deck), "--json")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["added"] == ["cli/one", "cli/two"]

    decks = json.loads(run(tmp_path, "decks", "--json").stdout)["decks"]
    cli_deck = next(d for d in decks if d["name"] == "Cli")
    assert (cli_deck["new"], cli_deck["total"]) == (2, 2)

    nxt = json.loads(run(tmp_path, "next", "Cli", "--json").stdout)
    assert nxt["card"]["question"] == "First [bold]question[/bold]?"
    assert set(nxt["previews"]) == {"again", "hard", "good", "easy"}
    assert nxt["previews"]["good"]["interval"] == "10m"
    card_id = nxt["card"]["id"]

    answered = run(tmp_path, "answer", str(card_id), "good", "--duration-ms", "4000", "--json")
    assert answered.returncode == 0, answered.stderr
    result = json.loads(answered.stdout)
    assert result["due"] == nxt["previews"]["good"]["due"]

    human = run(tmp_path, "next", "Cli")
    assert "Q: Second?" in human.stdout and "good 10m" in human.stdout

    undone = json.loads(run(tmp_path, "undo", "--json").stdout)
    assert undone["undone"]["card_id"] == card_id
    assert json.loads(run(tmp_path, "undo", "--json").stdout) == {"undone": None}


def test_nothing_due(tmp_path: Path, deck: Path) -> None:
    run(tmp_path, "load", str(deck))
    for _ in range(2):
        nxt = json.loads(run(tmp_path, "next", "Cli", "--json").stdout)
        run(tmp_path, "answer", str(nxt["card"]["id"]), "easy")
    done = json.loads(run(tmp_path, "next", "Cli", "--json").stdout)
    assert done["card"] is None and done["next_due"].startswith("2026-03")
    assert "Nothing to study now" in run(tmp_path, "next", "Cli").stdout


def test_bare_trainer_shows_bundled_decks(tmp_path: Path) -> None:
    result = run(tmp_path, "decks")
    assert result.returncode == 0
    assert "Denervation" in result.stdout
    bare = run(tmp_path)  # no terminal: the deck list instead of the app
    assert bare.returncode == 0
    assert bare.stdout == result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("answer", "999", "good"), 1, "trainer: error: no card with id 999"),
        (("answer", "1", "great"), 2, "trainer: error: Invalid value for RATING: unknown rating 'great'"),
        (("answer", "x", "good"), 2, "trainer: error: Invalid value for 'CARD_ID'"),
        (("next", "No such deck"), 1, "trainer: error: no deck named 'No such deck'"),
        (("load",), 2, "trainer: error: give deck files or folders, or --bundled"),
        (("load", "/no/such/file.toml"), 1, "/no/such/file.toml: no such file or folder"),
        (("frobnicate",), 2, "trainer: error: No such command 'frobnicate'"),
    ],
)
def test_errors_are_one_line_without_traceback(
    tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run(tmp_path, *args)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("trainer: error: ")


def test_bad_deck_file_reports_every_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        DECK.replace('back = "One"', 'back = ""').replace('id = "two"', 'id = "one"'), encoding="utf-8"
    )
    result = run(tmp_path, "load", str(bad))
    assert result.returncode == 1
    assert f"{bad}:8: 'back' is empty" in result.stderr
    assert f"{bad}:11: duplicate id 'one' (first used on line 6)" in result.stderr
    check = run(tmp_path, "load", "--check", str(bad))
    assert check.returncode == 1


def test_bad_clock_and_bad_database(tmp_path: Path) -> None:
    result = run(tmp_path, "decks", now="yesterday")
    assert result.returncode == 1 and "TRAINER_NOW" in result.stderr
    (tmp_path / "cli.sqlite3").write_bytes(b"garbage" * 200)
    broken = run(tmp_path, "decks")
    assert broken.returncode == 1 and "not a usable database" in broken.stderr


def test_an_unknown_deck_is_one_line_exit_1_with_the_closest(tmp_path: Path, deck: Path) -> None:
    assert run(tmp_path, "load", str(deck)).returncode == 0
    for command in ("study", "quiz", "next"):
        result = run(tmp_path, command, "Cly")
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert result.stderr == "trainer: error: no deck named 'Cly'; closest: Cli\n"


def test_a_unique_subdeck_short_name_resolves(tmp_path: Path, deck: Path) -> None:
    sub = tmp_path / "sub.toml"
    sub.write_text(DECK.replace('"Cli"', '"Top::Grundlagen"').replace('"cli"', '"sub"'), encoding="utf-8")
    assert run(tmp_path, "load", str(sub)).returncode == 0
    result = run(tmp_path, "next", "grundlagen", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["card"]["deck"] == "Top::Grundlagen"


def test_help_imports_neither_the_store_nor_fsrs() -> None:
    code = (
        "import sys\n"
        "from trainer.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'fsrs', 'textual')"
        " or m.startswith('trainer.store')]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


def test_the_help_table_matches_each_command() -> None:
    import inspect

    import click

    from trainer.cli.root import COMMAND_TABLE, cli

    ctx = click.Context(cli)
    for name, (_, _, summary) in COMMAND_TABLE.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
        first = inspect.cleandoc(command.help or "").split("\n\n")[0].replace("\n", " ")
        assert summary == first, f"update COMMAND_TABLE[{name!r}] in trainer/cli/root.py"
        for limit in (30, 45, 120):
            assert click.Command(name, help=summary).get_short_help_str(limit) == command.get_short_help_str(
                limit
            )


def test_reposition_puts_the_second_card_first_and_undo_takes_it_back(tmp_path: Path, deck: Path) -> None:
    run(tmp_path, "load", str(deck))
    first = json.loads(run(tmp_path, "next", "Cli", "--json").stdout)["card"]["id"]
    moved = run(tmp_path, "reposition", "--search", 'deck:Cli "Second?"', "--start", "0", "--json")
    assert moved.returncode == 0, moved.stderr
    second = json.loads(moved.stdout)["repositioned"]
    assert len(second) == 1 and second[0] != first
    assert json.loads(run(tmp_path, "next", "Cli", "--json").stdout)["card"]["question"] == "Second?"
    human = run(tmp_path, "reposition", str(first), "--start", "0", "--shift")
    # positions are the collection's, as in Anki: the bundled decks' new cards shift too
    assert re.fullmatch(
        r"Repositioned 1 new card from position 0; \d+ other cards shifted back\.\n", human.stdout
    )
    assert json.loads(run(tmp_path, "next", "Cli", "--json").stdout)["card"]["id"] == first
    assert json.loads(run(tmp_path, "undo", "--json").stdout)["undone"]["action"] == "reposition"
    assert json.loads(run(tmp_path, "next", "Cli", "--json").stdout)["card"]["question"] == "Second?"
    refused = run(tmp_path, "reposition", "--start", "0")
    assert refused.returncode == 2 and "no card to reposition" in refused.stderr
    run(tmp_path, "answer", str(first), "good")
    not_new = run(tmp_path, "reposition", str(first), "--start", "0")
    assert not_new.returncode == 1
    assert (
        not_new.stderr.strip()
        == "trainer: error: only new cards can be repositioned, and none of these is new"
    )


def test_reposition_of_no_card_says_so_and_undo_of_many_cards_is_summed_up(
    tmp_path: Path, deck: Path
) -> None:
    run(tmp_path, "load", str(deck))
    missing = run(tmp_path, "reposition", "99999", "--start", "1")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "trainer: error: no card with id 99999"
    nothing = run(tmp_path, "reposition", "--search", "deck:Cli nosuchword", "--start", "1")
    assert nothing.returncode == 1
    assert nothing.stderr.strip() == (
        "trainer: error: no card matches the search 'deck:Cli nosuchword': nothing repositioned"
    )
    first = json.loads(run(tmp_path, "next", "Cli", "--json").stdout)["card"]["id"]
    shifted = run(tmp_path, "reposition", str(first), "--start", "0", "--shift")
    assert shifted.returncode == 0, shifted.stderr
    undone = run(tmp_path, "undo")
    # the bundled decks' new cards shifted too: hundreds of cards, five ids named
    match = re.fullmatch(
        r"Undid Reposition on (\d+) cards ((?:\d+, ){5})\.\.\. \((\d+) more\)\.\n", undone.stdout
    )
    assert match, undone.stdout
    assert int(match[1]) == 5 + int(match[3]) > 10
