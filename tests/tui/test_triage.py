"""The build triage screen: accept, edit, reject with the source passage beside the draft."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from trainer.core.build import SourceDoc, apply_triage, build_drafts
from trainer.tui.triage import TriageApp, TriageOutcome, passage_text, triage_items

DOC = SourceDoc(
    name="notes.md",
    text=(
        "# Nerves\n\n"
        "What is neurapraxia?\n"
        "A temporary conduction block without axonal loss.\n\n"
        "What is axonotmesis?\n"
        "Interruption of the axon with its connective sheaths intact.\n\n"
        "What is neurotmesis?\n"
        "Complete division of the nerve trunk.\n"
    ),
)


def app_for(doc: SourceDoc = DOC) -> TriageApp:
    result = build_drafts([doc])
    return TriageApp(triage_items(result, [doc]), triage_items(result, [doc], skipped=True))


def drive(
    app: TriageApp, steps: Callable[[Pilot[Any]], Awaitable[None]], size: tuple[int, int] = (100, 30)
) -> None:
    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(pilot)

    asyncio.run(run())


def shown(app: TriageApp, widget: str) -> str:
    return str(app.query_one(widget, Static).render())


def test_accept_edit_reject_then_write() -> None:
    result = build_drafts([DOC])
    items = triage_items(result, [DOC])
    assert len(items) == 3
    assert "neurapraxia" in items[0].passage.lower()
    app = TriageApp(items)

    async def steps(pilot: Pilot[object]) -> None:
        assert f"Draft 1/{len(items)}" in shown(app, "#status")
        await pilot.press("a", "r", "e")
        await pilot.pause()
        field = app.screen.query_one("#field-front", Input)
        field.value = "Edited text"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("w")

    drive(app, steps)
    outcome = app.return_value
    assert isinstance(outcome, TriageOutcome)
    kept = apply_triage(result, outcome.decisions)
    assert [c.id for c in kept.cards] == [result.cards[0].id, result.cards[2].id]
    assert kept.cards[1].fields["front"] == "Edited text"


def test_the_editor_has_focus_and_the_draft_pane_shows_the_edit() -> None:
    app = app_for()

    async def steps(pilot: Pilot[object]) -> None:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "field-front"
        await pilot.press("ctrl+u", *"Define neurapraxia.", "ctrl+s")
        await pilot.pause()
        await pilot.press("p")  # back to the edited draft
        await pilot.pause()
        assert "Define neurapraxia." in shown(app, "#draft-text")
        assert "What is neurapraxia?" not in shown(app, "#draft-text")
        await pilot.press("e")  # the editor opens on the edited text, not the old one
        await pilot.pause()
        assert app.screen.query_one("#field-front", Input).value == "Define neurapraxia."
        await pilot.press("escape", "A", "w")

    drive(app, steps)
    assert app.return_value is not None
    edited = [d for d in app.return_value.decisions.values() if d.action == "edit"]
    assert edited and edited[0].fields == {
        "front": "Define neurapraxia.",
        "back": "A temporary conduction block without axonal loss.",
    }


def test_quit_asks_before_discarding_decisions() -> None:
    app = app_for()

    async def steps(pilot: Pilot[object]) -> None:
        await pilot.press("a", "q")
        await pilot.pause()
        assert "1 decisions would be lost" in str(app.screen.query_one("Label").render())
        await pilot.press("escape")  # go back: nothing lost
        await pilot.pause()
        assert app.is_running and len(app.decisions) == 1
        await pilot.press("q", "y")

    drive(app, steps)
    assert app.return_value is None


def test_quit_without_decisions_does_not_ask() -> None:
    app = app_for()

    async def steps(pilot: Pilot[object]) -> None:
        await pilot.press("q")

    drive(app, steps)
    assert app.return_value is None


def test_write_asks_what_to_do_with_undecided_drafts() -> None:
    for key, keep in (("k", True), ("d", False)):
        app = app_for()

        async def steps(pilot: Pilot[object], key: str = key, app: TriageApp = app) -> None:
            await pilot.press("a", "w")
            await pilot.pause()
            assert "2 drafts are still undecided" in str(app.screen.query_one("Label").render())
            await pilot.press(key)

        drive(app, steps)
        outcome = app.return_value
        assert outcome is not None and outcome.keep_undecided is keep
        result = build_drafts([DOC])
        written = apply_triage(result, outcome.decisions, keep_undecided=outcome.keep_undecided)
        assert len(written.cards) == (3 if keep else 1)


def test_accept_all_undecided() -> None:
    app = app_for()

    async def steps(pilot: Pilot[object]) -> None:
        await pilot.press("r", "A")
        await pilot.pause()
        assert "2 kept, 1 rejected, 0 undecided" in shown(app, "#status")
        await pilot.press("w")  # nothing undecided: no question

    drive(app, steps)
    assert app.return_value is not None
    assert sorted(d.action for d in app.return_value.decisions.values()) == ["accept", "accept", "reject"]


def test_the_source_pane_scrolls_to_and_highlights_the_passage() -> None:
    filler = "".join(f"Line {n} of an introduction that says nothing card-worthy\n" for n in range(60))
    doc = SourceDoc("long.txt", filler + "\nWhat is neurapraxia?\nA temporary conduction block.\n")
    app = app_for(doc)

    async def steps(pilot: Pilot[object]) -> None:
        await pilot.pause()
        pane = app.query_one("#passage")
        assert pane.scroll_y > 40
        assert "What is neurapraxia?" in shown(app, "#passage-text")

    drive(app, steps, size=(100, 24))
    text = passage_text(["one", "two", "three", "four"], 2, 3)
    highlighted = {text.plain[span.start : span.end] for span in text.spans if "reverse" in str(span.style)}
    assert highlighted == {"two", "three"}


def test_a_skipped_passage_can_be_made_into_a_card() -> None:
    text = (
        "# Nerves\n\nWhat is neurapraxia?\nA temporary conduction block.\n\n## Course\n\nIt can last weeks.\n"
    )
    doc = SourceDoc("notes.md", text)
    app = app_for(doc)

    async def steps(pilot: Pilot[object]) -> None:
        await pilot.press("s")
        await pilot.pause()
        assert "Skipped passage 1/1" in shown(app, "#status")
        assert "It can last weeks." in shown(app, "#draft-text")
        await pilot.press("a")  # no draft to accept: a hint, nothing decided
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#field-back", Input).value == "It can last weeks."
        await pilot.press(*"How long can neurapraxia last?")
        app.screen.query_one("#field-back", Input).value = "Weeks."
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("s", "a", "w")

    drive(app, steps)
    outcome = app.return_value
    assert outcome is not None
    (card,) = outcome.created
    assert card.fields == {"front": "How long can neurapraxia last?", "back": "Weeks."}
    assert card.lines == (8, 8) and card.source == "notes"


def test_draft_text_is_literal() -> None:
    doc = SourceDoc(
        name="x.md", text="What is [bold]markup[/bold]?\nIt is [red]text[/red] shown literally.\n"
    )
    app = app_for(doc)
    seen: list[str] = []

    async def steps(pilot: Pilot[object]) -> None:
        seen.append(shown(app, "#draft-text"))
        seen.append(shown(app, "#passage-text"))

    drive(app, steps, size=(120, 30))
    assert "[bold]markup[/bold]" in seen[0]
    assert "[red]text[/red]" in seen[1]
