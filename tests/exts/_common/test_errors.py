"""The error-to-text table and the tree's handler: answered errors are words, everything else a logged bug."""

from __future__ import annotations

import logging

import pytest
import simcord
from discord import app_commands

from bot.banks.errors import UnknownBank
from bot.db import repos
from bot.exts._common.authors import NotAuthor
from bot.exts._common.checks import NotInGuild, NotModerator
from bot.exts._common.errors import ERRORS, ErrorTable, describe_error
from bot.exts._common.replies import FAILED
from bot.quiz import AlreadyAnswered, NotEnoughQuestions, QuestionClosed, QuizError
from bot.rounds.errors import (
    ChannelNotAllowed,
    MissingPermissions,
    NoBanks,
    NoRoundRunning,
    RoundAlreadyRunning,
)
from tests.exts.conftest import World


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (NotModerator(None), "Only moderators can do that: you need the **Manage Server** permission."),
        (NotModerator(7), "Only moderators can do that: you need **Manage Server** or the <@&7> role."),
        (NotInGuild("dm"), "That only works in a server channel."),
        (NotAuthor(None), "Only bank authors can do that: you need the **Manage Server** permission."),
        (NotAuthor(7), "Only bank authors can do that: you need **Manage Server** or the <@&7> role."),
        (AlreadyAnswered(1), "You already answered: **B**. One answer per question."),
        (QuestionClosed(), "This question is closed."),
        (NotEnoughQuestions(10, 3), "There are only 3 questions to choose from."),
        (
            RoundAlreadyRunning(),
            "A round is already running in this channel. A moderator can end it with `/quiz stop`.",
        ),
        (ChannelNotAllowed((1, 2)), "Quiz rounds can only run in <#1>, <#2>."),
        (
            MissingPermissions(["Send Messages", "Embed Links"]),
            "I can't run a round here: I need **Send Messages**, **Embed Links** in this channel.",
        ),
        (NoBanks(), "No question banks are loaded."),
        (NoRoundRunning(), "There is no round running in this channel."),
        (UnknownBank("a_b"), "There is no bank called `a\\_b`. `/quiz banks` lists them."),
        (QuizError("the round is over"), "the round is over"),
        (app_commands.CheckFailure(), "You can't use that here."),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else "",
)
def test_every_worded_error_reads_as_before(error: Exception, words: str) -> None:
    """Each error a user can meet gets the reply it always had."""
    assert describe_error(error) == words


def test_a_bug_has_no_words() -> None:
    """An error nobody worded (a bug, not the user's doing) gets None, so the tree logs it."""
    assert describe_error(RuntimeError("boom")) is None
    assert describe_error(KeyError("x")) is None


def test_a_wrapped_error_is_worded_by_what_the_command_raised() -> None:
    """discord.py's CommandInvokeError is unwrapped: the words are the original error's."""
    command = app_commands.Command(name="x", description="x", callback=_noop)
    assert describe_error(app_commands.CommandInvokeError(command, NoBanks())) == "No question banks are loaded."
    assert describe_error(app_commands.CommandInvokeError(command, RuntimeError())) is None


async def _noop(interaction: object) -> None:
    """A command callback for building a CommandInvokeError."""


def test_the_nearest_worded_class_wins() -> None:
    """A subclass takes its nearest worded ancestor's words, whatever order the table was filled in."""

    class Base(Exception):
        pass

    class Middle(Base):
        pass

    class Leaf(Middle):
        pass

    table = ErrorTable()
    table.add(Base, "base")
    assert table.describe(Leaf()) == "base"
    table.add(Middle, lambda error: f"middle {type(error).__name__}")
    assert table.describe(Leaf()) == "middle Leaf"
    assert table.describe(Base()) == "base"
    assert table.describe(ValueError()) is None


def test_a_type_is_worded_once() -> None:
    """Wording a type twice is refused, so two features cannot silently overwrite each other's words."""
    with pytest.raises(ValueError, match="NoBanks already has words"):
        ERRORS.add(NoBanks, "again")
    assert describe_error(NoBanks()) == "No question banks are loaded."


async def test_an_answered_error_is_not_logged_as_a_failure(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """/quiz stop with no round is answered in words, privately, with nothing logged at WARNING or above."""
    caplog.set_level(logging.DEBUG)
    result = await world.mod.slash(world.channel, "quiz stop")
    assert result.ephemeral
    assert result.response.content == "There is no round running in this channel."
    simcord.assert_error(world.env, NoRoundRunning)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert not any(r.exc_info for r in caplog.records)


async def test_an_unexpected_error_is_apologised_for_and_logged_once(
    world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command that fails on our side gets a private "something went wrong", and one ERROR with the traceback."""

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the store is on fire")

    monkeypatch.setattr(repos, "player_stats", broken)
    result = await world.alice.slash(world.channel, "quiz stats")
    assert result.ephemeral
    assert result.response.content == FAILED
    assert FAILED.startswith("Something went wrong")
    simcord.assert_error(world.env, RuntimeError)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None and isinstance(errors[0].exc_info[1], RuntimeError)
    assert "quiz stats" in errors[0].getMessage()
