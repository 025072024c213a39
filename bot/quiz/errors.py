"""Domain errors the engine raises; the Discord layer turns them into replies."""

from __future__ import annotations


class QuizError(Exception):
    """Base class of every error the quiz engine raises."""


class QuestionClosed(QuizError):
    """The question is no longer accepting answers."""


class AlreadyAnswered(QuizError):
    """The player has already answered this question."""

    def __init__(self, position: int) -> None:
        super().__init__(f"already answered choice {position}")
        self.position = position


class InvalidChoice(QuizError):
    """The choice is not one of the question's choices."""


class QuestionStillOpen(QuizError):
    """A question is open; close it before opening the next."""


class RoundOver(QuizError):
    """The round has no more questions."""


class NotEnoughQuestions(QuizError):
    """The banks hold fewer questions than the round asks for."""

    def __init__(self, wanted: int, available: int) -> None:
        super().__init__(f"asked for {wanted} questions but only {available} are available")
        self.wanted = wanted
        self.available = available
