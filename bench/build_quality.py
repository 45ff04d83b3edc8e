"""Draft-card quality of `trainer build`: precision and recall against expected facts.

Each corpus document `NAME.md|.txt` has a `NAME.facts` file written by hand *before* the
builder was run on it: the facts a teacher would make cards from, one a line,

    cue => answer group ; answer group ; ...

where a group is alternatives separated by `/` (case, accents and spacing ignored). A draft
is judged automatically:

- it *covers* a fact when the cue and every answer group occur in the card, and at least one
  of them is on the hidden side (back, answers, cloze deletions), so the card tests it;
- it *partly covers* a fact when the cue and at least one answer group occur that way;
- **good** (as it is): it covers a fact and has no defect (markup leftovers, a pronoun with
  nothing to refer to in the prompt (a question's pronouns, not an inverted "est-il"; a
  cloze's first word), an answer already given by the prompt, an over-long
  answer or cloze, a third card on the same fact);
- **usable** (after an edit): it covers a fact with a defect, or partly covers one;
- **bad**: anything else (no fact a teacher listed, or only noise).

Precision is good / drafts and usable-or-good / drafts; recall is the share of facts
covered by some good or usable draft. A FAQ fact lists one group per answer paragraph, so
recall on FAQs is "every question with its whole answer".

    python bench/build_quality.py [CORPUS_DIR ...] [--show] [--heldout]

With no directory it measures tests/fixtures/build/corpus/train (and heldout with
`--heldout`); `--show` prints every draft with its verdict, for grading by hand.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from trainer.core.build import (  # noqa: E402
    BuildInputError,
    BuildResult,
    DraftCard,
    DraftCompare,
    build_drafts,
    read_document,
)

CORPUS = ROOT / "tests" / "fixtures" / "build" / "corpus"
MAX_BACK = 300
MAX_DELETIONS = 5
_DELETION = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")
_LEFTOVER = re.compile(r"\*\*|__|!!!|\$|\\[a-z]+|width=|\{|\}|\|:?-|```|^\s*#|<[a-z]+")
_PRONOUNS = frozenset(re.findall(r"\w+", "it they them this these those il ils elle elles eux cela ceci"))


def fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive text for matching keys."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Fact:
    """One expected fact: a cue group and answer groups (each a tuple of alternatives)."""

    line: int
    cue: tuple[str, ...]
    answers: tuple[tuple[str, ...], ...]

    def __str__(self) -> str:
        return " / ".join(self.cue) + " => " + " ; ".join("/".join(g) for g in self.answers)


def read_facts(path: Path) -> list[Fact]:
    """Parse a `.facts` file."""
    facts: list[Fact] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cue, _, answer = line.partition("=>")
        groups = tuple(tuple(fold(a) for a in g.split("/") if a.strip()) for g in answer.split(";"))
        facts.append(Fact(number, tuple(fold(c) for c in cue.split("/") if c.strip()), groups))
    return facts


@dataclass
class Sides:
    """A draft as text: what the learner sees, what is hidden, and the whole."""

    prompt: str
    hidden: str
    raw: str

    @property
    def whole(self) -> str:
        return self.prompt + " \n " + self.hidden


def sides(draft: DraftCard | DraftCompare) -> Sides:
    """The prompt and hidden sides of a draft card or compare set."""
    if isinstance(draft, DraftCompare):
        facets = " ".join(f"{k}: {', '.join(v)}" for k, v in draft.facets.items())
        prompt = draft.title
        return Sides(fold(prompt), fold(" ".join(draft.items) + " " + facets), prompt + " " + facets)
    fields = draft.fields
    if draft.kind == "cloze":
        text = str(fields.get("text", ""))
        hidden = " | ".join(m.group(1) for m in _DELETION.finditer(text))
        prompt = _DELETION.sub(" [...] ", text)
        return Sides(fold(prompt), fold(hidden), prompt + " " + hidden)
    front = str(fields.get("front", ""))
    answer = fields.get("back") or fields.get("answers") or fields.get("answer") or ""
    back = " | ".join(answer) if isinstance(answer, list) else str(answer)
    return Sides(fold(front), fold(back), front + " " + back)


def _has(text: str, group: tuple[str, ...]) -> bool:
    return any(key in text for key in group)


def coverage(s: Sides, fact: Fact) -> str:
    """ "full", "partial" or "" for how a draft covers a fact."""
    if not _has(s.whole, fact.cue):
        return ""
    found = [g for g in fact.answers if _has(s.whole, g)]
    tested = _has(s.hidden, fact.cue) or any(_has(s.hidden, g) for g in found)
    if not found or not tested:
        return ""
    return "full" if len(found) == len(fact.answers) else "partial"


def defects(draft: DraftCard | DraftCompare, s: Sides, fact: Fact) -> list[str]:
    """What a reviewer would have to fix before keeping a draft that covers `fact`."""
    found: list[str] = []
    if _LEFTOVER.search(_DELETION.sub("x", s.raw)):
        found.append("markup leftover")
    if isinstance(draft, DraftCard):
        # A pronoun with nothing to refer to: any in a question (not an inverted "est-il"),
        # or the first word of a cloze (later ones refer inside the sentence).
        prompt = s.prompt.replace("qu'est-ce", "")
        prompt_words = re.findall(r"(?<![-\w'])[a-z]+", prompt)
        if draft.kind == "cloze":
            prompt_words = prompt_words[:1]
        if set(prompt_words) & _PRONOUNS:
            found.append("pronoun in the prompt")
        if draft.kind == "cloze":
            deletions = len(_DELETION.findall(str(draft.fields.get("text", ""))))
            if deletions > MAX_DELETIONS:
                found.append("too many deletions")
            if len(s.prompt.replace("[...]", "").split()) < 3:
                found.append("cloze without context")
        elif len(s.hidden) > MAX_BACK:
            found.append("answer too long")
    if all(_has(s.prompt, g) for g in fact.answers) and not _has(s.hidden, fact.cue):
        found.append("answer given away by the prompt")
    return found


@dataclass
class Verdict:
    """The judgement of one draft."""

    draft: DraftCard | DraftCompare
    grade: str
    why: str
    facts: list[Fact] = field(default_factory=list)


@dataclass
class DocScore:
    """Precision and recall on one document."""

    name: str
    verdicts: list[Verdict]
    facts: list[Fact]
    recalled: set[int]
    language: str

    @property
    def drafts(self) -> int:
        return len(self.verdicts)

    def share(self, *grades: str) -> float:
        return sum(v.grade in grades for v in self.verdicts) / self.drafts if self.drafts else 0.0

    @property
    def recall(self) -> float:
        return len(self.recalled) / len(self.facts) if self.facts else 0.0


def judge(result: BuildResult, facts: list[Fact]) -> tuple[list[Verdict], set[int]]:
    """Grade every draft of `result` against `facts`; also the facts recalled."""
    drafts: list[DraftCard | DraftCompare] = [*result.cards, *result.compares]
    uses: dict[int, int] = {}
    verdicts: list[Verdict] = []
    recalled: set[int] = set()
    for draft in drafts:
        s = sides(draft)
        full = [f for f in facts if coverage(s, f) == "full"]
        partial = [f for f in facts if coverage(s, f) == "partial"]
        if full:
            fresh = [f for f in full if uses.get(f.line, 0) < 2]
            for f in full:
                uses[f.line] = uses.get(f.line, 0) + 1
            recalled.update(f.line for f in full)
            if not fresh:
                verdicts.append(Verdict(draft, "bad", "third card on the same fact", full))
                continue
            problems = defects(draft, s, fresh[0])
            grade = "usable" if problems else "good"
            verdicts.append(Verdict(draft, grade, ", ".join(problems) or "covers", fresh))
        elif partial:
            verdicts.append(Verdict(draft, "usable", "partly covers (answer incomplete)", partial))
        else:
            verdicts.append(Verdict(draft, "bad", "no expected fact", []))
    return verdicts, recalled


def score(path: Path) -> DocScore:
    """Build one corpus document and judge its drafts."""
    facts_path = path.with_suffix(".facts")
    facts = read_facts(facts_path) if facts_path.exists() else []
    try:
        result = build_drafts([read_document(path)])
    except BuildInputError as exc:  # a language the rules do not cover: refused, named
        return DocScore(path.name, [], facts, set(), "refused: " + str(exc).split(": ", 1)[-1][:40])
    verdicts, recalled = judge(result, facts)
    return DocScore(path.name, verdicts, facts, recalled, result.language)


def documents(folder: Path) -> list[Path]:
    """The corpus documents of a folder (every file but the `.facts`)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".md", ".txt"))


