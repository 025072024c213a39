"""The words for every error a user can run into: one table, keyed by the error's type.

An error takes the words of the nearest class in its MRO that has some: a subclass shares its parent's
words until it is given its own, a class with two worded bases takes its first base's, and ``QuizError``
(worded by its own message) catches every domain error nobody worded. An error without words is a bug:
the tree logs it and apologises.

Where words go: every ``ERRORS.add`` is in this module, an error of a layer below the Discord one
(``bot.quiz``, ``bot.rounds``, ``bot.banks``, ``bot.schedules``, ``bot.reports``) in that layer's section, so a layer's
errors and their words are read together and an extension reload never words a type twice. An error
a feature declares itself is a ``QuizError`` whose message is its reply, and needs no line here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.banks.errors import (
    ArticleNotText,
    AttachmentUnavailable,
    BankDisabled,
    CheckCrashed,
    CheckTookTooLong,
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
from bot.exts._common.authors import NotAuthor
from bot.exts._common.checks import NotInGuild, NotModerator
from bot.exts._common.options import OptionOutOfRange
from bot.exts._common.text import inline_code
from bot.quiz import LETTERS, AlreadyAnswered, NotEnoughQuestions, QuestionClosed, QuizError
from bot.reports.errors import NoOpenReports, ReportRateLimited, UnknownReason
from bot.rounds.errors import (
    AllBanksDisabled,
    ChannelGone,
    ChannelNotAllowed,
    MissingPermissions,
    NoBanks,
    NoRoundRunning,
    RoundAlreadyRunning,
    RuleOutOfRange,
)

E = TypeVar("E", bound=BaseException)


class ErrorTable:
    """Error types and the text a user sees for each; every type is worded once."""

    def __init__(self) -> None:
        self._words: dict[type[BaseException], Callable[[Any], str]] = {}

    def add(self, error_type: type[E], words: str | Callable[[E], str]) -> None:
        """Word ``error_type`` and its subclasses: a fixed text, or a function of the error."""
        if error_type in self._words:
            raise ValueError(f"{error_type.__qualname__} already has words")
        self._words[error_type] = words if callable(words) else lambda _error: words

    def describe(self, error: BaseException) -> str | None:
        """The words of the nearest worded class of ``error``; None if it has none."""
        for cls in type(error).__mro__:
            words = self._words.get(cls)
            if words is not None:
                return words(error)
        return None


ERRORS = ErrorTable()


def describe_error(error: BaseException) -> str | None:
    """The message a user sees for an error they can do something about; None for bugs."""
    if isinstance(error, app_commands.CommandInvokeError):
        # discord.py wraps what a command raised; the words belong to what it raised.
        error = error.original
    return ERRORS.describe(error)


def _not_moderator(error: NotModerator) -> str:
    if error.role_id is None:
        return "Only moderators can do that: you need the **Manage Server** permission."
    return f"Only moderators can do that: you need **Manage Server** or the <@&{error.role_id}> role."


def _channel_not_allowed(error: ChannelNotAllowed) -> str:
    return "Quiz rounds can only run in " + ", ".join(f"<#{c}>" for c in error.allowed_channel_ids) + "."


def _missing_permissions(error: MissingPermissions) -> str:
    listed = ", ".join(f"**{name}**" for name in error.names)
    return f"I can't run a round here: I need {listed} in this channel."


def _unknown_bank(error: UnknownBank) -> str:
    return f"There is no bank called `{discord.utils.escape_markdown(error.bank_id)}`. `/quiz banks` lists them."


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


def _attachment_unavailable(error: AttachmentUnavailable) -> str:
    return (
        f"{inline_code(error.filename)} could not be downloaded from Discord. Nothing was stored: "
        "attach the file again and retry."
    )


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


# Who may do what (bot/exts/_common/checks.py).
ERRORS.add(NotModerator, _not_moderator)
ERRORS.add(NotInGuild, "That only works in a server channel.")
# Both a CheckFailure and a QuizError: the first in its MRO, CheckFailure, would say too little.
ERRORS.add(NotAuthor, str)

# The engine (bot/quiz); any other QuizError is worded by its own message.
ERRORS.add(AlreadyAnswered, lambda e: f"You already answered: **{LETTERS[e.position]}**. One answer per question.")
ERRORS.add(QuestionClosed, "This question is closed.")
ERRORS.add(NotEnoughQuestions, lambda e: f"There are only {e.available} questions to choose from.")
ERRORS.add(QuizError, str)

# Rounds (bot/rounds/errors.py).
ERRORS.add(RoundAlreadyRunning, "A round is already running in this channel. A moderator can end it with `/quiz stop`.")
ERRORS.add(ChannelNotAllowed, _channel_not_allowed)
ERRORS.add(MissingPermissions, _missing_permissions)
ERRORS.add(
    AllBanksDisabled,
    "Every question bank is switched off in this server. An author can turn one back on with `/quiz bank enable`.",
)
ERRORS.add(NoBanks, "No question banks are loaded.")
ERRORS.add(NoRoundRunning, "There is no round running in this channel.")
ERRORS.add(RuleOutOfRange, lambda e: f"`{e.name}` must be between {e.low} and {e.high}.")

# Banks (bot/banks/errors.py).
ERRORS.add(UnknownBank, _unknown_bank)
ERRORS.add(BankDisabled, _bank_disabled)
ERRORS.add(UnsupportedFile, _unsupported_file)
ERRORS.add(FileTooBig, _file_too_big)
ERRORS.add(ArticleNotText, _article_not_text)
ERRORS.add(QuizFileUnreadable, _quiz_file_unreadable)
ERRORS.add(ShippedIdTaken, _shipped_id_taken)
ERRORS.add(ShippedNotUploaded, _shipped_not_uploaded)
ERRORS.add(ShippedNotDeletable, _shipped_not_deletable)
ERRORS.add(NoSuchVersion, _no_such_version)
ERRORS.add(UploadRaced, _upload_raced)
ERRORS.add(
    CheckTookTooLong,
    lambda e: (
        f"Checking that took longer than {e.budget:g} seconds, so it was stopped. Nothing was changed. "
        "Check big banks with `quizbot check` first."
    ),
)
ERRORS.add(
    CheckCrashed, "That could not be checked: an unexpected error, logged for the bot's operators. Nothing was changed."
)
ERRORS.add(AttachmentUnavailable, _attachment_unavailable)

# Schedules (bot/schedules).

# Reports (bot/reports/errors.py).
ERRORS.add(
    ReportRateLimited,
    lambda e: f"That's a lot of reports at once: you can report again {discord.utils.format_dt(e.retry_at, 'R')}.",
)
ERRORS.add(
    NoOpenReports,
    lambda e: f"{inline_code(e.question_id)} of {inline_code(e.bank_id)} has no open reports left.",
)
ERRORS.add(UnknownReason, "Pick one of the reasons in the list.")

# discord.py's own: a cooldown, and any check without words of its own.
ERRORS.add(OptionOutOfRange, lambda e: f"`{e.name}` must be between {e.low} and {e.high}.")
ERRORS.add(app_commands.CommandOnCooldown, lambda e: f"Slow down: try again in {e.retry_after:.0f} s.")
ERRORS.add(app_commands.CheckFailure, "You can't use that here.")


# Scheduled runs (the play and calendar features): why a run could not start, as the notice of its
# paused schedule words it ("... is paused: {reason}."), naming the schedule's channel.
def schedule_pause_reason(error: BaseException, channel_id: int) -> str | None:
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
