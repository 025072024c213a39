"""Builders shared by the engine tests: a hand-driven clock and small questions and banks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.quiz import Bank, PlayedQuestion, Question, Round, Source

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
SOURCE = Source(title="An article", author="A. Writer", url="https://example.org/article")


@dataclass
class FakeClock:
    """A clock that only moves when a test moves it."""

    now: datetime = field(default=T0)

    def advance(self, seconds: float) -> datetime:
        """Move forward by ``seconds`` and return the new time."""
        self.now += timedelta(seconds=seconds)
        return self.now


def make_question(qid: str = "q1", *, bank_id: str = "bank", choices: int = 4, answer: int = 0) -> Question:
    """A question whose choice texts name their original index (``c0``, ``c1``...)."""
    return Question(
        id=qid,
        bank_id=bank_id,
        prompt=f"Prompt of {qid}?",
        choices=tuple(f"c{i}" for i in range(choices)),
        answer=answer,
        explanation="Because the article says so.",
        passage="A passage from the article.",
        source=SOURCE,
    )


def make_bank(bank_id: str = "bank", size: int = 3) -> Bank:
    """A bank of ``size`` questions with ids ``q0``, ``q1``..."""
    questions = tuple(make_question(f"q{i}", bank_id=bank_id) for i in range(size))
    return Bank(id=bank_id, title=f"Bank {bank_id}", source=SOURCE, questions=questions)


def make_round(count: int = 3, *, seconds: float = 20, seed: int = 7, choices: int = 4) -> Round:
    """A round of ``count`` questions, shuffled with ``seed``."""
    played = [
        PlayedQuestion.shuffled(n, make_question(f"q{n}", choices=choices, answer=n % choices), seed)
        for n in range(1, count + 1)
    ]
    return Round(questions=played, seconds=seconds)


def right(rnd: Round) -> int:
    """The display position of the open question's correct choice."""
    assert rnd.current is not None
    return rnd.current.played.correct_position


def wrong(rnd: Round) -> int:
    """A display position of the open question that is not the correct choice."""
    assert rnd.current is not None
    return (right(rnd) + 1) % len(rnd.current.played.order)
