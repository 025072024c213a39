"""Scheduled rounds: ``/quiz schedule`` and the dispatcher that starts them on time, exactly once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from bot.exts.schedule._dispatcher import Dispatcher
from bot.exts.schedule._group import GROUP_NAME, MAX_SCHEDULES, ScheduleGroup

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = ["GROUP_NAME", "MAX_SCHEDULES", "Dispatcher", "ScheduleGroup", "Schedules"]


class Schedules(commands.Cog):
    """Owns the dispatcher task, so unloading the extension cancels it."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.dispatcher = Dispatcher(bot)
        self.group = ScheduleGroup(self.dispatcher)

    async def cog_load(self) -> None:
        """Add ``/quiz schedule``; start dispatching now if the bot is already connected."""
        self.bot.quiz_group.add_command(self.group)
        if self.bot.is_ready():
            self.dispatcher.start()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Start dispatching once the guilds and channels are known: catch-up runs need them."""
        self.dispatcher.start()

    @commands.Cog.listener()
    async def on_schedules_changed(self) -> None:
        """Another feature changed schedules (say the reminder setting): re-read the next due time."""
        self.dispatcher.reschedule()

    async def cog_unload(self) -> None:
        """Stop the dispatcher and remove ``/quiz schedule``; nothing is lost, it all lives in the database."""
        await self.dispatcher.stop()
        self.bot.quiz_group.remove_command(GROUP_NAME)


async def setup(bot: QuizBot) -> None:
    """Load the scheduling feature."""
    await bot.add_cog(Schedules(bot))
