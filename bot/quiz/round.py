"""A quiz round: questions opened one at a time, answers taken while open, points on close.

Time is passed in (``now``) rather than read, so the same calls replay a round exactly:
after a restart the adapter re-opens each question at its recorded time and re-submits
the recorded answers to rebuild the state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.quiz.errors import AlreadyAnswered, InvalidChoice, QuestionClosed, QuestionStillOpen, RoundOver
from bot.quiz.questions import Question
from bot.quiz.scoring import Scoring
from bot.quiz.shuffle import choice_order

LETTERS = "ABCDE"


@dataclass(frozen=True, slots=True)
class PlayedQuestion:
    """A question as shown in one round: its number and the shuffled order of its choices."""

    number: int
    question: Question
    order: tuple[int, ...]

    @classmethod
    def shuffled(cls, number: int, question: Question, seed: int) -> PlayedQuestion:
        """The question with its choices in the round's reproducible order."""
        return cls(number, question, choice_order(seed, question.key, len(question.choices)))

    @property
    def choices(self) -> tuple[str, ...]:
        """The choices in display order."""
        return tuple(self.question.choices[i] for i in self.order)

    @property
    def correct_position(self) -> int:
        """The display position of the correct choice."""
        return self.order.index(self.question.answer)


@dataclass(frozen=True, slots=True)
class Answer:
    """One player's answer to one question."""

    player_id: int
    position: int
    answered_at: datetime
    elapsed: timedelta
    correct: bool
    points: int
    streak: int

    @property
    def letter(self) -> str:
        """The letter of the chosen position."""
        return LETTERS[self.position]


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """The question currently taking answers."""

    played: PlayedQuestion
    opened_at: datetime
    deadline: datetime


@dataclass(frozen=True, slots=True)
class Reveal:
    """Everything the channel is shown when a question closes."""

    played: PlayedQuestion
    distribution: tuple[int, ...]
    answers: tuple[Answer, ...]
    total_questions: int
    #: Players of the round whose streak of right answers this question ended by going unanswered.
    broken_streaks: tuple[int, ...] = ()

    @property
    def question(self) -> Question:
        """The question being revealed."""
        return self.played.question

    @property
    def correct_answers(self) -> tuple[Answer, ...]:
        """The right answers, most points first."""
        right = (a for a in self.answers if a.correct)
        return tuple(sorted(right, key=lambda a: (-a.points, a.elapsed, a.player_id)))


@dataclass(slots=True)
class Tally:
    """A player's running totals within a round."""

    player_id: int
    points: int = 0
    correct: int = 0
    answered: int = 0
    streak: int = 0
    best_streak: int = 0
    time: timedelta = timedelta(0)


@dataclass(frozen=True, slots=True)
class Standing:
    """A player's place in a round's final standings; equal points share a rank."""

    rank: int
    player_id: int
    points: int
    correct: int
    answered: int
    best_streak: int


@dataclass(slots=True)
class Round:
    """The state of one round, driven by open_next, answer and close."""

    questions: Sequence[PlayedQuestion]
    seconds: float
    scoring: Scoring = field(default_factory=Scoring)
    index: int = -1
    current: OpenQuestion | None = None
    tallies: dict[int, Tally] = field(default_factory=dict)
    _answers: dict[int, Answer] = field(default_factory=dict)

    @property
    def limit(self) -> timedelta:
        """How long each question stays open."""
        return timedelta(seconds=self.seconds)

    @property
    def finished(self) -> bool:
        """True once the last question has been closed."""
        return self.current is None and self.index >= len(self.questions) - 1

    def open_next(self, now: datetime) -> OpenQuestion:
        """Open the next question at ``now``."""
        if self.current is not None:
            raise QuestionStillOpen("close the open question first")
        if self.index + 1 >= len(self.questions):
            raise RoundOver("the round has no more questions")
        self.index += 1
        self._answers = {}
        self.current = OpenQuestion(self.questions[self.index], now, now + self.limit)
        return self.current

    def answer(self, player_id: int, position: int, now: datetime) -> Answer:
        """Record ``player_id``'s choice at display ``position``; one answer per player."""
        current = self.current
        # The deadline itself still counts, so the slowest accepted answer earns exactly half.
        if current is None or now > current.deadline:
            raise QuestionClosed("the question is closed")
        if not 0 <= position < len(current.played.order):
            raise InvalidChoice(f"there is no choice {position}")
        if (previous := self._answers.get(player_id)) is not None:
            raise AlreadyAnswered(previous.position)
        tally = self.tallies.get(player_id) or Tally(player_id)
        correct = position == current.played.correct_position
        streak = tally.streak + 1 if correct else 0
        elapsed = max(now - current.opened_at, timedelta(0))
        points = self.scoring.points(correct=correct, elapsed=elapsed, limit=self.limit, streak=streak)
        answer = Answer(player_id, position, now, elapsed, correct, points, streak)
        self._answers[player_id] = answer
        return answer

    def withdraw(self, player_id: int) -> None:
        """Forget the player's answer to the open question (when storing it failed)."""
        self._answers.pop(player_id, None)

    def answer_of(self, player_id: int) -> Answer | None:
        """The player's answer to the open question, if any."""
        return self._answers.get(player_id)

    def close(self, now: datetime) -> Reveal:
        """Close the open question, update the totals and return its reveal."""
        current = self.current
        if current is None:
            raise QuestionClosed("no question is open")
        answers = tuple(sorted(self._answers.values(), key=lambda a: a.answered_at))
        distribution = [0] * len(current.played.order)
        for answer in answers:
            distribution[answer.position] += 1
            self._apply(answer)
        # Not answering breaks a streak as a wrong answer does.
        broken = tuple(t.player_id for t in self.tallies.values() if t.streak and t.player_id not in self._answers)
        for player_id in broken:
            self.tallies[player_id].streak = 0
        self.current = None
        return Reveal(current.played, tuple(distribution), answers, len(self.questions), broken)

    def _apply(self, answer: Answer) -> None:
        tally = self.tallies.setdefault(answer.player_id, Tally(answer.player_id))
        tally.answered += 1
        tally.points += answer.points
        tally.time += answer.elapsed
        tally.streak = answer.streak
        if answer.correct:
            tally.correct += 1
            tally.best_streak = max(tally.best_streak, answer.streak)

    def standings(self) -> list[Standing]:
        """Players by points; equal points share a rank, faster total time listed first."""
        ordered = sorted(self.tallies.values(), key=lambda t: (-t.points, t.time, t.player_id))
        result: list[Standing] = []
        for place, tally in enumerate(ordered, start=1):
            tied = result and result[-1].points == tally.points
            rank = result[-1].rank if tied else place
            result.append(
                Standing(rank, tally.player_id, tally.points, tally.correct, tally.answered, tally.best_streak)
            )
        return result
