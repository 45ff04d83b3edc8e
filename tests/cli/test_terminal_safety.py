"""Terminal safety of the CLI: hostile card text is printed literally, never interpreted.

Card text and deck names carrying ANSI CSI and OSC sequences (colours, screen clear,
hyperlinks, window titles), C1 controls, bidi overrides and Rich/Textual markup reach the
terminal through `trainer next --reveal`, `trainer next --json` and `trainer decks`, once
through a deck file and once written straight into the database (as a careless importer
might). The output must hold no control or bidi character, and the markup must stay text.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.cli.runner import CliResult, run_trainer
from trainer.core.cards import CardContent, CardKind

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

HOSTILE_FRONT = (
    "Front \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 [bold]bold[/bold] \x1b[2J\x1b[31mred"
    " \x85 \x9d0;title\x9c \u202eevil\u202c \u2066iso\u2069 [link=http://x]y[/link] \x9b31m"
)
HOSTILE_BACK = "Back \x1bP+q\x1b\\ \x07\x00zero [/] \u200fRTL [@click=app.quit]quit[/]"
HOSTILE_DECK = "Evil\x1b[31m::Red\x9b31m\u202eksed"
LITERAL = ("[bold]bold[/bold]", "[link=http://x]y[/link]", "[/]", "[@click=app.quit]quit[/]")


def toml_escape(text: str) -> str:
    return "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text)


DECK = f'''\
[deck]
id = "evil"
name = "{toml_escape(HOSTILE_DECK)}"

[[cards]]
id = "x"
front = "{toml_escape(HOSTILE_FRONT)}"
back = "{toml_escape(HOSTILE_BACK)}"
'''


def run(tmp_path: Path, *args: str) -> CliResult:
    """A real process: what matters here is the bytes that reach a real stdout."""
    return run_trainer(tmp_path, *args, db_name="col.sqlite3", process=True)


def assert_safe(text: str) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(text)})
    assert bad == [], f"control characters reached the terminal: {bad}"


def deck_name(tmp_path: Path) -> str:
    with sqlite3.connect(tmp_path / "col.sqlite3") as conn:
        row = conn.execute("SELECT name FROM decks WHERE external_id = 'evil'").fetchone()
    return str(row[0])


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    (tmp_path / "evil.toml").write_text(DECK, encoding="utf-8")
    done = run(tmp_path, "load", str(tmp_path / "evil.toml"))
    assert done.returncode == 0, done.stderr
    assert_safe(done.stdout + done.stderr)
    return tmp_path


def check_outputs(tmp_path: Path) -> None:
    deck = deck_name(tmp_path)
    shown = run(tmp_path, "next", deck, "--reveal")
    assert shown.returncode == 0, shown.stderr
    assert_safe(shown.stdout + shown.stderr)
    for literal in LITERAL:
        assert literal in shown.stdout
    assert "Q: Front ]8;;http://evil.examplelink]8;; [bold]bold[/bold] [2J[31mred" in shown.stdout
    as_json = run(tmp_path, "next", deck, "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert_safe(as_json.stdout)
    card = json.loads(as_json.stdout)["card"]  # escaped on screen, the stored text once parsed
    assert "[bold]bold[/bold]" in card["question"]
    assert "\\u009b" not in card["question"]
    listing = run(tmp_path, "decks")
    assert listing.returncode == 0, listing.stderr
    assert_safe(listing.stdout)
    assert "Evil[31m" in listing.stdout
    assert "Red31mksed" in listing.stdout


def test_hostile_deck_file_is_shown_literally(loaded: Path) -> None:
    check_outputs(loaded)


def test_hostile_text_written_straight_into_the_database_is_shown_literally(loaded: Path) -> None:
    raw = CardContent(kind=CardKind.BASIC, front=HOSTILE_FRONT, back=HOSTILE_BACK).to_json()
    with sqlite3.connect(loaded / "col.sqlite3") as conn:
        conn.execute("UPDATE cards SET content = ? WHERE external_id = 'evil/x'", (raw,))
        conn.execute("UPDATE decks SET name = ? WHERE external_id = 'evil'", (HOSTILE_DECK,))
    check_outputs(loaded)


def test_error_messages_do_not_echo_control_characters(tmp_path: Path) -> None:
    done = run(tmp_path, "next", "No\x1b]0;pwned\x07\x9b2J\u202edeck")
    assert done.returncode == 1
    assert_safe(done.stderr)
