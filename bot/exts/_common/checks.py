"""Who may do what: moderators are members with Manage Server or the guild's moderator role."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands

from bot.db import repos

if TYPE_CHECKING:
    from bot.client import QuizBot

T = TypeVar("T")


class NotModerator(app_commands.CheckFailure):
    """The member is not a moderator of this guild."""

    def __init__(self, role_id: int | None) -> None:
        super().__init__("moderators only")
        self.role_id = role_id


class NotInGuild(app_commands.CheckFailure):
    """The command only works in a server channel."""


async def missing_role(
    interaction: discord.Interaction[QuizBot], role_of: Callable[[repos.GuildSettings], int | None]
) -> tuple[bool, int | None]:
    """Whether the user lacks both Manage Server and the guild role ``role_of`` picks, and that role's id."""
    if interaction.guild is None or not isinstance(interaction.user, discord.Member):
        raise NotInGuild("this only works in a server")
    if interaction.permissions.manage_guild:
        return False, None
    async with interaction.client.sessions.begin() as session:
        role_id = role_of(await repos.get_guild_settings(session, interaction.guild.id))
    holds = role_id is not None and any(role.id == role_id for role in interaction.user.roles)
    return not holds, role_id


async def require_moderator(interaction: discord.Interaction[QuizBot]) -> None:
    """Raise unless the user is a moderator; checked on the server for every command and button."""
    missing, role_id = await missing_role(interaction, lambda settings: settings.moderator_role_id)
    if missing:
        raise NotModerator(role_id)


async def is_moderator(interaction: discord.Interaction[QuizBot]) -> bool:
    """True for members with Manage Server or the configured moderator role."""
    try:
        await require_moderator(interaction)
    except app_commands.CheckFailure:
        return False
    return True


def moderator_only() -> Callable[[T], T]:
    """Decorator for slash commands that only moderators may use."""

    async def predicate(interaction: discord.Interaction[QuizBot]) -> bool:
        await require_moderator(interaction)
        return True

    return app_commands.check(predicate)


def guild_only() -> Callable[[T], T]:
    """Decorator for slash commands that need a server (not a DM)."""

    async def predicate(interaction: discord.Interaction[QuizBot]) -> bool:
        if interaction.guild is None:
            raise NotInGuild("this command only works in a server")
        return True

    return app_commands.check(predicate)
