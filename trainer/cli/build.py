"""`trainer build`: documents -> a draft deck file (offline, deterministic rules).

Only click is imported at module level: the builder, the deck-file checker and the triage
app load when the command runs, so `trainer build --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.atomicfile import write_atomic

if TYPE_CHECKING:
    from trainer.core.build import BuildResult


@click.command()
@click.argument("docs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Deck file to write."
)
@click.option("--deck-name", help="Deck name (default: Drafts::<output name>).")
@click.option("--deck-id", help="Deck id (default: draft.<output name>).")
@click.option("--lang", type=click.Choice(["auto", "en", "fr"]), default="auto", show_default=True)
@click.option("--report", is_flag=True, help="Print every skipped sentence and why.")
@click.option("--review", is_flag=True, help="Triage the drafts in the app: only accepted cards are written.")
@click.option(
    "--force",
    is_flag=True,
    help="OUT exists: merge into it. Its cards (edited or not) are kept, drafts removed from it"
    " or rejected stay out, new drafts are added.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
def build(
    docs: tuple[Path, ...],
    out: Path,
    deck_name: str | None,
    deck_id: str | None,
    lang: str,
    report: bool,
    review: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Turn plain-text or Markdown DOCS into a draft deck file OUT."""
    from trainer.core.build import apply_triage, build_drafts, read_document, render_toml
    from trainer.core.build.merge import merge_into
    from trainer.core.cards import slugify
    from trainer.core.deckfile import DeckFileError, parse_deck_text

    if out.exists() and not force:
        raise click.UsageError(f"{out} exists; use --force to merge the new drafts into it")
    existing = _read_existing(out) if out.exists() else None
    sources = [read_document(path) for path in docs]
    result = build_drafts(sources, lang=lang)
    rejected: list[str] = []
    if review:
        from trainer.tui.triage import run_triage

        outcome = run_triage(result, sources)
        if outcome is None:
            raise click.ClickException("triage cancelled; nothing written")
        rejected = [ident for ident, d in outcome.decisions.items() if d.action == "reject"]
        result = apply_triage(result, outcome.decisions, keep_undecided=outcome.keep_undecided)
        result.cards.extend(outcome.created)
    merged = None
    if existing is not None:
        merged = merge_into(existing, result, rejected)
        text = merged.text
    else:
        if not result.cards and not result.compares:
            raise click.ClickException(
                f"no cards could be drafted from {', '.join(str(d) for d in docs)}; nothing written"
            )
        name = deck_name or f"Drafts::{out.stem}"
        ident = deck_id or f"draft.{slugify(out.stem)}"
        text = render_toml(result, ident, name, rejected)
    try:
        deck = parse_deck_text(text, str(out))
    except DeckFileError as exc:  # a rule produced something the loader refuses: say so, write nothing
        raise click.ClickException(f"the draft deck did not validate, nothing written:\n{exc}") from None
    from trainer.core.files import regular_file

    regular_file(out, write=True)  # never replace a pipe or a device with the deck
    write_atomic(out, text)
    if merged is not None and not as_json:
        click.echo(
            f"Merged into {out}: {merged.added} new drafts added, {merged.kept} already there kept as"
            f" they are, {merged.left_out} removed or rejected before left out."
        )
    _print_summary(result, out, len(deck.cards), report=report, as_json=as_json)


def _read_existing(out: Path) -> str:
    """The text of the deck file a re-run merges into."""
    try:
        return out.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{out}: cannot read the existing deck file ({exc})") from None


def _print_summary(result: BuildResult, out: Path, study_cards: int, *, report: bool, as_json: bool) -> None:
    from trainer.core.cards import clean_text

    if as_json:
        from trainer.cli.common import emit_json

        emit_json(
            {
                "output": str(out),
                "language": result.language,
                "drafts": len(result.cards),
                "compare_sets": len(result.compares),
                "study_cards": study_cards,
                "skipped": [
                    {"source": s.source, "lines": list(s.lines), "reason": s.reason, "text": s.text}
                    for s in result.skipped
                ],
            }
        )
        return
    click.echo(
        f"Wrote {out}: {len(result.cards)} draft cards and {len(result.compares)} compare sets "
        f"({study_cards} study cards), language {result.language}; {len(result.skipped)} passages skipped."
    )
    reasons: dict[str, int] = {}
    for skipped in result.skipped:
        reasons[skipped.reason] = reasons.get(skipped.reason, 0) + 1
    for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
        click.echo(f"  skipped {count}: {reason}")
    if report:
        for skipped in result.skipped:
            start, end = skipped.lines
            where = f"{clean_text(skipped.source)}:{start}-{end}"
            click.echo(f"{where}: {skipped.reason}: {clean_text(skipped.text[:100])}")
    click.echo(f"Check it, then load it with: trainer load {out}")


COMMANDS = [build]
