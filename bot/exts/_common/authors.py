"""Who may change a server's question banks: members with Manage Server or the server's author role."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands

from bot.exts._common.checks import missing_role
from bot.quiz import QuizError

if TYPE_CHECKING:
    from bot.client import QuizBot

T = TypeVar("T")


class NotAuthor(app_commands.CheckFailure, QuizError):
    """The member may not manage this server's question banks.

    A ``QuizError`` too, so the tree's error handler shows this message rather than a generic refusal.
    """

    def __init__(self, role_id: int | None) -> None:
        if role_id is None:
            message = "Only bank authors can do that: you need the **Manage Server** permission."
        else:
            message = f"Only bank authors can do that: you need **Manage Server** or the <@&{role_id}> role."
        super().__init__(message)
        self.role_id = role_id


async def require_author(interaction: discord.Interaction[QuizBot]) -> None:
    """Raise unless the user has Manage Server or the guild's author role."""
    missing, role_id = await missing_role(interaction, lambda settings: settings.author_role_id)
    if missing:
        raise NotAuthor(role_id)


def author_only() -> Callable[[T], T]:
    """Decorator for slash commands only bank authors may use."""

    async def predicate(interaction: discord.Interaction[QuizBot]) -> bool:
        await require_author(interaction)
        return True

    return app_commands.check(predicate)
