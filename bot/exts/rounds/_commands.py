"""``/quiz start`` and ``/quiz stop``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.db import repos
from bot.exts._common.autocomplete import bank_autocomplete
from bot.exts._common.checks import guild_only, is_moderator, moderator_only
from bot.exts._common.replies import reply
from bot.exts.rounds._conductor import Conductor
from bot.rounds.errors import NoRoundRunning

if TYPE_CHECKING:
    from bot.client import QuizBot

# What the bot needs in a channel to run a round there, with the names Discord's settings use.
NEEDED_PERMISSIONS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
}


def missing_permissions(channel: discord.abc.GuildChannel | discord.Thread, me: discord.Member) -> list[str]:
    """The permissions the bot lacks in a channel to run a round there."""
    granted = channel.permissions_for(me)
    return [label for name, label in NEEDED_PERMISSIONS.items() if not getattr(granted, name)]


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
        bot = interaction.client
        guild, channel = interaction.guild, interaction.channel
        assert guild is not None and channel is not None
        async with bot.sessions.begin() as session:
            settings = await repos.get_guild_settings(session, guild.id)
        if not settings.allows_channel(channel.id):
            allowed = ", ".join(f"<#{channel_id}>" for channel_id in settings.allowed_channel_ids)
            await reply(interaction, f"Quiz rounds can only run in {allowed}.")
            return
        if isinstance(channel, discord.abc.GuildChannel | discord.Thread):
            missing = missing_permissions(channel, guild.me)
            if missing:
                names = ", ".join(f"**{name}**" for name in missing)
                await reply(interaction, f"I can't run a round here: I need {names} in this channel.")
                return
        banks = [bot.library.get(bank)] if bank else list(bot.library)
        if not banks:
            await reply(interaction, "No question banks are loaded.")
            return
        count = questions or settings.default_questions
        per_question = seconds or (banks[0].seconds if bank and banks[0].seconds else settings.default_seconds)
        live = await bot.rounds.start(
            guild_id=guild.id,
            channel_id=channel.id,
            started_by=interaction.user.id,
            bank_ids=[b.id for b in banks],
            count=count,
            seconds=per_question,
        )
        source = banks[0].title if len(banks) == 1 else f"{len(banks)} banks"
        await reply(
            interaction,
            f"🎯 **Quiz time!** {live.total} questions from *{discord.utils.escape_markdown(source)}*, "
            f"{per_question} s each. Click a button to answer; faster right answers score more.",
            ephemeral=False,
        )
        conductor.launch(live)

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
