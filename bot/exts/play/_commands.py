"""``/quiz start`` and ``/quiz stop``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.exts._common.autocomplete import bank_autocomplete
from bot.exts._common.checks import guild_only, is_moderator, moderator_only
from bot.exts._common.replies import reply
from bot.exts.play._conductor import Conductor
from bot.exts.play._launch import announcement, plan_in, started_note
from bot.rounds.errors import NoRoundRunning

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)


def build_commands(conductor: Conductor) -> list[app_commands.Command[Any, ..., None]]:
    """Fresh ``start`` and ``stop`` commands bound to this bot's conductor."""

    @app_commands.command(name="start", description="Start a quiz round in this channel (moderators).")
    @app_commands.describe(
        bank="The question bank to play (default: all banks).",
        questions="How many questions (default: the server's setting).",
        seconds="Seconds to answer each question (default: the bank's or the server's setting).",
    )
    @app_commands.autocomplete(bank=bank_autocomplete)
    @guild_only()
    @moderator_only()
    async def start(
        interaction: discord.Interaction[QuizBot],
        bank: str | None = None,
        questions: app_commands.Range[int, 1, 50] | None = None,
        seconds: app_commands.Range[int, 5, 120] | None = None,
    ) -> None:
        """Start a round: questions appear here one by one; anyone can answer with the buttons."""
        # Acknowledge before touching the database: when many rounds start at once, even the first read queues
        # behind their writes (200 at once: up to 2.3 s before, 65 ms now, of Discord's 3 s). Privately, so that
        # an error the moderator can fix is shown to them alone; the announcement follows in public.
        await interaction.response.defer(ephemeral=True, thinking=True)
        channel = interaction.channel
        assert isinstance(channel, discord.abc.GuildChannel | discord.Thread)
        plan = await plan_in(
            interaction.client, channel, started_by=interaction.user.id, bank=bank, questions=questions, seconds=seconds
        )
        live = await interaction.client.rounds.start(plan)
        try:
            # Completing the private "thinking" message first makes the next follow-up a message of its own.
            await interaction.edit_original_response(content=started_note(live))
            await interaction.followup.send(
                announcement(interaction.client, live), allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException:
            log.warning("Could not announce round %s; playing it anyway", live.id, exc_info=True)
        conductor.launch(live, interaction)

    @app_commands.command(name="stop", description="Stop the round running in this channel.")
    @guild_only()
    async def stop(interaction: discord.Interaction[QuizBot]) -> None:
        """Stop this channel's round (moderators, or whoever started it)."""
        assert interaction.channel is not None
        live = interaction.client.rounds.in_channel(interaction.channel.id)
        if live is None:
            raise NoRoundRunning("no round is running in this channel")
        if interaction.user.id != live.started_by and not await is_moderator(interaction):
            await reply(interaction, "Only moderators, or whoever started the round, can stop it.")
            return
        await reply(interaction, "Stopping the round.")
        await conductor.stop(live, interaction.user.display_name)

    return [start, stop]
