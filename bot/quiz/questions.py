"""Questions and banks as plain, immutable data: what the engine plays."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field


class Difficulty(enum.StrEnum):
    """How hard a question is meant to be."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


@dataclass(frozen=True, slots=True)
class Source:
    """The article a bank's questions are written about."""

    title: str
    author: str
    url: str | None = None
    licence: str | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """One multiple-choice question, with the passage that answers it."""

    id: str
    bank_id: str
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    passage: str
    source: Source
    paragraph: int | None = None
    difficulty: Difficulty = Difficulty.MEDIUM
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.answer < len(self.choices):
            raise ValueError(f"answer index {self.answer} is outside the {len(self.choices)} choices")

    @property
    def key(self) -> str:
        """The id that is unique across banks: ``bank/question``."""
        return f"{self.bank_id}/{self.id}"

    @property
    def correct_choice(self) -> str:
        """The text of the correct choice."""
        return self.choices[self.answer]


@dataclass(frozen=True, slots=True)
class Bank:
    """A validated question bank."""

    id: str
    title: str
    source: Source
    questions: tuple[Question, ...]
    description: str = ""
    authors: tuple[str, ...] = ()
    language: str = "en"
    seconds: int | None = None
    points: int | None = None
    #: Groups of questions that give each other away; a round deals at most one question of each group.
    related: tuple[tuple[str, ...], ...] = ()
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)
    _group_of: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {q.id: q for q in self.questions}
        # A duplicate id would make question() ambiguous and put one question twice in a deck.
        if len(by_id) != len(self.questions):
            duplicates = sorted(qid for qid, n in Counter(q.id for q in self.questions).items() if n > 1)
            raise ValueError(f"bank {self.id!r} repeats question ids {duplicates}")
        strays = sorted(q.key for q in self.questions if q.bank_id != self.id)
        if strays:
            raise ValueError(f"bank {self.id!r} holds questions of another bank: {strays}")
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_group_of", self._groups(by_id))

    def _groups(self, by_id: dict[str, Question]) -> dict[str, str]:
        group_of: dict[str, str] = {}
        for number, group in enumerate(self.related):
            for question_id in group:
                if question_id not in by_id:
                    raise ValueError(f"bank {self.id!r}: related group {number} names no question {question_id!r}")
                if question_id in group_of:
                    raise ValueError(f"bank {self.id!r}: question {question_id!r} is in two related groups")
                group_of[question_id] = f"related-{number}"
        return group_of

    def question(self, question_id: str) -> Question:
        """The question with this id; raises KeyError if the bank has none."""
        return self._by_id[question_id]

    @property
    def question_ids(self) -> tuple[str, ...]:
        """The ids of the bank's questions, in file order."""
        return tuple(q.id for q in self.questions)

    @property
    def round_capacity(self) -> int:
        """The most questions one round can deal from this bank: one of each group of related questions."""
        return len(self.questions) - sum(len(group) - 1 for group in self.related)

    @property
    def groups(self) -> dict[str, str]:
        """The group of each question that has related ones (question id to group key), for the deck."""
        return dict(self._group_of)
