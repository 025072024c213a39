"""``/quiz settings``: moderators choose how quizzes run in their server."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    "SettingsGroup",
]


async def setup(bot: QuizBot) -> None:
    """Add a fresh ``/quiz settings`` group to this bot."""
    bot.quiz_group.add_command(SettingsGroup())


async def teardown(bot: QuizBot) -> None:
    """Remove ``/quiz settings``."""
    bot.quiz_group.remove_command(GROUP_NAME)
