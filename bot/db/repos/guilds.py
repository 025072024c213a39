"""Guild settings: read with defaults created on first use, and written back whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DEFAULT_GRACE_MINUTES, DEFAULT_REMINDER_MINUTES, GuildRow
from bot.db.repos._sql import table, upsert


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """A guild's settings; change them with ``dataclasses.replace`` and ``update_guild_settings``."""

    guild_id: int
    timezone: str
    default_seconds: int
    default_questions: int
    moderator_role_id: int | None
    allowed_channel_ids: tuple[int, ...]
    show_answerers: bool
    created_at: datetime
    #: Members with this role may upload and manage question banks, as may those with Manage Server.
    author_role_id: int | None = None
    #: Minutes before a scheduled round that its reminder goes out; 0 sends none.
    reminder_minutes: int = DEFAULT_REMINDER_MINUTES
    #: A scheduled run missed while the bot was offline still starts if it is at most this many minutes late.
    grace_minutes: int = DEFAULT_GRACE_MINUTES

    def allows_channel(self, channel_id: int) -> bool:
        """True if rounds may run in ``channel_id`` (an empty list allows every channel)."""
        return not self.allowed_channel_ids or channel_id in self.allowed_channel_ids


async def ensure_guild(session: AsyncSession, guild_id: int) -> None:
    """Create the guild's row with default settings unless it exists; safe under concurrency."""
    guilds = table(GuildRow)
    await session.execute(upsert(session, guilds).values(id=guild_id).on_conflict_do_nothing(index_elements=["id"]))


async def get_guild_settings(session: AsyncSession, guild_id: int) -> GuildSettings:
    """The guild's settings, creating the default ones on first use."""
    guilds = table(GuildRow)
    query = select(guilds).where(guilds.c.id == guild_id)
    row = (await session.execute(query)).one_or_none()
    if row is None:
        # Read first and write only when missing: on SQLite any write takes the database lock.
        await ensure_guild(session, guild_id)
        row = (await session.execute(query)).one()
    return GuildSettings(
        guild_id=row.id,
        timezone=row.timezone,
        default_seconds=row.default_seconds,
        default_questions=row.default_questions,
        moderator_role_id=row.moderator_role_id,
        allowed_channel_ids=tuple(row.allowed_channel_ids),
        show_answerers=row.show_answerers,
        created_at=row.created_at,
        author_role_id=row.author_role_id,
        reminder_minutes=row.reminder_minutes,
        grace_minutes=row.grace_minutes,
    )


async def update_guild_settings(session: AsyncSession, settings: GuildSettings) -> GuildSettings:
    """Store every setting of ``settings`` (``created_at`` is kept) and return what is stored."""
    await ensure_guild(session, settings.guild_id)
    guilds = table(GuildRow)
    await session.execute(
        update(guilds)
        .where(guilds.c.id == settings.guild_id)
        .values(
            timezone=settings.timezone,
            default_seconds=settings.default_seconds,
            default_questions=settings.default_questions,
            moderator_role_id=settings.moderator_role_id,
            allowed_channel_ids=list(settings.allowed_channel_ids),
            show_answerers=settings.show_answerers,
            author_role_id=settings.author_role_id,
            reminder_minutes=settings.reminder_minutes,
            grace_minutes=settings.grace_minutes,
        )
    )
    return await get_guild_settings(session, settings.guild_id)
