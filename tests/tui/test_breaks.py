"""Pilot tests for what a demanding learner broke (issue 14): each failed before its fix."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot

from tests.conftest import write_deck
from tests.tui.conftest import drive, only_kind, screen_text
from trainer.collection import Collection
from trainer.services.quiz import QuizService
from trainer.tui.app import Start, TrainerApp
from trainer.tui.screens.add import AddDialog
from trainer.tui.screens.dialogs import EditDialog, SummaryScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.quiz import QuizScreen
from trainer.tui.screens.review import ReviewScreen

THREE_DECKS = """
[deck]
id = "{id}"
name = "{name}"

[[cards]]
id = "c"
front = "Question of {name}?"
back = "Answer of {name}"
"""


def load_three(col: Collection, tmp_path: Path) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        col.load([write_deck(tmp_path / f"{name}.toml", THREE_DECKS.format(id=name.lower(), name=name))])


def test_quick_down_down_enter_opens_the_deck_highlighted_last(col: Collection, tmp_path: Path) -> None:
    load_three(col, tmp_path)
    app = TrainerApp(col)

    async def script(pilot: Pilot[None]) -> None:
        # as typed quickly in a terminal: all three keys queued before any is handled
        for key in ("down", "down", "enter"):
            app.post_message(events.Key(key, None))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.deck == "Gamma"
        assert "Question of Gamma?" in screen_text(app)

    drive(app, script)


def test_u_after_suspend_undoes_the_suspension_not_the_answer(col: Collection, tmp_path: Path) -> None:
    load_three(col, tmp_path)
    app = TrainerApp(col, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.study is not None
        answered = screen.study.card.id
        await pilot.press("space", "4")  # Easy: out of today's queue
        await pilot.pause()
        assert screen.study is not None
        suspended = screen.study.card.id
        assert suspended != answered
        await pilot.press("s")
        await pilot.pause()
        assert col.card(suspended).suspended
        await pilot.press("u")
        await pilot.pause()
        assert not col.card(suspended).suspended
        assert len(col.history(answered)) == 1  # the answer is still there
        assert screen.study is not None and screen.study.card.id == suspended
        await pilot.press("u")
        await pilot.pause()
        assert col.history(answered) == []
        assert screen.study is not None and screen.study.card.id == answered

    drive(app, script)


def test_the_edit_dialog_takes_typing_at_once(col: Collection, tmp_path: Path) -> None:
    load_three(col, tmp_path)
    app = TrainerApp(col, start=Start(screen="study", deck="Alpha"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)
        await pilot.press(*" now", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Question of Alpha? now" in screen_text(app)

    drive(app, script)
    card = col.search("deck:Alpha")[0]
    assert card.content.front == "Question of Alpha? now"


def test_question_mark_opens_help_and_question_mark_or_escape_closes_it(
    col: Collection, tmp_path: Path
) -> None:
    load_three(col, tmp_path)
    app = TrainerApp(col)

    async def script(pilot: Pilot[None]) -> None:
        for closer in ("question_mark", "escape"):
            await pilot.press("question_mark")
            await pilot.pause()
            text = screen_text(app)
            assert "New    cards never studied" in text and "Learn  cards in" in text
            await pilot.press(closer)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen), closer
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for key in ("Space, Enter", "Again", "Easy", "Suspend", "Undo"):
            assert key in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)

    drive(app, script, size=(120, 50))


LONG = """
[deck]
id = "long"
name = "Long"

