"""How many wrong options the quiz leaves out because the deck says they are right too.

    PYTHONPATH=. python bench/quiz_exclusions.py [--show]

Loads the bundled decks into a temporary collection and, for every card that can be asked as
multiple choice, compares the candidate wrong options with and without the rule of
`trainer.core.quiz_meaning` (aliases, the same question, compare-set items and facets).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from trainer.collection import open_collection
from trainer.core import quiz
from trainer.core.quiz_meaning import RightAnswers
from trainer.services.quiz import QuizService


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each option left out")
    args = parser.parse_args()
    closest = 2 * (quiz.MAX_OPTIONS - 1)  # a question draws its wrong options from these
    with tempfile.TemporaryDirectory() as tmp, open_collection(Path(tmp) / "c.sqlite3") as col:
        sources = QuizService(col.db).sources(None)
        rule = quiz.right_answers(sources)
        nothing = RightAnswers([], normalise=quiz.normalise, prompt=lambda c: "", answers=lambda c: ())
        asked = cards = candidates = offered = 0
        for source in sources:
            expected = quiz._expected(source.content)
            before = quiz._distractor_pool(source, sources, expected, nothing) if expected else []
            if not before:
                continue
            asked += 1
            after = set(quiz._distractor_pool(source, sources, expected, rule))
            gone = [option for option in before if option not in after]
            cards += bool(gone)
            candidates += len(gone)
            offered += sum(1 for option in before[:closest] if option not in after)
            if args.show:
                for option in gone:
                    print(f"{source.content.front[:70]!r} -> {expected!r}: {option!r} left out")
    print(f"cards asked as multiple choice: {asked}; cards with an option left out: {cards}")
    print(f"candidate wrong options left out: {candidates} (among the {closest} closest of each: {offered})")


if __name__ == "__main__":
    main()
