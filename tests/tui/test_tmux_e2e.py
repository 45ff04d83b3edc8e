"""End to end in a real terminal: tmux runs `trainer`, keys are sent, the screen is read back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer.collection import open_collection

pytestmark = pytest.mark.slow  # real processes: scripts/check -m 'not slow' skips them

DECK = """
[deck]
id = "e2e"
name = "E2E"

[[cards]]
id = "one"
front = "What regrows about 1 mm a day?"
back = "Peripheral axons"
"""


class Tmux:
    """One tmux server on a private socket."""

    def __init__(self, socket: str, session: str = "e2e") -> None:
        self.socket = socket
        self.session = session

    def on(self, session: str) -> Tmux:
        """The same server, another session."""
        return Tmux(self.socket, session)

    def run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def alive(self) -> bool:
        probe = ["tmux", "-L", self.socket, "has-session", "-t", self.session]
        return subprocess.run(probe, capture_output=True, check=False).returncode == 0

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    server = Tmux(f"trainer-test-{os.getpid()}")
    yield server
    subprocess.run(["tmux", "-L", server.socket, "kill-server"], capture_output=True, check=False)


def test_review_in_a_real_terminal_lands_in_the_database(tmux: Tmux, tmp_path: Path) -> None:
    deck = tmp_path / "e2e.toml"
    deck.write_text(DECK, encoding="utf-8")
    db = tmp_path / "col.sqlite3"
    with open_collection(db, install_bundled=False) as col:  # just this deck, no bundled ones
        col.load([deck])
    command = f"TRAINER_DB={db} TERM=xterm-256color {sys.executable} -m trainer"
    tmux.run("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", command)
    home = tmux.wait_for("All decks")
    assert "E2E" in home
    tmux.keys("Enter")  # the highlighted first row is the only deck
    tmux.wait_for("What regrows about 1 mm a day?")
    tmux.keys("Space")
    screen = tmux.wait_for("Peripheral axons")
    assert "3 Good 10m" in screen
    tmux.keys("3")
    tmux.wait_for("done 1")
    tmux.keys("Escape")
    tmux.wait_for("Cards studied:   1")
    tmux.keys("Escape")
    tmux.wait_for("All decks")
    tmux.keys("q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and tmux.alive():
        time.sleep(0.1)
    assert not tmux.alive(), "q did not quit the app"
    with open_collection(db, install_bundled=False) as col:
        card = col.search("regrows")[0]
        assert [h.rating.label for h in col.history(card.id)] == ["Good"]


def deck_row(app: Tmux, name: str, expect: list[str], timeout: float = 10.0) -> list[str]:
    """The counts on a deck's row, once they read `expect` (or whatever they read at the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = [line.split() for line in app.screen().splitlines() if line.strip().startswith(name)]
        counts = rows[0][1:] if rows else []
        if counts == expect or time.monotonic() > deadline:
            return counts
        time.sleep(0.1)


TWO_CARDS = (
    DECK
    + """
[[cards]]
id = "two"
front = "Which cells myelinate peripheral axons?"
back = "Schwann cells"
"""
)


