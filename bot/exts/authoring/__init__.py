"""``/quiz bank``: authors upload question banks to their server, with versions and analytics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts._common.feature import Feature
from bot.exts.authoring._commands import GROUP_NAME, BankGroup

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = ["GROUP_NAME", "Authoring", "BankGroup"]


class Authoring(Feature):
    """``/quiz bank``: the Discord face of the bank service (``bot.banks``)."""

    def __init__(self, bot: QuizBot) -> None:
        self.group = BankGroup()
        super().__init__(bot, [self.group])

    async def feature_unload(self) -> None:
        """Close the attachment downloads' HTTP session."""
        await self.group.reader.close()


async def setup(bot: QuizBot) -> None:
    """Load the bank authoring feature."""
    await bot.add_cog(Authoring(bot))
