"""Anki as the judge of a package: import it, render every card, run Check Database.

The Anki side can run in a subprocess with its own `TZ` (and under faketime) because
Anki reads the system clock and zone: `judge_in_zone` does that and returns JSON.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from anki.collection import Collection as AnkiCollection
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

from trainer.core.cards import CLOZE_RE, CardContent, CardKind, render
from trainer.formats.anki_notes import choice_question
from trainer.formats.html_text import html_to_text

_STYLE_RE = re.compile(r"<style\b.*?</style\s*>", re.DOTALL | re.IGNORECASE)
_ANSWER_HR_RE = re.compile(r"<hr id=\"?answer\"?\s*/?>", re.IGNORECASE)
_TYPE_RE = re.compile(r"\[\[type:([^\]]*)\]\]")
_SPACE_RE = re.compile(r"\s+")
_PLAY_RE = re.compile(r"\[anki:play:([qa]):(\d+)\]")
_HINT_RE = re.compile(
    r'<a class=hint href="#"[^>]*>.*?</a>\s*'
    r'<div id="hint[^"]*" class=hint style="display: none">(.*?)</div>\n?',
    re.DOTALL,
)
ROOT = Path(__file__).resolve().parents[2]


def cloze_answer(text: str, ordinal: int) -> str:
    """The hidden parts of cloze `ordinal`, joined."""
    return ", ".join(m.group(2) for m in CLOZE_RE.finditer(text) if int(m.group(1)) == ordinal)


def anki_import(package: Path, target: Path, *, scheduling: bool = True) -> AnkiCollection:
    """A new Anki collection at `target` with `package` imported."""
    anki = AnkiCollection(str(target))
    anki.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(package),
            options=ImportAnkiPackageOptions(with_scheduling=scheduling, merge_notetypes=True),
        )
    )
    return anki


def plain(html: str) -> str:
    """Rendered HTML as trainer's plain text, whitespace collapsed (for comparing)."""
    text, _ = html_to_text(_TYPE_RE.sub("", _STYLE_RE.sub("", html)))
    return _SPACE_RE.sub(" ", text).strip()


def _play(html: str, question: list[Any], answer: list[Any]) -> str:
    """Anki's `[anki:play:q:0]` audio markers as the sound or spoken text they stand for."""

    def replace(match: re.Match[str]) -> str:
        tags = question if match.group(1) == "q" else answer
        index = int(match.group(2))
        tag = tags[index] if index < len(tags) else None
        if tag is None:
            return ""
        name = getattr(tag, "filename", None)
        return f"[sound:{name}]" if name is not None else str(getattr(tag, "field_text", ""))

    return _PLAY_RE.sub(replace, html)


def anki_sides(question_html: str, answer_html: str, typed: dict[str, str] | None = None) -> tuple[str, str]:
    """Anki's question, and its answer without the repeated question (after `<hr id=answer>`).

    Anki's library leaves `[[type:Field]]` for its reviewer to fill: with nothing typed, the
    reviewer shows the expected answer there, given here as `typed` (field -> answer).
    """
    parts = _ANSWER_HR_RE.split(answer_html, maxsplit=1)
    answer = _TYPE_RE.sub(lambda m: (typed or {}).get(m.group(1), ""), parts[-1])
    return plain(question_html), plain(answer)


def anki_hints(question_html: str) -> tuple[str, str]:
    """Anki's question without its `{{hint:...}}` links, and the hints' text (one a line)."""
    hints = [plain(h) for h in _HINT_RE.findall(question_html)]
    return _HINT_RE.sub("", question_html), "\n".join(dict.fromkeys(h for h in hints if h))


def _typed_answers(note: Any, ordinal: int) -> dict[str, str]:
    out = {}
    for name, value in note.items():
        out[name] = value
        out[f"cloze:{name}"] = cloze_answer(value, ordinal + 1)
    return out


def trainer_sides(content: CardContent) -> tuple[str, str]:
    """What trainer shows: the question (a choice card's with its options listed, as it leaves for
    Anki), and the answer followed by the note."""
    shown = render(content)
    question = choice_question(content) if content.kind is CardKind.CHOICE else shown.question
    answer = shown.answer if not content.note else f"{shown.answer}\n\n{content.note}"
    return _SPACE_RE.sub(" ", question).strip(), _SPACE_RE.sub(" ", answer).strip()


def judge(anki: AnkiCollection) -> dict[str, Any]:
    """Every card Anki has, rendered, and what Check Database did."""
    cards = {}
    for cid in anki.find_cards(""):
        card = anki.get_card(cid)
        note = card.note()
        q_tags, a_tags = card.question_av_tags(), card.answer_av_tags()
        question_html, answer_html = card.question(), card.answer()
        hint = ""
        if note.note_type()["type"] != 1:  # trainer's hint; a cloze type keeps it in its text
            question_html, hint = anki_hints(question_html)
            answer_html = anki_hints(answer_html)[0]
        q, a = anki_sides(
            _play(question_html, q_tags, a_tags),
            _play(answer_html, q_tags, a_tags),
            _typed_answers(note, card.ord),
        )
        cards[f"{note.guid}/{card.ord}"] = {
            "question": q, "answer": a, "hint": hint, "nid": note.id, "cid": card.id, "type": card.type,
            "queue": card.queue,
            "due": card.due, "ivl": card.ivl, "deck": anki.decks.name(card.did),
            "stability": card.memory_state.stability if card.memory_state else None,
            "difficulty": card.memory_state.difficulty if card.memory_state else None,
            "decay": card.decay,
        }  # fmt: skip
    revlog = anki.db.all("select id, cid, ease, ivl, lastIvl, factor, time, type from revlog order by id")
    before = anki.card_count()
    problems = anki.fix_integrity()[0]
    return {
        "cards": cards,
        "before_check": before,
        "after_check": anki.card_count(),
        "problems": problems,
        "revlog": revlog,
        "today": anki.sched.today,
    }


def rendering(package: Path, folder: Path) -> dict[str, tuple[str, str, bool]]:
    """Every card of `package` as Anki renders it in a fresh collection: `<guid>/<ord>` ->
    (question HTML, answer HTML, whether its template asks for a typed answer)."""
    folder.mkdir(parents=True, exist_ok=True)
    anki = anki_import(package, folder / "rendering.anki2")
    try:
        out = {}
        for cid in anki.find_cards(""):
            card = anki.get_card(cid)
            template = card.template()
            typed = "{{type:" in template["qfmt"] + template["afmt"]
            out[f"{card.note().guid}/{card.ord}"] = (card.question(), card.answer(), typed)
        return out
    finally:
        anki.close()


def judge_package(package: Path, folder: Path) -> dict[str, Any]:
    """Import `package` into a fresh Anki collection in `folder` and judge it."""
    folder.mkdir(parents=True, exist_ok=True)
    anki = anki_import(package, folder / "judge.anki2")
    try:
        return judge(anki)
    finally:
        anki.close()


def judge_in_zone(package: Path, folder: Path, zone: str, when: str | None = None) -> dict[str, Any]:
    """`judge_package` in a subprocess with `TZ=zone` (and faketime `when`, e.g. '2026-03-01 12:00:00')."""
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TZ=zone, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "tests.formats.anki_judge", str(package), str(folder)]
    if when:
        command = ["faketime", "-f", f"@{when}", *command]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


if __name__ == "__main__":
    print(json.dumps(judge_package(Path(sys.argv[1]), Path(sys.argv[2]))))