def test_two_apps_on_one_collection_see_each_others_answers(tmux: Tmux, tmp_path: Path) -> None:
    deck = tmp_path / "e2e.toml"
    deck.write_text(TWO_CARDS, encoding="utf-8")
    db = tmp_path / "col.sqlite3"
    with open_collection(db, install_bundled=False) as col:
        col.load([deck])
    command = f"TRAINER_DB={db} TERM=xterm-256color {sys.executable} -m trainer"
    first, second = tmux.on("first"), tmux.on("second")
    for app in (first, second):
        tmux.run("new-session", "-d", "-s", app.session, "-x", "100", "-y", "30", command)
        app.wait_for("All decks")
    first.keys("Enter")
    first.wait_for("What regrows about 1 mm a day?")
    first.keys("Space")
    first.wait_for("3 Good")
    first.keys("3")
    first.wait_for("done 1")
    second.keys("r")  # refresh: the first app's answer counts against today's new cards
    counts = ["1", "1", "0", "2"]  # new, learning, due, total
    assert deck_row(second, "E2E", expect=counts) == counts
    second.keys("Enter")
    second.wait_for("Which cells myelinate peripheral axons?")
    second.keys("Space")
    second.wait_for("3 Good")
    second.keys("3")
    second.wait_for("done 1")
    for app in (first, second):
        app.keys("Escape")
        app.wait_for("Cards studied:   1")
        app.keys("Escape")
        app.wait_for("All decks")
        app.keys("q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (first.alive() or second.alive()):
        time.sleep(0.1)
    with open_collection(db, install_bundled=False) as col:
        answered = {
            card.content.front: [h.rating.label for h in col.history(card.id)] for card in col.search("")
        }
        assert answered == {
            "What regrows about 1 mm a day?": ["Good"],
            "Which cells myelinate peripheral axons?": ["Good"],
        }
        assert col.maintenance.check().problems == []


def test_add_edit_suspend_undo_search_and_stats_with_the_keyboard(tmux: Tmux, tmp_path: Path) -> None:
    deck = tmp_path / "e2e.toml"
    deck.write_text(DECK, encoding="utf-8")
    db = tmp_path / "col.sqlite3"
    with open_collection(db, install_bundled=False) as col:
        col.load([deck])
    command = f"TRAINER_DB={db} TERM=xterm-256color {sys.executable} -m trainer"
    tmux.run("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", command)
    tmux.wait_for("All decks")
    tmux.keys("Enter")
    tmux.wait_for("What regrows about 1 mm a day?")
    tmux.keys("a")  # add a card to the deck being studied
    tmux.wait_for("Add a card to E2E")
    time.sleep(0.5)  # a person reads the dialog before typing
    tmux.keys("-l", "Myelin-forming cell of the PNS?")
    tmux.wait_for("Myelin-forming cell of the PNS?")
    tmux.keys("Tab")
    time.sleep(0.5)  # the focus moves once Tab is handled: a person does not type faster than that
    tmux.keys("-l", "Schwann cell")
    tmux.wait_for("Schwann cell")
    time.sleep(0.3)
    tmux.keys("C-s")
    tmux.wait_for("1 card added to E2E")
    tmux.keys("Space")
    tmux.wait_for("Peripheral axons")
    tmux.keys("4")  # easy: the added card comes next
    tmux.wait_for("Myelin-forming cell of the PNS?")
    tmux.keys("e")  # edit with the keyboard only: the question field has the cursor, at its end
    tmux.wait_for("Edit card")
    time.sleep(0.5)
    tmux.keys("-l", " (glia)")
    tmux.wait_for("(glia)")
    time.sleep(0.3)
    tmux.keys("C-s")
    tmux.wait_for("Card saved")
    tmux.wait_for("Myelin-forming cell of the PNS? (glia)")
    tmux.keys("s")
    tmux.wait_for("Card suspended")
    tmux.keys("u")
    tmux.wait_for("Undid Suspend")
    tmux.wait_for("Myelin-forming cell of the PNS? (glia)")
    tmux.keys("Escape")
    tmux.wait_for("Cards studied:")
    tmux.keys("Escape")
    tmux.wait_for("All decks")
    tmux.keys("b")
    tmux.wait_for("sorted by")
    time.sleep(0.5)
    tmux.keys("/")
    time.sleep(0.5)
    tmux.keys("-l", "nothing-like-it OR glia")  # the box selects its text on focus: typing replaces it
    tmux.wait_for("nothing-like-it OR glia")
    tmux.keys("Enter")
    screen = tmux.wait_for("1 card   sorted by")  # the status line, not the "1 card added" notice
    assert "Myelin-forming" in screen and "What regrows" not in screen
    tmux.keys("Escape")
    tmux.wait_for("All decks")
    tmux.keys("t")
    tmux.wait_for("2 cards in 1 deck")
    tmux.keys("Escape")
    tmux.wait_for("All decks")
    tmux.keys("q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and tmux.alive():
        time.sleep(0.1)
    with open_collection(db, install_bundled=False) as col:
        [card] = col.search("glia")
        assert card.content.front == "Myelin-forming cell of the PNS? (glia)" and not card.suspended
    assert "Myelin-forming cell of the PNS?" in deck.read_text(encoding="utf-8")  # added to the deck file
