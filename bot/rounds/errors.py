"""Errors of the round service, which the Discord layer turns into replies."""

from __future__ import annotations

from bot.quiz import QuizError


class RoundAlreadyRunning(QuizError):
    """The channel already has a running round."""


class NoRoundRunning(QuizError):
    """The channel has no running round, or the round has ended."""


class ChannelNotAllowed(QuizError):
    """The guild only allows rounds in other channels."""

    def __init__(self, allowed_channel_ids: tuple[int, ...]) -> None:
        super().__init__("rounds are not allowed in this channel")
        self.allowed_channel_ids = allowed_channel_ids


class MissingPermissions(QuizError):
    """The bot lacks permissions it needs in the channel (named as Discord's settings name them)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"missing permissions: {', '.join(names)}")
        self.names = names


class NoBanks(QuizError):
    """No question bank is loaded."""


class AllBanksDisabled(NoBanks):
    """Every bank the guild could play is switched off there."""


class RuleOutOfRange(QuizError):
    """A round was asked for with a count or a time outside what a round allows."""

    def __init__(self, name: str, low: int, high: int) -> None:
        super().__init__(f"{name} must be between {low} and {high}")
        self.name, self.low, self.high = name, low, high


class ChannelGone(QuizError):
    """The round's channel was deleted, or the bot can no longer see it."""
