"""``/quiz stats``: a player's points, rank, accuracy, streaks and strongest and weakest tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.stats._commands import COMMAND_NAMES, build_commands, no_stats_message, stats_embed
from bot.exts.stats._tags import MIN_ANSWERS, TagRecord, strongest_and_weakest, tag_records

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = [
    "MIN_ANSWERS",
    "TagRecord",
    "build_commands",
    "no_stats_message",
    "stats_embed",
    "strongest_and_weakest",
    "tag_records",
]


async def setup(bot: QuizBot) -> None:
    """Add ``/quiz stats`` to this bot."""
    for command in build_commands():
        bot.quiz_group.add_command(command)


async def teardown(bot: QuizBot) -> None:
    """Remove ``/quiz stats``."""
    for name in COMMAND_NAMES:
        bot.quiz_group.remove_command(name)