[[cards]]
id = "long"
front = "Tell the whole story?"
back = \"\"\"{back}\"\"\"
"""


def test_a_long_answer_scrolls_from_the_keyboard_at_80x24(col: Collection, tmp_path: Path) -> None:
    back = "\\n".join(f"Line {n} of a long answer." for n in range(1, 61))
    col.load([write_deck(tmp_path / "long.toml", LONG.format(back=back))])
    app = TrainerApp(col, start=Start(screen="study", deck="Long"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert "Line 60 of a long answer." not in screen_text(app)
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "down")
        await pilot.pause()
        assert "Line 60 of a long answer." in screen_text(app)
        await pilot.press("pageup")
        await pilot.pause()
        assert "Line 60 of a long answer." not in screen_text(app)

    drive(app, script)


def test_quiz_score_counts_the_answer_just_given_and_r_overrules_a_wrong_verdict(demo: Collection) -> None:
    app = TrainerApp(demo, start=Start(screen="quiz", deck="Demo", quiz_n=2, quiz_mode="choice", seed=4))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        question = screen.questions[0]
        wrong = (question.answer_index + 1) % len(question.options) + 1
        await pilot.press(str(wrong))
        await pilot.pause()
        assert "score 0/1" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert "score 1/1" in screen_text(app)
        assert "Counted as right." in screen_text(app)

    drive(app, script, size=(100, 40))
    [record] = QuizService(demo.db).answers()
    assert record.correct


def test_typed_verdict_shows_the_typed_and_the_right_answer_on_their_own_lines(demo: Collection) -> None:
    only_kind(demo, "typed")
    app = TrainerApp(demo, start=Start(screen="study", deck="Demo"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press(*"entrapxment neurop", "enter")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        typed = next(line for line in lines if "Your answer:" in line)
        answer = next(line for line in lines if "The answer:" in line)
        assert typed.split("Your answer:")[1].strip() == "entrapxment neurop"
        assert answer.split("The answer:")[1].strip() == "entrapment neuropathy"

    drive(app, script, size=(100, 40))


def test_decks_are_listed_as_people_read(col: Collection, tmp_path: Path) -> None:
    for number, name in enumerate(("beta", "Dénervation", "Alpha", "Denervation", "Zeta")):
        deck = THREE_DECKS.format(id=f"deck{number}", name=name)
        col.load([write_deck(tmp_path / f"{number}.toml", deck)])
    app = TrainerApp(col)

    async def script(pilot: Pilot[None]) -> None:
        table = app.screen.query_one("#decks")
        rows = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]  # type: ignore[attr-defined]
        assert rows == ["Alpha", "beta", "Denervation", "Dénervation", "Zeta", "All decks"]

    drive(app, script)


def test_the_theme_chosen_is_remembered(col: Collection) -> None:
    first = TrainerApp(col)

    async def choose(pilot: Pilot[None]) -> None:
        first.theme = "textual-light"
        await pilot.pause()

    drive(first, choose)
    second = TrainerApp(col, owns=False)

    async def check(pilot: Pilot[None]) -> None:
        assert second.theme == "textual-light"

    drive(second, check)


def test_browse_sorts_tells_siblings_apart_and_pages(demo: Collection) -> None:
    from trainer.tui.screens import browse

    browse.PAGE = 5
    app = TrainerApp(demo, start=Start(screen="browse", query="kind:reversed OR kind:cloze OR deck:Demo"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, browse.BrowseScreen)
        assert screen.total == 12 and len(screen.cards) == 5
        text = screen_text(app)
        assert "reversed front" in text and "12 cards, showing 1-5" in text
        await pilot.press("n")
        await pilot.pause()
        assert "showing 6-10" in screen_text(app)
        await pilot.press("o")  # the next sortable column after the deck
        await pilot.pause()
        assert screen.sort == "due"
        screen.action_sort("question")  # as a click on the Question header does
        await pilot.pause()
        questions = [c.question.casefold() for c in screen.cards]
        assert screen.sort == "question" and questions == sorted(questions)
        await pilot.press("O")
        await pilot.pause()
        assert (
            screen.descending and screen.cards[0].question.casefold() >= screen.cards[-1].question.casefold()
        )

    try:
        drive(app, script, size=(120, 40))
    finally:
        browse.PAGE = 500


def test_a_adds_a_card_to_the_deck_with_the_keyboard_only(col: Collection, tmp_path: Path) -> None:
    load_three(col, tmp_path)
    app = TrainerApp(col, start=Start(screen="study", deck="Beta"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddDialog) and app.screen.deck == "Beta"
        await pilot.press(*"Nerve sheath?", "tab", *"Epineurium", "tab", "tab", *"anatomy", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)

    drive(app, script)
    [card] = col.search('"Nerve sheath?"')
    assert (card.deck_name, card.content.back, card.tags) == ("Beta", "Epineurium", ("anatomy",))
    assert "Nerve sheath?" in (tmp_path / "Beta.toml").read_text(encoding="utf-8")


def test_the_end_of_session_offers_unbury_and_more_new_cards(col: Collection, tmp_path: Path) -> None:
    load_three(col, tmp_path)
    app = TrainerApp(col, start=Start(screen="study", deck="Alpha"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("b")  # bury the only card: the deck is done for today
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Unbury the buried cards (1 card)" in text and "Ten more new cards (0 cards)" in text
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Question of Alpha?" in screen_text(app)

    drive(app, script, size=(100, 40))
    assert not col.search("deck:Alpha")[0].buried


def test_a_custom_session_reviews_its_list_and_brings_back_an_again(col: Collection, tmp_path: Path) -> None:
    from trainer.tui.screens.custom import CustomReviewScreen

    load_three(col, tmp_path)
    card = col.search("deck:Beta")[0]
    app = TrainerApp(col)

    async def script(pilot: Pilot[None]) -> None:
        await app.push_screen(CustomReviewScreen("Beta", [card.id], "Study ahead"))
        await pilot.pause()
        await pilot.press("space", "1")  # Again: back at the end of the session
        await pilot.pause()
        assert "Question of Beta?" in screen_text(app)
        await pilot.press("space", "3")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)

    drive(app, script, size=(100, 40))
    assert [h.rating.label for h in col.history(card.id)] == ["Again", "Good"]


def test_z_asks_the_quiz_mode_and_length(demo: Collection) -> None:
    app = TrainerApp(demo)

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("backspace", "backspace", "3", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert len(screen.questions) == 3 and screen.mode == "mixed"

    drive(app, script)


def test_deck_options_in_the_app_use_anki_units_and_the_preset_validation(
    col: Collection, tmp_path: Path
) -> None:
    load_three(col, tmp_path)
    app = TrainerApp(col)

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        field = screen.query_one("#opt-learning_steps")
        assert field.value == "1m 10m"  # type: ignore[attr-defined]
        field.value = "2m 1h 1d"  # type: ignore[attr-defined]
        screen.query_one("#opt-desired_retention").value = "1.5"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # refused: retention out of range, nothing stored
        screen.query_one("#opt-desired_retention").value = "0.85"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

    drive(app, script, size=(100, 40))
    preset = col.presets.of_deck("Alpha")
    assert preset.learning_steps == (120, 3600, 86400) and preset.desired_retention == 0.85
