"""Replies to interactions, and the command tree that answers every error a command raises."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.exts._common.errors import describe_error
from bot.exts._common.options import check_bounds

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

__all__ = ["NO_MENTIONS", "QuizTree", "describe_error", "reply"]

NO_MENTIONS = discord.AllowedMentions.none()
FAILED = "Something went wrong on our side; it has been logged."


async def reply(
    interaction: discord.Interaction[QuizBot],
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    ephemeral: bool = True,
) -> None:
    """Answer an interaction, as a follow-up if it was already acknowledged; never pings anyone."""
    embeds = [] if embed is None else [embed]
    if interaction.response.is_done():
        await interaction.followup.send(content or "", embeds=embeds, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(
            content, embeds=embeds, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
        )


class QuizTree(app_commands.CommandTree["QuizBot"]):
    """The command tree: errors with words (``bot/exts/_common/errors.py``) are answered, the rest are bugs."""

    async def interaction_check(self, interaction: discord.Interaction[QuizBot]) -> bool:
        """Check every integer option against its declared bounds again: Discord's client is not the only sender."""
        if interaction.type is discord.InteractionType.application_command and interaction.data is not None:
            try:
                command, options = self._get_app_command_options(interaction.data)  # type: ignore[arg-type]  # a command's
            except app_commands.CommandNotFound:
                return True  # the tree answers that itself
            if isinstance(command, app_commands.Command):
                check_bounds(command.parameters, options)
        return True

    async def on_error(self, interaction: discord.Interaction[QuizBot], error: app_commands.AppCommandError) -> None:
        """Reply with what went wrong, in words the user can act on; log only what has no words."""
        command = interaction.command and interaction.command.qualified_name
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        message = describe_error(original)
        if message is None:
            log.error("Command %r failed", command, exc_info=original)
            message = FAILED
        else:
            # An answered error is the user's to fix, not a failure of ours: no traceback.
            log.debug("Command %r answered %s", command, type(original).__name__)
        try:
            await reply(interaction, message)
        except discord.HTTPException:
            log.warning("Could not tell the user about an error", exc_info=True)
