"""``/quiz leaderboard``: paged standings of the server, all time, this week or per bank."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.leaderboard._board import PER_PAGE, Board, board_embed, rank_line, render_page, your_line
from bot.exts.leaderboard._commands import COMMAND_NAMES, build_commands, choose_board

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = [
    "PER_PAGE",
    "Board",
    "board_embed",
    "build_commands",
    "choose_board",
    "rank_line",
    "render_page",
    "your_line",
]


async def setup(bot: QuizBot) -> None:
    """Add ``/quiz leaderboard`` to this bot."""
    for command in build_commands():
        bot.quiz_group.add_command(command)


async def teardown(bot: QuizBot) -> None:
    """Remove ``/quiz leaderboard``."""
    for name in COMMAND_NAMES:
        bot.quiz_group.remove_command(name)
