"""``/quiz banks``: every loaded question bank with its size, difficulty mix and source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.banklist._commands import COMMAND_NAMES, PER_PAGE, bank_field, banks_embed, build_commands, difficulty_mix

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = ["PER_PAGE", "bank_field", "banks_embed", "build_commands", "difficulty_mix"]


async def setup(bot: QuizBot) -> None:
    """Add ``/quiz banks`` to this bot."""
    for command in build_commands():
        bot.quiz_group.add_command(command)


async def teardown(bot: QuizBot) -> None:
    """Remove ``/quiz banks``."""
    for name in COMMAND_NAMES:
        bot.quiz_group.remove_command(name)
