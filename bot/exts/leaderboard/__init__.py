"""``/quiz leaderboard``: paged standings of the server, all time, this week or per bank."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bot.exts._common.feature import Feature
from bot.exts.leaderboard._board import PER_PAGE, Board, board_embed, rank_line, render_page, your_line
from bot.exts.leaderboard._commands import build_commands, choose_board

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

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
        self._preload: asyncio.Task[int] | None = None

    async def feature_load(self) -> None:
        """Load the big guilds' standings in the background, so the first leaderboard need not wait for it."""
        self._preload = asyncio.create_task(self.bot.ranks.preload(self.bot.sessions), name="rank-index-preload")
        self._preload.add_done_callback(_report)

    async def feature_unload(self) -> None:
        """Stop the preload if it is still running."""
        if self._preload is not None:
            self._preload.cancel()


def _report(task: asyncio.Task[int]) -> None:
    # A failed preload only means the first leaderboard of a big guild loads its standings itself.
    if not task.cancelled() and task.exception() is not None:
        log.warning("Preloading the rank index failed", exc_info=task.exception())


async def setup(bot: QuizBot) -> None:
    """Load the leaderboard feature."""
    await bot.add_cog(Leaderboard(bot))
