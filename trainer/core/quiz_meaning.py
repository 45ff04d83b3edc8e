"""Which answers are right for a quiz question besides its own (so never offered as wrong).

A multiple-choice distractor is another card's answer. It must not be an answer that is
right for the question asked: the deck's own knowledge says which are, nothing is guessed.

- **Aliases.** A typed card's accepted answers name one thing (`answers = ["Wallerian
  degeneration", "anterograde degeneration"]`): wherever one of them is right, so are the
  others. Aliases are gathered from every card the quiz draws from.
- **The same question.** Cards whose prompts are equal after normalisation (the same card in
  two decks, a typed and a basic card asking the same thing) share their right answers.
- **Compare sets.** The same item and facet in another set ("X: Recovery?") have the same
  right values; for "which has Facet: value?" every item whose value of that facet is the
  same (in this set or another) is right.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from trainer.core.cards import CardContent

MeaningKey = tuple[str, str, str]


class Source(Protocol):
    """What this module reads of a quiz source (`trainer.core.quiz.QuizSource`)."""

    @property
    def card_id(self) -> int: ...

    @property
    def content(self) -> CardContent: ...


def compare_parts(content: CardContent) -> tuple[str, str, str] | None:
    """A compare-set card's direction and parts: ("what", item, facet) or ("which", facet,
    value), from its generated question (`trainer.core.compare`); None for other cards."""
    title = content.group_title
    if not title or not content.front.startswith(title + " - ") or not content.front.endswith("?"):
        return None
    rest = content.front[len(title) + 3 : -1]
    if rest.startswith("which has ") and ": " in rest:
        facet, value = rest.removeprefix("which has ").split(": ", 1)
        return ("which", facet, value)
    if ": " in rest:
        item, facet = rest.rsplit(": ", 1)
        return ("what", item, facet)
    return None


class RightAnswers:
    """The normalised answers that are right for each source's question (see the module)."""

    def __init__(
        self,
        sources: Sequence[Source],
        *,
        normalise: Callable[[str], str],
        prompt: Callable[[CardContent], str],
        answers: Callable[[CardContent], Iterable[str]],
    ) -> None:
        """`normalise` compares texts, `prompt` is a card's question, `answers` its accepted answers."""
        self._normalise = normalise
        self._prompt = prompt
        self._answers = answers
        self._by_key: dict[MeaningKey, set[str]] = defaultdict(set)
        self._alias: dict[str, str] = {}  # union-find parent of each alias
        for source in sources:
            own = self._own(source.content)
            for key in self._keys(source.content):
                self._by_key[key].update(own)
            parts = compare_parts(source.content)
            if parts is not None and parts[0] == "what":  # item X has value V: X answers "which has F: V?"
                _, item, facet = parts
                for value in own:
                    self._by_key[("which", normalise(facet), value)].add(normalise(item))
            if source.content.answers and len(own) > 1:
                first, *rest = sorted(own)
                for other in rest:
                    self._union(first, other)

    def _own(self, content: CardContent) -> set[str]:
        return {key for key in map(self._normalise, self._answers(content)) if key}

    def _keys(self, content: CardContent) -> list[MeaningKey]:
        keys: list[MeaningKey] = []
        prompt = self._normalise(self._prompt(content))
        if prompt:
            keys.append(("prompt", prompt, ""))
        parts = compare_parts(content)
        if parts is not None:
            kind, first, second = parts
            keys.append((kind, self._normalise(first), self._normalise(second)))
        return keys

    def _root(self, key: str) -> str:
        while self._alias.get(key, key) != key:
            key = self._alias[key]
        return key

    def _union(self, a: str, b: str) -> None:
        root_a, root_b = self._root(a), self._root(b)
        if root_a != root_b:
            self._alias[max(root_a, root_b)] = min(root_a, root_b)
            self._alias.setdefault(min(root_a, root_b), min(root_a, root_b))

    def of(self, source: Source) -> frozenset[str]:
        """Every normalised answer that is right for `source`'s question."""
        right = self._own(source.content)
        for key in self._keys(source.content):
            right |= self._by_key.get(key, set())
        if self._alias:
            roots = {self._root(answer) for answer in right if answer in self._alias}
            right |= {alias for alias in self._alias if self._root(alias) in roots}
        return frozenset(right)
