"""Quiz: an exam-style round, auto-graded, with the score and a per-topic breakdown."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from trainer.core.cards import clean_text
from trainer.core.quiz import Question, breakdown, check_answer
from trainer.core.scheduling import Rating
from trainer.errors import TrainerError
from trainer.tui.rich_card import diff_text
from trainer.tui.text import assemble, literal

if TYPE_CHECKING:
    from trainer.collection import Collection


class QuizScreen(Screen[None]):
    """A round of N questions from a deck, due or not."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # first: the footer is cut on the right at 80 columns, and ? Help must always show
        Binding("question_mark", "app.help", "Help"),
        Binding("1", "pick(1)", "Pick 1-9", show=False),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)],
        Binding("space,enter", "next", "Next"),
        Binding("r", "override", "I was right"),
        Binding("escape,q", "leave", "End"),
    ]

    def __init__(
        self,
        deck: str | None,
        *,
        n: int = 20,
        mode: str = "mixed",
        schedule: bool = False,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.deck = deck
        self.n = n
        self.mode = mode
        self.schedule = schedule
        self.seed = seed
        self.questions: list[Question] = []
        self.index = 0
        self.answered = False
        self.results: list[tuple[Question, bool]] = []
        self.record_ids: list[int] = []
        self.shown_at = 0.0

    @property
    def col(self) -> Collection:
        """The collection."""
        from trainer.tui.app import TrainerApp

        assert isinstance(self.app, TrainerApp)
        return self.app.col

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="counts", markup=False)
        yield Static("", id="context", markup=False)
        with VerticalScroll(id="card"):
            yield Static("", id="question", markup=False)
            yield Static("", id="options", markup=False)
            yield Input(placeholder="Type the answer, then Enter", id="typed", classes="hidden")
            yield Static("", id="verdict", markup=False, classes="hidden")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = f"Quiz: {self.deck or 'All decks'}"
        try:
            self.questions = self.col.quiz_questions(self.deck, self.n, self.mode, seed=self.seed)
        except TrainerError as exc:
            self.notify(clean_text(str(exc)), severity="error", markup=False)
            self.questions = []
        if not self.questions:
            self.query_one("#question", Static).update("No card in this deck can be asked in this mode.")
            self.query_one("#options", Static).update("")
            return
        self.show_question()

    @property
    def current(self) -> Question | None:
        """The question on screen."""
        return self.questions[self.index] if self.index < len(self.questions) else None

    def show_question(self) -> None:
        """Show the current question."""
        question = self.current
        assert question is not None
        self.answered = False
        self.shown_at = float(getattr(self.app, "timer", time.monotonic)())
        self._show_score()
        self.query_one("#context", Static).update(literal(question.topic))
        self.query_one("#question", Static).update(literal(question.prompt, "bold"))
        options = self.query_one("#options", Static)
        options.update(assemble(*[f"{n}. {text}\n" for n, text in enumerate(question.options, 1)]))
        options.set_class(question.mode != "choice", "hidden")
        typed = self.query_one("#typed", Input)
        typed.set_class(question.mode != "typed", "hidden")
        typed.value = ""
        typed.disabled = question.mode != "typed"
        self.query_one("#verdict", Static).add_class("hidden")
        if question.mode == "typed":
            typed.focus()
        else:
            self.set_focus(None)

    def _show_score(self) -> None:
        score = sum(ok for _, ok in self.results)
        self.query_one("#counts", Static).update(
            Text(f"Question {self.index + 1} of {len(self.questions)}   score {score}/{len(self.results)}")
        )

    def _grade(self, correct: bool, given: str, feedback: Text) -> None:
        question = self.current
        assert question is not None
        self.answered = True
        duration = int((float(getattr(self.app, "timer", time.monotonic)()) - self.shown_at) * 1000)
        record = self.col.record_quiz_answer(question, correct=correct, given=given, duration_ms=duration)
        if self.schedule:
            self.col.answer(question.card_id, Rating.GOOD if correct else Rating.AGAIN, duration_ms=duration)
        self.results.append((question, correct))
        self.record_ids.append(record)
        self._show_score()
        if not correct:
            feedback.append(Text("\nPress r if you were right after all.", style="dim"))
        verdict = self.query_one("#verdict", Static)
        verdict.update(feedback)
        verdict.remove_class("hidden")
        self.query_one("#typed", Input).disabled = True
        self.set_focus(None)

    def action_pick(self, number: int) -> None:
        """Pick option `number` of a choice question."""
        question = self.current
        if question is None or self.answered or question.mode != "choice" or number > len(question.options):
            return
        right = question.grade_choice(number - 1)
        feedback = Text("Right!" if right else "Wrong. ", style="bold green" if right else "bold red")
        if not right:
            feedback.append(literal(f"The answer is {question.answer_index + 1}. {question.expected}"))
        self._grade(right, question.options[number - 1], feedback)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        question = self.current
        if question is None or self.answered or question.mode != "typed":
            return
        check = check_answer(event.value, question.accepted)
        feedback = Text(
            "Right!\n" if check.correct else "Wrong.\n", style="bold green" if check.correct else "bold red"
        )
        feedback.append(diff_text(check))
        self._grade(check.correct, event.value, feedback)

    def action_override(self) -> None:
        """ "I was right": count the last wrong answer as right (and, with --schedule, Good)."""
        if not self.answered or not self.results or self.results[-1][1]:
            return
        question, _ = self.results[-1]
        self.col.correct_quiz_answer(self.record_ids[-1])
        if self.schedule:
            self.col.undo()
            self.col.answer(question.card_id, Rating.GOOD)
        self.results[-1] = (question, True)
        self._show_score()
        verdict = self.query_one("#verdict", Static)
        verdict.update(Text("Counted as right.", style="bold green"))
        self.notify("Counted as right.")

    def action_next(self) -> None:
        """Go on after an answer."""
        if not self.answered:
            return
        self.index += 1
        if self.current is None:
            self.show_results()
        else:
            self.show_question()

    def show_results(self) -> None:
        """The score and a per-topic breakdown."""
        score = sum(ok for _, ok in self.results)
        total = len(self.results)
        table = Table(title=f"Score: {score} / {total} ({score / total:.0%})" if total else "No answers")
        table.add_column("Topic")
        table.add_column("Right", justify="right")
        table.add_column("Asked", justify="right")
        for row in breakdown(self.results):
            table.add_row(literal(row.topic), str(row.right), str(row.asked))
        self.query_one("#question", Static).update(table)
        for selector in ("#options", "#typed", "#verdict"):
            self.query_one(selector).add_class("hidden")
        self.query_one("#counts", Static).update(Text("Quiz finished. Esc returns to the decks."))
        self.query_one("#context", Static).update("")
        self.answered = False

    def action_leave(self) -> None:
        """Back (answers given so far are stored)."""
        self.dismiss(None)
