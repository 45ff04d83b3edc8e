"""Pilot tests of the review flow: every card kind, ratings, undo, edit, info, summary."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Button, Input

from tests.tui.conftest import drive, only_kind, screen_text
from trainer.collection import Collection
from trainer.core.scheduling import Rating, format_interval
from trainer.tui.app import Start, TrainerApp
from trainer.tui.screens.dialogs import EditDialog, InfoDialog, SummaryScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.review import ReviewScreen


def review(app: TrainerApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def test_home_lists_decks_with_counts(demo: Collection) -> None:
    app = TrainerApp(demo)

    async def script(pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#decks")
        rows = [table.get_row_at(i) for i in range(table.row_count)]  # type: ignore[attr-defined]
        assert [str(r[0]) for r in rows] == ["Demo", "All decks"]
        assert [str(c) for c in rows[0][1:]] == ["12", "0", "0", "12"]

    drive(app, script)


def test_empty_collection_says_what_to_do(col: Collection) -> None:
    app = TrainerApp(col)

    async def script(pilot: Pilot[None]) -> None:
        assert "No decks yet" in screen_text(app)
        assert "trainer load PATH" in screen_text(app)

    drive(app, script)


def test_reveal_and_rate_shows_intervals_and_commits(demo: Collection) -> None:
    card_id = only_kind(demo, "basic")
    app = TrainerApp(demo)

    async def script(pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        screen = review(app)
        assert screen.study is not None and screen.study.card.id == card_id
        assert "About 1 mm per day." not in screen_text(app)
        await pilot.press("space")
        assert "About 1 mm per day." in screen_text(app)
        labels = [str(b.label) for b in screen.query(Button)]
        assert labels == ["1 Again 1m", "2 Hard 6m", "3 Good 10m", "4 Easy 7d"]
        await pilot.press("space")  # Good after the reveal
        await pilot.pause()
        # committed before the next card shows: the database has the review
        history = demo.history(card_id)
        assert [h.rating for h in history] == [Rating.GOOD]
        # the card is in learning, due in 10 minutes: shown again (learn ahead), as Anki does
        assert screen.study is not None and screen.study.card.id == card_id
        assert screen.study.counts.learning == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Cards studied:   1" in text
        due = demo.card(card_id).state.due  # Good's 10m step, fuzzed as Anki fuzzes learning steps
        assert due is not None
        assert f"Next card due:   in {format_interval(due - demo.clock())}" in text

    drive(app, script)


def test_undo_several_levels(demo: Collection) -> None:
    demo.set_suspended([c.id for c in demo.search("kind:typed") + demo.search("kind:choice")], True)
    app = TrainerApp(demo, start=Start(screen="study", deck="Demo"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        first = review(app).study
        assert first is not None
        for _ in range(2):
            await pilot.press("space", "3")
            await pilot.pause()
        assert len(review(app).session.answers) == 2
        await pilot.press("u")
        await pilot.press("u")
        await pilot.pause()
        screen = review(app)
        assert screen.study is not None and screen.study.card.id == first.card.id
        assert screen.session.answers == []
        assert demo.history(first.card.id) == []

    drive(app, script)


def test_typed_answer_forgives_and_proposes(demo: Collection) -> None:
    card_id = only_kind(demo, "typed")
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = review(app)
        field = screen.query_one("#typed", Input)
        assert field.display and field.has_focus
        await pilot.press(*"Entrapement")  # capital and one typo
        await pilot.press("enter")
        assert "Right!" in screen_text(app)
        assert screen.proposed == Rating.GOOD
        assert screen.query_one("#rate-3", Button).variant == "success"
        await pilot.press("2")  # the learner may change the proposal
        await pilot.pause()
        assert [h.rating for h in demo.history(card_id)] == [Rating.HARD]

    drive(app, script)


def test_typed_wrong_answer_proposes_again(demo: Collection) -> None:
    card_id = only_kind(demo, "typed")
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press(*"carpal")
        await pilot.press("enter")
        assert "Not quite." in screen_text(app)
        assert review(app).proposed == Rating.AGAIN
        await pilot.press("enter")  # accepts the proposal
        await pilot.pause()
        assert [h.rating for h in demo.history(card_id)] == [Rating.AGAIN]

    drive(app, script)


def test_multiple_choice_grades_the_pick(demo: Collection) -> None:
    only_kind(demo, "choice")
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = review(app)
        assert sorted(screen.options) == ["Astrocyte", "Oligodendrocyte", "Schwann cell"]
        for number, option in enumerate(screen.options, 1):
            assert f"{number}. {option}" in screen_text(app)
        wrong = next(n for n, o in enumerate(screen.options, 1) if o != "Schwann cell")
        await pilot.press(str(wrong))
        assert screen.revealed and screen.proposed == Rating.AGAIN
        assert "Wrong:" in screen_text(app)

    drive(app, script)


def test_cloze_hides_with_hint_and_reveals(demo: Collection) -> None:
    only_kind(demo, "cloze")
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert "Denervated muscle shows [a potential] on EMG." in screen_text(app)
        await pilot.press("space")
        assert "Denervated muscle shows fibrillation on EMG." in screen_text(app)

    drive(app, script)


def test_compare_set_card_shows_its_set(demo: Collection) -> None:
    cards = demo.search("Seddon")
    keep = cards[0].id
    demo.set_suspended([c.id for c in demo.search("") if c.id != keep], True)
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert "set: Seddon classes" in screen_text(app)

    drive(app, script)


def test_edit_keeps_memory_state(demo: Collection) -> None:
    card_id = only_kind(demo, "basic")
    demo.answer(card_id, Rating.GOOD)
    demo.clock.advance(hours=1)  # type: ignore[attr-defined]
    before = demo.card(card_id).state
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("e")
        assert isinstance(app.screen, EditDialog)
        area = app.screen.query_one("#field-back")
        area.text = "Roughly one millimetre a day."  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Roughly one millimetre a day." not in screen_text(app)  # still the question side
        await pilot.press("space")
        assert "Roughly one millimetre a day." in screen_text(app)

    drive(app, script)
    after = demo.card(card_id)
    assert after.content.back == "Roughly one millimetre a day."
    assert after.state == before


def test_card_info_shows_memory_and_source(demo: Collection) -> None:
    card_id = only_kind(demo, "basic")
    demo.answer(card_id, Rating.GOOD)
    demo.clock.advance(hours=1)  # type: ignore[attr-defined]
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InfoDialog)
        text = screen_text(app)
        for expected in ("Stability", "Difficulty", "Retrievability", "A small book", "Good"):
            assert expected in text
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)

    drive(app, script)


def test_suspend_bury_and_flag(demo: Collection) -> None:
    app = TrainerApp(demo, start=Start(screen="study", deck="Demo"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        first = review(app).study
        assert first is not None
        await pilot.press("f", "f")
        assert demo.card(first.card.id).flag == 2
        assert "flag: orange" in screen_text(app)
        await pilot.press("s")
        assert demo.card(first.card.id).suspended
        second = review(app).study
        assert second is not None and second.card.id != first.card.id
        if second.card.content.kind.value == "typed":
            await pilot.press("enter")  # answer (empty) first: the input then gives the keys back
        await pilot.press("b")
        assert demo.card(second.card.id).buried

    drive(app, script)


def test_session_summary_after_ending_early(demo: Collection) -> None:
    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        await pilot.pause()
        if review(app).query_one("#typed", Input).has_focus:
            await pilot.press("enter")
        else:
            await pilot.press("space")
        await pilot.press("1")
        await pilot.pause()
        if review(app).query_one("#typed", Input).has_focus:
            app.screen.set_focus(None)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Session ended." in text and "Again:           1" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

    drive(app, script)


def test_a_card_suspended_elsewhere_meanwhile_is_skipped_not_fatal(
    demo: Collection, tmp_path: object
) -> None:
    from trainer.collection import open_collection

    app = TrainerApp(demo, start=Start(screen="study"))

    async def script(pilot: Pilot[None]) -> None:
        screen = review(app)
        assert screen.study is not None
        shown = screen.study.card.id
        await pilot.press("space")
        location = demo.location
        with open_collection(location, clock=demo.clock, zone=demo.zone) as other:  # another window
            other.set_suspended([shown], True)
        await pilot.press("3")
        await pilot.pause()
        assert screen.study is not None and screen.study.card.id != shown
        assert "suspended or removed elsewhere" in " ".join(str(n.message) for n in app._notifications)
        assert demo.history(shown) == []  # nothing was logged for it

    drive(app, script)
