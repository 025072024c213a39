"""Playing a quiz in a channel: ``/quiz start``, ``/quiz stop``, the answer buttons, and the rounds schedules start.

The Discord side of the round service (``bot.rounds``): it asks the service for plans, rounds and answers, and
turns what comes back into messages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.exts._common import events
from bot.exts._common.feature import Feature
from bot.exts.play._button import handle_click, skip_answer_messages
from bot.exts.play._commands import build_commands
from bot.exts.play._conductor import Conductor
from bot.exts.play._scheduled import post_reminder, start_scheduled

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)


class Play(Feature):
    """``/quiz start`` and ``/quiz stop``; holds the round tasks of this process and starts scheduled runs."""

    def __init__(self, bot: QuizBot) -> None:
        self.conductor = Conductor(bot, pause=bot.settings.reveal_pause_seconds)
        super().__init__(bot, build_commands(self.conductor))
        self._unskip: Callable[[], None] | None = None

    async def feature_load(self) -> None:
        """Resume the rounds the store says are running in this process's guilds (another process resumes its own)."""
        for live in await self.bot.rounds.restore(self.bot.ownership):
            log.info("Resuming round %s in channel %s", live.id, live.channel_id)
            self.conductor.launch(live)
        self._unskip = skip_answer_messages(self.bot._connection.parsers)

    async def feature_unload(self) -> None:
        """Stop the round tasks; the rounds stay in the store and resume on the next start."""
        if self._unskip is not None:
            self._unskip()
            self._unskip = None
        await self.conductor.cancel_all()

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Answer clicks, from messages old or new."""
        await handle_click(interaction)

    @commands.Cog.listener(f"on_{events.ROUND_DUE}")
    async def on_scheduled_round_due(self, run: events.ScheduledRound) -> None:
        """Start a scheduled run's round, and tell the scheduler whether it started."""
        try:
            await start_scheduled(self.bot, self.conductor, run)
        except Exception as error:  # every refusal, expected or not, is the schedule's to record
            self.bot.dispatch(events.ROUND_REFUSED, run, error)
        else:
            self.bot.dispatch(events.ROUND_STARTED, run)

    @commands.Cog.listener(f"on_{events.REMINDER_DUE}")
    async def on_scheduled_reminder_due(self, reminder: events.ScheduledReminder) -> None:
        """Post a scheduled run's reminder in its channel."""
        await post_reminder(self.bot, reminder)


async def setup(bot: QuizBot) -> None:
    """Load the play feature."""
    await bot.add_cog(Play(bot))
