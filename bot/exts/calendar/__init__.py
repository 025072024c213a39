"""The server's calendar of quiz rounds: ``/quiz schedule`` and the dispatcher that claims their runs on time, once.

The Discord side of the schedules' time rules (``bot.schedules``); the play feature starts the rounds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from discord.ext import commands

from bot.exts._common import events
from bot.exts._common.feature import Feature
from bot.exts.calendar._dispatcher import Dispatcher
from bot.exts.calendar._group import GROUP_NAME, MAX_SCHEDULES, ScheduleGroup

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = ["GROUP_NAME", "MAX_SCHEDULES", "Calendar", "Dispatcher", "ScheduleGroup"]


class Calendar(Feature):
    """``/quiz schedule``; owns the dispatcher task, so unloading the extension cancels it."""

    def __init__(self, bot: QuizBot) -> None:
        self.dispatcher = Dispatcher(bot)
        self.group = ScheduleGroup(self.dispatcher)
        self._unsubscribe: Callable[[], None] = lambda: None
        super().__init__(bot, [self.group])

    async def feature_load(self) -> None:
        """Follow other processes' schedule changes; start dispatching now if connected (else ``on_ready`` does)."""
        self._unsubscribe = self.bot.hints.subscribe("schedules", self._hinted)
        if self.bot.is_ready():
            self.dispatcher.start()

    async def feature_unload(self) -> None:
        """Stop the dispatcher; nothing is lost, it all lives in the database."""
        self._unsubscribe()
        await self.dispatcher.stop()

    def _hinted(self, _argument: str | None) -> None:
        """Another process changed schedules (or the hints reconnected): re-read the next due time."""
        if self.dispatcher.task is not None or self.bot.is_ready():
            self.dispatcher.wake()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Start dispatching once the guilds and channels are known: catch-up runs need them."""
        self.dispatcher.start()

    @commands.Cog.listener()
    async def on_schedules_changed(self) -> None:
        """Another feature changed schedules (say the reminder setting): re-read the next due time."""
        self.dispatcher.reschedule()

    @commands.Cog.listener(f"on_{events.ROUND_STARTED}")
    async def on_scheduled_round_started(self, run: events.ScheduledRound) -> None:
        """A scheduled run's round started: a one-off schedule is done."""
        await self.dispatcher.started(run)

    @commands.Cog.listener(f"on_{events.ROUND_REFUSED}")
    async def on_scheduled_round_refused(self, run: events.ScheduledRound, error: Exception) -> None:
        """A scheduled run's round could not start: skip the run or pause the schedule, and say why."""
        await self.dispatcher.refused(run, error)


async def setup(bot: QuizBot) -> None:
    """Load the calendar feature."""
    await bot.add_cog(Calendar(bot))
