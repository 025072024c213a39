"""The ``/quiz settings show`` embed: a guild's settings in words."""

from __future__ import annotations

import discord

from bot.db.repos import GuildSettings

EMBED_COLOUR = discord.Colour.blurple()


def describe_role(role_id: int | None, name: str, guild: discord.Guild) -> str:
    """Who holds a power granted by Manage Server or the guild's ``name`` role, for an embed field."""
    if role_id is None:
        return "Members with **Manage Server**"
    if guild.get_role(role_id) is None:
        # A deleted role still renders as a mention, but as "@deleted-role": say so plainly.
        return f"Members with **Manage Server** (the {name} role, id {role_id}, was deleted)"
    return f"Members with **Manage Server** or <@&{role_id}>"


def describe_channels(settings: GuildSettings, guild: discord.Guild) -> str:
    """Where rounds may run, for an embed field."""
    if not settings.allowed_channel_ids:
        return "Any channel"
    lines = []
    for channel_id in settings.allowed_channel_ids:
        suffix = "" if guild.get_channel(channel_id) is not None else " (deleted)"
        lines.append(f"<#{channel_id}>{suffix}")
    return "\n".join(lines)


def settings_embed(settings: GuildSettings, guild: discord.Guild) -> discord.Embed:
    """The embed ``/quiz settings show`` answers with."""
    embed = discord.Embed(title="Quiz settings", colour=EMBED_COLOUR)
    embed.add_field(name="Seconds per question", value=f"{settings.default_seconds} s")
    embed.add_field(name="Questions per round", value=str(settings.default_questions))
    embed.add_field(
        name="Reveals show who answered",
        value="Yes" if settings.show_answerers else "No",
    )
    embed.add_field(
        name="Moderators", value=describe_role(settings.moderator_role_id, "moderator", guild), inline=False
    )
    embed.add_field(name="Bank authors", value=describe_role(settings.author_role_id, "author", guild), inline=False)
    embed.add_field(name="Channels quizzes may run in", value=describe_channels(settings, guild), inline=False)
    embed.set_footer(text="Moderators change these with /quiz settings.")
    return embed
