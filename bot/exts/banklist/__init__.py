"""``/quiz banks``: every loaded question bank with its size, difficulty mix and source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts._common.feature import Feature
from bot.exts.banklist._commands import PER_PAGE, bank_field, banks_embed, build_commands, difficulty_mix

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = ["PER_PAGE", "BankList", "bank_field", "banks_embed", "build_commands", "difficulty_mix"]


class BankList(Feature):
    """``/quiz banks``."""

    def __init__(self, bot: QuizBot) -> None:
        super().__init__(bot, build_commands())


async def setup(bot: QuizBot) -> None:
    """Load the bank list feature."""
    await bot.add_cog(BankList(bot))
