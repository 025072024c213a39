"""Replies to interactions, and the words for every error a user can run into."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.exts._common.checks import NotInGuild, NotModerator
from bot.quiz import LETTERS, AlreadyAnswered, NotEnoughQuestions, QuestionClosed, QuizError
from bot.rounds.errors import (
    AllBanksDisabled,
    ChannelGone,
    ChannelNotAllowed,
    MissingPermissions,
    NoBanks,
    NoRoundRunning,
    RoundAlreadyRunning,
    UnknownBank,
)

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()


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


def describe_error(error: Exception) -> str | None:
    """The message a user sees for an error they can do something about; None for bugs."""
    match error:
        case NotModerator(role_id=None):
            return "Only moderators can do that: you need the **Manage Server** permission."
        case NotModerator(role_id=role_id):
            return f"Only moderators can do that: you need **Manage Server** or the <@&{role_id}> role."
        case NotInGuild():
            return "That only works in a server channel."
        case AlreadyAnswered(position=position):
            return f"You already answered: **{LETTERS[position]}**. One answer per question."
        case QuestionClosed():
            return "This question is closed."
        case RoundAlreadyRunning():
            return "A round is already running in this channel. A moderator can end it with `/quiz stop`."
        case ChannelNotAllowed(allowed_channel_ids=allowed):
            return "Quiz rounds can only run in " + ", ".join(f"<#{channel_id}>" for channel_id in allowed) + "."
        case MissingPermissions(names=names):
            listed = ", ".join(f"**{name}**" for name in names)
            return f"I can't run a round here: I need {listed} in this channel."
        case AllBanksDisabled():
            return (
                "Every question bank is switched off in this server. "
                "An author can turn one back on with `/quiz bank enable`."
            )
        case NoBanks():
            return "No question banks are loaded."
        case NoRoundRunning():
            return "There is no round running in this channel."
        case UnknownBank(bank_id=bank_id):
            return f"There is no bank called `{discord.utils.escape_markdown(bank_id)}`. `/quiz banks` lists them."
        case NotEnoughQuestions(available=available):
            return f"There are only {available} questions to choose from."
        case QuizError():
            return str(error)
        case app_commands.CommandOnCooldown(retry_after=retry_after):
            return f"Slow down: try again in {retry_after:.0f} s."
        case app_commands.CheckFailure():
            return "You can't use that here."
    return None


# Scheduled runs (the play and calendar features): why a run could not start, as the notice of its
# paused schedule words it ("... is paused: {reason}."), naming the schedule's channel.
def schedule_pause_reason(error: Exception, channel_id: int) -> str | None:
    """The reason a scheduled run could not start, for its pause notice; None for a bug (see the log)."""
    match error:
        case ChannelGone():
            return "its channel was deleted, or I can no longer see it"
        case MissingPermissions(names=names):
            return f"I need {', '.join(f'**{name}**' for name in names)} in <#{channel_id}>"
        case ChannelNotAllowed():
            return f"<#{channel_id}> is no longer one of the quiz channels"
        case UnknownBank(bank_id=bank_id):
            return f"the bank `{discord.utils.escape_markdown(bank_id)}` is no longer loaded"
        case AllBanksDisabled():
            return "every question bank is switched off in this server (`/quiz bank enable` switches one on)"
        case NoBanks():
            return "no question banks are loaded"
        case QuizError():
            return f"the round could not start ({error})"
        case discord.Forbidden():
            return f"I'm not allowed to post in <#{channel_id}>"
        case discord.NotFound():
            return "its channel was deleted"
    return None


class QuizTree(app_commands.CommandTree["QuizBot"]):
    """The command tree, turning domain errors into ephemeral replies and logging the rest."""

    async def on_error(self, interaction: discord.Interaction[QuizBot], error: app_commands.AppCommandError) -> None:
        """Reply with what went wrong, in words the user can act on."""
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        message = describe_error(original)
        if message is None:
            log.error(
                "Command %r failed", interaction.command and interaction.command.qualified_name, exc_info=original
            )
            message = "Something went wrong on our side; it has been logged."
        try:
            await reply(interaction, message)
        except discord.HTTPException:
            log.warning("Could not tell the user about an error", exc_info=True)
