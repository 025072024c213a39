"""Quiz rounds in channels: ``/quiz start``, ``/quiz stop``, the answer buttons and the round tasks."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.exts.rounds._button import handle_click
from bot.exts.rounds._commands import build_commands
from bot.exts.rounds._conductor import Conductor, with_retry
from bot.exts.rounds._launch import announcement, plan_round, store_round
from bot.rounds.service import LiveRound

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)


class Rounds(commands.Cog):
    """Holds the round tasks of this process; its slash commands live in the shared /quiz group."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.conductor = Conductor(bot, pause=bot.settings.reveal_pause_seconds)
        self.commands = build_commands(self.conductor)

    async def cog_load(self) -> None:
        """Register the commands and buttons, and resume the rounds the store says are running."""
        for command in self.commands:
            self.bot.quiz_group.add_command(command)
        for live in await self.bot.rounds.restore():
            log.info("Resuming round %s in channel %s", live.id, live.channel_id)
            self.conductor.launch(live)

    async def start_in(
        self,
        channel: discord.abc.GuildChannel | discord.Thread,
        *,
        started_by: int,
        bank: str | None = None,
        questions: int | None = None,
        seconds: int | None = None,
    ) -> LiveRound:
        """Start a round without a slash command (scheduled rounds): announce it in the channel and play it."""
        plan = await plan_round(
            self.bot, channel, started_by=started_by, bank=bank, questions=questions, seconds=seconds
        )
        live = await store_round(self.bot, plan)
        messageable = self.bot.get_partial_messageable(channel.id, guild_id=channel.guild.id)
        await with_retry(lambda: messageable.send(announcement(self.bot, live)))
        self.conductor.launch(live)
        return live

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Answer clicks, from messages old or new."""
        await handle_click(interaction)

    async def cog_unload(self) -> None:
        """Stop the round tasks (the rounds resume on the next start) and unregister everything."""
        await self.conductor.cancel_all()
        for command in self.commands:
            self.bot.quiz_group.remove_command(command.name)


async def setup(bot: QuizBot) -> None:
    """Load the rounds feature."""
    await bot.add_cog(Rounds(bot))
