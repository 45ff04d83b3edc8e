"""Review: question, reveal, four previewed ratings, undo, edit, info, suspend/bury/flag."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static
from textual.widgets.button import ButtonVariant
from textual.worker import get_current_worker

from trainer.core.cards import CardKind, render
from trainer.core.quiz import check_answer
from trainer.core.scheduling import CardState, Rating, format_interval
from trainer.errors import CollectionBusyError, TrainerError
from trainer.tui.answer_turn import answer_in_turn
from trainer.tui.rich_card import answer_text, diff_text, styled
from trainer.tui.screens.dialogs import EditDialog, InfoDialog, SessionSummary, SummaryScreen
from trainer.tui.screens.study_session import Session, choice_options
from trainer.tui.text import assemble, literal
from trainer.tui.widgets.line import Line

if TYPE_CHECKING:
    from trainer.collection import Collection
    from trainer.views import AnswerResult, StudyCard

RATING_STYLES: dict[Rating, ButtonVariant] = {
    Rating.AGAIN: "error",
    Rating.HARD: "warning",
    Rating.GOOD: "success",
    Rating.EASY: "primary",
}
FLAG_COLOURS = ("none", "red", "orange", "green", "blue", "pink", "turquoise", "purple")


class ReviewScreen(Screen[None]):
    """Study the due cards of one deck (or all)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # first: the footer is cut on the right at 80 columns, and ? Help must always show
        Binding("question_mark", "app.help", "Help"),
        Binding("space", "reveal_or_rate", "Show/Good"),
        Binding("enter", "reveal_or_rate", "Show / Good", show=False),
        Binding("1", "rate(1)", "Again", show=False),
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
        Binding("u", "undo", "Undo"),
        Binding("e", "edit", "Edit"),
        Binding("a", "add", "Add"),
        Binding("o", "open_media", "Open media", show=False),
        Binding("i", "info", "Info", show=False),  # in ? and ctrl+p: the footer fits 80 columns
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("f", "flag", "Flag", show=False),
        Binding("escape,q", "finish", "End"),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("down", "scroll(1)", "Scroll down", show=False),
        Binding("pageup", "scroll(-10)", "Page up", show=False),
        Binding("pagedown", "scroll(10)", "Page down", show=False),
    ]

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck
        self.study: StudyCard | None = None
        self.revealed = False
        self.proposed: Rating | None = None
        self.shown_at = 0.0
        self.session = Session()
        self.answering = False  # an answer waits for another trainer's write to finish
        self.started = 0.0
        self.options: list[str] = []

    def _timer(self) -> float:
        """Seconds from the app's timer (tests fix it for stable snapshots)."""
        timer = getattr(self.app, "timer", time.monotonic)
        return float(timer())

    @property
    def col(self) -> Collection:
        """The collection."""
        from trainer.tui.app import TrainerApp

        assert isinstance(self.app, TrainerApp)
        return self.app.col

    def compose(self) -> ComposeResult:
        yield Header()
        yield Line(id="counts")
        yield Line(id="context")
        with VerticalScroll(id="card"):
            yield Static("", id="question", markup=False)
            yield Vertical(id="question-images", classes="card-images hidden")
            yield Static("", id="options", markup=False, classes="hidden")
            yield Input(placeholder="Type the answer, then Enter", id="typed", classes="hidden")
            yield Static("", id="verdict", markup=False, classes="hidden")
            yield Static("", id="answer", markup=False, classes="hidden")
            yield Vertical(id="answer-images", classes="card-images hidden")
        # Hidden by visibility, not display: the bar keeps its rows, so showing and hiding it
        # does not lay the whole screen out again between cards.
        with Horizontal(id="ratings", classes="invisible"):
            for rating in Rating:
                yield Button(rating.label, id=f"rate-{int(rating)}", variant=RATING_STYLES[rating])
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = self.deck or "All decks"
        self.set_interval(1.0, self._tick)
        self.load_next()

    # -- showing a card -------------------------------------------------------------------

    def load_next(self) -> None:
        """Fetch and show the next card, or the summary when the queue is empty."""
        study = self.col.next_card(self.deck)
        if study is None:
            self.study = None
            self.action_finish()
            return
        self.show(study)

    def show(self, study: StudyCard) -> None:
        """Show a card's question."""
        self.study = study
        self.revealed = False
        self.proposed = None
        self.shown_at = self._timer()
        card = study.card
        content = card.content
        rendered = render(content)
        context = card.deck_name + (f"  ·  set: {content.group_title}" if content.group_title else "")
        if card.flag:
            context += f"  ·  flag: {FLAG_COLOURS[card.flag]}"
        self._update("#context", literal(context))
        question = styled(rendered.question, "bold")
        if content.hint and content.kind is not CardKind.CLOZE:
            question.append(literal(f"\nhint: {content.hint}", "italic dim"))
        self.query_one("#question", Static).update(question)
        self._show_images(rendered.question, answer_side=False)
        options = self.query_one("#options", Static)
        self.options = choice_options(card.id, rendered.options) if content.kind is CardKind.CHOICE else []
        options.display = bool(self.options)
        options.update(assemble(*[f"{n}. {text}\n" for n, text in enumerate(self.options, 1)]))
        typed = self.query_one("#typed", Input)
        is_typed = content.kind is CardKind.TYPED
        typed.display = is_typed
        if typed.value:
            typed.value = ""
        typed.disabled = not is_typed
        self.query_one("#verdict", Static).display = False
        self.query_one("#answer", Static).display = False
        self.query_one("#ratings").visible = False
        if is_typed:
            typed.focus()
        else:
            self.set_focus(None)
        self._show_counts()

    def _show_images(self, question: str, *, answer_side: bool) -> None:
        """Draw the card's images inline where the terminal can (`trainer.tui.images`): those
        whose `[image: NAME]` the question shows under it, the others under the answer."""
        from trainer.tui.images import card_image_widgets, protocol

        box = self.query_one("#answer-images" if answer_side else "#question-images", Vertical)
        for old in [box] if answer_side else [box, self.query_one("#answer-images", Vertical)]:
            if old.children:
                old.remove_children()
            old.display = False  # no row of its own when empty
        if protocol() is not None and self.study is not None and self.study.card.content.media:
            folder, media = self.col.media_folder(), self.study.card.content.media
            if widgets := card_image_widgets(folder, media, question, answer_side=answer_side):
                box.display = True
                box.mount(*widgets)

    def _show_counts(self) -> None:
        if self.study is None:
            return
        counts = self.study.counts
        elapsed = int(self._timer() - self.shown_at)
        line = Text.assemble(
            ("New ", "dim"), (str(counts.new), "blue bold"), ("  Learn ", "dim"),
            (str(counts.learning), "red bold"), ("  Due ", "dim"), (str(counts.review), "green bold"),
            ("   ", ""), (f"{elapsed // 60}:{elapsed % 60:02d}", "dim"),
            (f"   done {len(self.session.answers)}", "dim"),
        )  # fmt: skip
        self._update("#counts", line)

    def _update(self, selector: str, text: Text) -> None:
        self.query_one(selector, Line).show(text)

    def _tick(self) -> None:
        self._show_counts()

    def reveal(self, check: Text | None = None) -> None:
        """Show the answer and the four ratings with their intervals."""
        if self.study is None or self.revealed:
            return
        self.revealed = True
        card = self.study.card
        answer = answer_text(card.content, card.answer)
        if card.content.note:
            answer.append(Text("\n\n"))
            answer.append_text(styled(card.content.note, "italic"))
        if card.content.media:
            answer.append(Text("\n\no opens " + ", ".join(card.content.media), style="dim"))
        self.query_one("#answer", Static).update(answer)
        self.query_one("#answer", Static).display = True
        self._show_images(render(card.content).question, answer_side=True)
        verdict = self.query_one("#verdict", Static)
        verdict.display = check is not None
        if check is not None:
            verdict.update(check)
        typed = self.query_one("#typed", Input)
        typed.disabled = True
        for rating in Rating:
            button = self.query_one(f"#rate-{int(rating)}", Button)
            interval = format_interval(self.study.preview[rating].interval)
            button.label = f"{int(rating)} {rating.label} {interval}"
            button.set_class(rating == (self.proposed or Rating.GOOD), "proposed")  # Space/Enter answers it
        self.query_one("#ratings").visible = True
        self.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.study is None or self.revealed:
            return
        check = check_answer(event.value, self.study.card.content.answers or (self.study.card.answer,))
        self.proposed = check.proposed
        head = Text(
            "Right!\n" if check.correct else "Not quite.\n",
            style="bold green" if check.correct else "bold red",
        )
        head.append(diff_text(check))
        self.reveal(head)

    def pick(self, number: int) -> None:
        """Answer a choice card with option `number` (1-based)."""
        assert self.study is not None
        picked = self.options[number - 1]
        right = picked == self.study.card.content.back
        self.proposed = Rating.GOOD if right else Rating.AGAIN
        verdict = Text("Right! " if right else "Wrong: ", style="bold green" if right else "bold red")
        verdict.append(literal(f"you picked {number}. {picked}"))
        self.reveal(verdict)

    # -- actions --------------------------------------------------------------------------

    def action_reveal_or_rate(self) -> None:
        """Space/Enter: reveal, or after the reveal, answer with the proposed rating (Good)."""
        if self.study is None:
            return
        if not self.revealed:
            self.reveal()
        else:
            self.action_rate(int(self.proposed or Rating.GOOD))

    def action_rate(self, value: int) -> None:
        """Answer with a rating (or pick an option of an unrevealed choice card)."""
        if self.study is None:
            return
        if not self.revealed:
            if self.options and value <= len(self.options):
                self.pick(value)
            return
        if self.answering:
            return  # the answer given is waiting for its turn to be written
        duration = int((self._timer() - self.shown_at) * 1000)
        card_id = self.study.card.id
        blocker = self.col.write_blocker()  # another trainer (an import) or another program writes
        if blocker is not None:
            self._answer_later(card_id, value, duration, blocker)
            return
        self._answer(card_id, value, duration)

    def _answer_later(self, card_id: int, value: int, duration: int, blocker: str) -> None:
        """Keep the answer and write it from a worker thread once the writer has finished."""
        self.answering = True
        self._waiting_notice(blocker)
        self.run_worker(lambda: self._answer_in_turn(card_id, value, duration), thread=True)

    def _waiting_notice(self, blocker: str) -> None:
        who = "trainer" if blocker == "trainer" else "program"
        self.notify(f"Waiting for another {who} to finish; your answer will be saved.", timeout=5)

    def _answer_in_turn(self, card_id: int, value: int, duration: int) -> None:
        """Worker thread: answer once the writer has finished, then carry on on the app's thread."""
        worker = get_current_worker()
        try:
            result = answer_in_turn(
                self.col, card_id, Rating(value), duration,
                cancelled=lambda: worker.is_cancelled,
                still_busy=lambda: self.app.call_from_thread(self._waiting_notice, "program"),
            )  # fmt: skip
        except Exception as exc:
            self.app.call_from_thread(self._answer_failed, card_id, value, duration, exc)
            return
        if result is not None:
            self.app.call_from_thread(self._answered_in_turn, result, duration)

    def _answered_in_turn(self, result: AnswerResult, duration: int) -> None:
        self.answering = False
        self._answered(result, duration)

    def _answer_failed(self, card_id: int, value: int, duration: int, exc: Exception) -> None:
        self.answering = False
        if isinstance(exc, TrainerError):
            self._card_gone()
        else:  # e.g. a program other than trainer held the collection past the busy timeout
            self.notify(f"The answer could not be saved ({exc}); rate the card again.", severity="error")

    def _answer(self, card_id: int, value: int, duration: int) -> None:
        try:
            result = self.col.answer(card_id, Rating(value), duration_ms=duration)
        except CollectionBusyError:  # locked by another program since the check above: wait for it
            self._answer_later(card_id, value, duration, "program")
            return
        except TrainerError:  # suspended or removed meanwhile by another device or window
            self._card_gone()
            return
        self._answered(result, duration)

    def _card_gone(self) -> None:
        self.notify("That card was suspended or removed elsewhere; here is the next one.", severity="warning")
        self.load_next()

    def _answered(self, result: AnswerResult, duration: int) -> None:
        self.session.answers.append(result)
        self.session.durations.append(min(duration, 60_000))
        if result.leech:
            self.notify("Leech: the card was suspended and tagged 'leech'.", severity="warning")
        self.load_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("rate-"):
            self.action_rate(int(event.button.id.removeprefix("rate-")))

    def action_undo(self) -> None:
        """Take back the last answer, suspension, burial, flag or edit, and show that card."""
        from trainer.views import QueueCounts, StudyCard, UndoResult

        if self.answering:
            return  # the answer to take back is not written yet
        undone = self.col.undo()
        if undone is None:
            self.notify("Nothing to undo.")
            return
        if isinstance(undone, UndoResult):
            if self.session.answers and self.session.answers[-1].review_id:
                self.session.answers.pop()
                self.session.durations.pop()
            label = undone.rating.label
        else:
            label = undone.label
            if undone.action in ("add", "reposition"):  # the queue changed, not one card's state
                self.notify(f"Undid {label}.")
                self._requeue()
                return
            if not undone.card_ids:
                self.notify(f"Undid {label}; the card is gone.")
                self.load_next()
                return
        card = self.col.card(undone.card_id)
        if card.suspended or card.buried:  # an undone unsuspend: the card is not studied now
            self.notify(f"Undid {label}.")
            self.load_next()
            return
        nxt = self.col.next_card(self.deck)
        counts = nxt.counts if nxt is not None else self.study.counts if self.study else QueueCounts(0, 0, 0)
        self.show(StudyCard(card=card, preview=self.col.preview(card.id), counts=counts))
        self.notify(f"Undid {label}.")

    def _requeue(self) -> None:
        """After the queue changed under the shown card (a card added or taken out): keep the
        shown card when it is still there (and its counts fresh), else show the next one."""
        if self.study is None:
            self.load_next()
            return
        from trainer.errors import NotFoundError

        try:
            self.col.card(self.study.card.id)
        except NotFoundError:
            self.load_next()
            return
        nxt = self.col.next_card(self.deck)
        if nxt is not None:
            self.study = type(self.study)(card=self.study.card, preview=self.study.preview, counts=nxt.counts)
        self._show_counts()

    def action_edit(self) -> None:
        """Edit the current card (its memory state is kept)."""
        if self.study is None:
            return
        card = self.study.card

        def done(result: tuple[object, list[str]] | None) -> None:
            if result is None or self.study is None:
                return
            from trainer.core.cards import CardContent

            content, tags = result
            assert isinstance(content, CardContent)
            if content == card.content and tuple(tags) == card.tags:
                self.notify("No change to save.")
                return
            edited = self.col.edit_card(card.id, content, tags=tags)
            was_revealed = self.revealed
            self.show(type(self.study)(card=edited, preview=self.study.preview, counts=self.study.counts))
            if was_revealed:
                self.reveal()
            self.notify("Card saved.")

        self.app.push_screen(EditDialog(card), done)

    def action_add(self) -> None:
        """Add a card to the deck being studied (the shown card's deck when studying all)."""
        from trainer.tui.app import TrainerApp

        deck = self.deck or (self.study.card.deck_name if self.study else None)
        if isinstance(self.app, TrainerApp):
            self.app.add_card(deck, self._requeue)

    def action_open_media(self) -> None:
        """Open the card's images and sounds with the system's viewer or player."""
        from trainer.tui.media import open_media

        if self.study is None or not self.study.card.content.media:
            self.notify("This card has no image or sound.")
            return
        message = open_media(self.col.media_folder(), self.study.card.content.media)
        self.notify(message, markup=False)

    def action_info(self) -> None:
        """Card info: memory state, retrievability, history, source."""
        if self.study is not None:
            card = self.col.card(self.study.card.id)
            self.app.push_screen(
                InfoDialog(card, self.col.history(card.id), self.col.presets.of_deck(card.deck_name))
            )

    def action_suspend(self) -> None:
        """Suspend the current card and move on."""
        if self.study is not None:
            self.col.set_suspended([self.study.card.id], True)
            self.notify("Card suspended.")
            self.load_next()

    def action_bury(self) -> None:
        """Hide the current card until tomorrow and move on."""
        if self.study is not None:
            self.col.bury(self.study.card.id)
            self.notify("Card buried until tomorrow.")
            self.load_next()

    def action_flag(self) -> None:
        """Cycle the current card's flag through the seven colours and none."""
        if self.study is None:
            return
        card = self.study.card
        flag = (card.flag + 1) % len(FLAG_COLOURS)
        self.col.set_flag(card.id, flag)
        flagged = self.col.card(card.id)
        self.study = type(self.study)(card=flagged, preview=self.study.preview, counts=self.study.counts)
        context = flagged.deck_name + (
            f"  ·  set: {flagged.content.group_title}" if flagged.content.group_title else ""
        )
        self._update("#context", literal(context + f"  ·  flag: {FLAG_COLOURS[flag]}"))

    def action_scroll(self, lines: int) -> None:
        """Scroll a long card (arrows, PgUp/PgDn) without the mouse."""
        card = self.query_one("#card", VerticalScroll)
        card.scroll_relative(y=lines, animate=False)

    def action_finish(self) -> None:
        """End the session and show the summary."""
        answers = self.session.answers
        reviews = [a for a in answers if a.before.state == CardState.REVIEW]
        summary = SessionSummary(
            studied=len(answers),
            again=sum(1 for a in answers if a.rating == Rating.AGAIN),
            reviews=len(reviews),
            reviews_passed=sum(1 for a in reviews if a.rating != Rating.AGAIN),
            seconds=sum(self.session.durations) / 1000,
            next_due=self.col.next_due(self.deck),
            now=self.col.clock(),
            finished=self.study is None,
        )
        self.app.switch_screen(SummaryScreen(summary, self.deck))
