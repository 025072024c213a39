"""Replies to interactions, and the words for every error a user can run into."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.banks.errors import (
    ArticleNotText,
    BankDisabled,
    BankRefused,
    FileTooBig,
    NoSuchVersion,
    QuizFileUnreadable,
    ShippedIdTaken,
    ShippedNotDeletable,
    ShippedNotUploaded,
    UnknownBank,
    UnsupportedFile,
    UploadRaced,
)
from bot.exts._common.checks import NotInGuild, NotModerator
from bot.exts._common.text import inline_code
from bot.quiz import LETTERS, AlreadyAnswered, NotEnoughQuestions, QuestionClosed, QuizError
from bot.rounds.errors import (
    ChannelNotAllowed,
    MissingPermissions,
    NoBanks,
    NoRoundRunning,
    RoundAlreadyRunning,
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
        case NoBanks():
            return "No question banks are loaded."
        case NoRoundRunning():
            return "There is no round running in this channel."
        case UnknownBank(bank_id=bank_id):
            return f"There is no bank called `{discord.utils.escape_markdown(bank_id)}`. `/quiz banks` lists them."
        case BankRefused():
            return describe_bank_error(error)
        case NotEnoughQuestions(available=available):
            return f"There are only {available} questions to choose from."
        case QuizError():
            return str(error)
        case app_commands.CommandOnCooldown(retry_after=retry_after):
            return f"Slow down: try again in {retry_after:.0f} s."
        case app_commands.CheckFailure():
            return "You can't use that here."
    return None


# --- The bank service's refusals (bot/banks/errors.py), worded for /quiz bank. Owned by the banks area. ---

#: The files ``/quiz bank upload`` accepts, as its refusal lists them.
ACCEPTED_UPLOADS = "a `.yaml` bank, or a `.gift`, `.txt` (Aiken), `.json` (Open Trivia DB) or `.xml` (Moodle XML) quiz"
_FILE_KINDS = {"bank": "a bank file", "article": "an article"}


def _bank_disabled(error: BankDisabled) -> str:
    return (
        f"The bank {inline_code(error.bank_id)} is switched off in this server. An author can turn it back on "
        "with `/quiz bank enable`."
    )


def _unsupported_file(error: UnsupportedFile) -> str:
    return f"{inline_code(error.filename)} is not a file I can read: upload {ACCEPTED_UPLOADS}."


def _file_too_big(error: FileTooBig) -> str:
    what = _FILE_KINDS.get(error.kind, "a file")
    return (
        f"{inline_code(error.filename)} is {error.size:,} bytes; {what} may be at most {error.limit:,} bytes. "
        "Nothing was stored."
    )


def _article_not_text(error: ArticleNotText) -> str:
    return (
        f"The article {inline_code(error.filename)} is not UTF-8 text (byte 0x{error.byte} at offset "
        f"{error.offset:,}). Save it as UTF-8 and upload it again. Nothing was stored."
    )


def _quiz_file_unreadable(error: QuizFileUnreadable) -> str:
    return f"{inline_code(error.filename)} could not be imported: {error.reason}. Nothing was stored."


def _shipped_id_taken(error: ShippedIdTaken) -> str:
    return (
        f"{inline_code(error.bank_id)} is the id of a bank that ships with the bot. Give your bank another `id`. "
        "Nothing was stored."
    )


def _shipped_not_uploaded(error: ShippedNotUploaded) -> str:
    return f"{inline_code(error.bank_id)} ships with the bot, so it has no upload history here."


def _shipped_not_deletable(error: ShippedNotDeletable) -> str:
    return (
        f"{inline_code(error.bank_id)} ships with the bot and cannot be deleted; "
        "`/quiz bank disable` takes it out of play here."
    )


def _no_such_version(error: NoSuchVersion) -> str:
    return f"{inline_code(error.bank_id)} has no version {error.version}: `/quiz bank history` lists them."


def _upload_raced(error: UploadRaced) -> str:
    return (
        f"Another version of {inline_code(error.bank_id)} was stored at the same moment. "
        "Check `/quiz bank history` and upload again if needed."
    )


#: Each refusal of the bank service and its words (UnknownBank is worded above, with the rounds' errors).
BANK_ERROR_WORDS: tuple[tuple[type[Any], Callable[[Any], str]], ...] = (
    (BankDisabled, _bank_disabled),
    (UnsupportedFile, _unsupported_file),
    (FileTooBig, _file_too_big),
    (ArticleNotText, _article_not_text),
    (QuizFileUnreadable, _quiz_file_unreadable),
    (ShippedIdTaken, _shipped_id_taken),
    (ShippedNotUploaded, _shipped_not_uploaded),
    (ShippedNotDeletable, _shipped_not_deletable),
    (NoSuchVersion, _no_such_version),
    (UploadRaced, _upload_raced),
)


def describe_bank_error(error: BankRefused) -> str:
    """The reply for a refusal of the bank service."""
    for error_type, words in BANK_ERROR_WORDS:
        if isinstance(error, error_type):
            return words(error)
    return str(error)


# --- End of the bank service's refusals. ---


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
