"""The build triage screen: accept, edit, reject with the source passage beside the draft."""

from __future__ import annotations

import asyncio

from trainer.core.build import SourceDoc, apply_triage, build_drafts
from trainer.tui.triage import TriageApp, triage_items

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


def test_accept_edit_reject_then_write() -> None:
    asyncio.run(_accept_edit_reject())


async def _accept_edit_reject() -> None:
    result = build_drafts([DOC])
    items = triage_items(result, [DOC])
    assert len(items) >= 3
    assert "neurapraxia" in items[0].passage.lower()
    app = TriageApp(items)
    async with app.run_test(size=(100, 30)) as pilot:
        status = str(app.query_one("#status").render())
        assert f"Draft 1/{len(items)}" in status
        await pilot.press("a")  # accept the first
        await pilot.press("r")  # reject the second
        await pilot.press("e")  # edit the third
        await pilot.pause()
        field = next(iter(result.cards[2].fields))
        app.screen.query_one(f"#field-{field}").value = "Edited text"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("w")
    decisions = app.return_value
    assert decisions is not None
    kept = apply_triage(result, decisions)
    assert [c.id for c in kept.cards] == [result.cards[0].id, result.cards[2].id]
    assert kept.cards[1].fields[field] == "Edited text"


def test_cancel_returns_none() -> None:
    app = TriageApp(triage_items(build_drafts([DOC]), [DOC]))
    asyncio.run(_cancel(app))
    assert app.return_value is None


async def _cancel(app: TriageApp) -> None:
    async with app.run_test() as pilot:
        await pilot.press("q")


def test_draft_text_is_literal() -> None:
    doc = SourceDoc(
        name="x.md", text="What is [bold]markup[/bold]?\nIt is [red]text[/red] shown literally.\n"
    )
    result = build_drafts([doc])
    assert result.cards
    app = TriageApp(triage_items(result, [doc]))
    shown: list[str] = []

    async def run() -> None:
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            shown.append(str(app.query_one("#draft-text").render()))

    asyncio.run(run())
    assert "[bold]markup[/bold]" in shown[0]
