"""The one shape of a feature: a cog whose slash commands join the shared ``/quiz`` group while it is loaded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from bot.client import QuizBot

QuizCommand: TypeAlias = "app_commands.Command[Any, ..., Any] | app_commands.Group"


class Feature(commands.Cog):
    """A feature of the bot. Subclasses build their commands in ``__init__`` and pass them to ``super().__init__``.

    Every extension package's ``setup`` is ``await bot.add_cog(TheFeature(bot))``: loading adds the commands
    under ``/quiz``, unloading removes them, so reloading an extension never leaves a stale command behind.
    """

    def __init__(self, bot: QuizBot, quiz_commands: Sequence[QuizCommand] = ()) -> None:
        self.bot = bot
        self._quiz_commands = tuple(quiz_commands)

    def quiz_commands(self) -> Sequence[QuizCommand]:
        """The commands and subgroups this feature adds under ``/quiz``: the objects built once in ``__init__``."""
        return self._quiz_commands

    async def cog_load(self) -> None:
        """Add this feature's commands to ``/quiz``, then start whatever it runs (``feature_load``)."""
        for command in self.quiz_commands():
            self.bot.quiz_group.add_command(command)
        await self.feature_load()

    async def cog_unload(self) -> None:
        """Stop what the feature runs (``feature_unload``), then remove its commands from ``/quiz``."""
        await self.feature_unload()
        for command in self.quiz_commands():
            self.bot.quiz_group.remove_command(command.name)

    async def feature_load(self) -> None:
        """Start background work (tasks, restored rounds) after the commands are registered."""

    async def feature_unload(self) -> None:
        """Stop background work before the commands are removed."""
