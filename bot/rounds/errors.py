"""Errors of the round service, which the Discord layer turns into replies."""

from __future__ import annotations

from bot.quiz import QuizError


class RoundAlreadyRunning(QuizError):
    """The channel already has a running round."""


class NoRoundRunning(QuizError):
    """The channel has no running round, or the round has ended."""


class UnknownBank(QuizError):
    """No loaded bank has this id."""

    def __init__(self, bank_id: str) -> None:
        super().__init__(f"no bank named {bank_id!r}")
        self.bank_id = bank_id
