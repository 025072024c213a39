"""``/quiz settings``: moderators choose how quizzes run in their server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts._common.feature import Feature
from bot.exts.settings._group import (
    GROUP_NAME,
    MAX_CHANNELS,
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_QUESTIONS,
    MIN_SECONDS,
    SettingsGroup,
)

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = [
    "GROUP_NAME",
    "MAX_CHANNELS",
    "MAX_QUESTIONS",
    "MAX_SECONDS",
    "MIN_QUESTIONS",
    "MIN_SECONDS",
    "ServerSettings",
    "SettingsGroup",
]


class ServerSettings(Feature):
    """``/quiz settings``: a fresh group per bot, since command objects belong to one tree."""

    def __init__(self, bot: QuizBot) -> None:
        super().__init__(bot, [SettingsGroup()])


async def setup(bot: QuizBot) -> None:
    """Load the settings feature."""
    await bot.add_cog(ServerSettings(bot))
