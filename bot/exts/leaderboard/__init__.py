"""``/quiz leaderboard``: paged standings of the server, all time, this week or per bank."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts._common.feature import Feature
from bot.exts.leaderboard._board import PER_PAGE, Board, board_embed, rank_line, render_page, your_line
from bot.exts.leaderboard._commands import build_commands, choose_board

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = [
    "PER_PAGE",
    "Board",
    "Leaderboard",
    "board_embed",
    "build_commands",
    "choose_board",
    "rank_line",
    "render_page",
    "your_line",
]


class Leaderboard(Feature):
    """``/quiz leaderboard``."""

    def __init__(self, bot: QuizBot) -> None:
        super().__init__(bot, build_commands())


async def setup(bot: QuizBot) -> None:
    """Load the leaderboard feature."""
    await bot.add_cog(Leaderboard(bot))