def show(verdict: Verdict) -> str:
    """One judged draft as readable text."""
    d = verdict.draft
    if isinstance(d, DraftCompare):
        body = f"  compare {d.title}: {d.items} {d.facets}"
    elif d.kind == "cloze":
        body = f"  {d.fields['text']}"
    else:
        answer = d.fields.get("back") or d.fields.get("answers")
        body = f"  Q: {d.fields['front']}\n  A: {answer}"
    return f"[{verdict.grade}: {verdict.why}] {d.section}\n{body}"


def table(scores: list[DocScore], title: str) -> list[str]:
    """A Markdown table of per-document figures with a total line."""
    lines = [
        f"### {title}",
        "",
        "| document | lang | drafts | good | usable | recall |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for s in scores:
        recall = f"{len(s.recalled)}/{len(s.facts)} ({s.recall:.0%})" if s.facts else "-"
        lines.append(
            f"| {s.name} | {s.language} | {s.drafts} | {s.share('good'):.0%} "
            f"| {s.share('good', 'usable'):.0%} | {recall} |"
        )
    drafts = sum(s.drafts for s in scores)
    good = sum(s.share("good") * s.drafts for s in scores)
    usable = sum(s.share("good", "usable") * s.drafts for s in scores)
    facts = sum(len(s.facts) for s in scores)
    hits = sum(len(s.recalled) for s in scores)
    if drafts and facts:
        lines.append(
            f"| **all** | | {drafts} | {good / drafts:.0%} | {usable / drafts:.0%} "
            f"| {hits}/{facts} ({hits / facts:.0%}) |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--heldout", action="store_true", help="Also measure the held-out documents.")
    parser.add_argument("--show", action="store_true", help="Print every draft with its verdict.")
    args = parser.parse_args()
    folders = args.folders or [CORPUS / "train", *([CORPUS / "heldout"] if args.heldout else [])]
    for folder in folders:
        scores = [score(path) for path in documents(folder)]
        if args.show:
            for s in scores:
                print(f"\n=== {s.name} ({s.language})")
                for verdict in s.verdicts:
                    print(show(verdict))
                missed = [f for f in s.facts if f.line not in s.recalled]
                for fact in missed:
                    print(f"  MISSED: {fact}")
        print(
            "\n".join(
                ["", *table(scores, str(folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder))]
            )
        )


if __name__ == "__main__":
    main()
