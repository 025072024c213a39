"""``/quiz stats``: a player's points, rank, accuracy, streaks and strongest and weakest tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts._common.feature import Feature
from bot.exts.stats._commands import build_commands, no_stats_message, stats_embed
from bot.exts.stats._tags import MIN_ANSWERS, TagRecord, strongest_and_weakest, tag_records

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = [
    "MIN_ANSWERS",
    "Stats",
    "TagRecord",
    "build_commands",
    "no_stats_message",
    "stats_embed",
    "strongest_and_weakest",
    "tag_records",
]


class Stats(Feature):
    """``/quiz stats``."""

    def __init__(self, bot: QuizBot) -> None:
        super().__init__(bot, build_commands())


async def setup(bot: QuizBot) -> None:
    """Load the player stats feature."""
    await bot.add_cog(Stats(bot))
