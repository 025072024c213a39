"""Guild settings: read with defaults created on first use, and written back whole.

Each field of ``GuildSettings`` is the ``guilds`` column of the same name (tuples stored as JSON lists),
so a new setting is a field here and a column in ``bot/db/models.py``; nothing else lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DEFAULT_GRACE_MINUTES, DEFAULT_REMINDER_MINUTES, GuildRow
from bot.db.repos._sql import table, upsert

#: Fields stored under another column name.
COLUMN_OF = {"guild_id": "id"}
#: Fields a write never changes.
FIXED = frozenset({"guild_id", "created_at"})


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
    #: A question with this many open "wrong answer" reports from distinct players sits out rounds; 0 never.
    report_hold_back: int = 0

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
    return _settings_of(row)


async def update_guild_settings(session: AsyncSession, settings: GuildSettings) -> GuildSettings:
    """Store every setting of ``settings`` (``created_at`` is kept) and return what is stored."""
    await ensure_guild(session, settings.guild_id)
    guilds = table(GuildRow)
    await session.execute(update(guilds).where(guilds.c.id == settings.guild_id).values(_column_values(settings)))
    return await get_guild_settings(session, settings.guild_id)


def _settings_of(row: Row[Any]) -> GuildSettings:
    """A guilds row as settings: each field from its column, JSON lists as tuples."""
    values: dict[str, Any] = {}
    for field in fields(GuildSettings):
        value = getattr(row, COLUMN_OF.get(field.name, field.name))
        values[field.name] = tuple(value) if isinstance(value, list) else value
    return GuildSettings(**values)


def _column_values(settings: GuildSettings) -> dict[str, Any]:
    """The settings a write stores, by column: tuples as JSON lists; the row's id and creation time stay."""
    values: dict[str, Any] = {}
    for field in fields(settings):
        if field.name not in FIXED:
            value = getattr(settings, field.name)
            values[COLUMN_OF.get(field.name, field.name)] = list(value) if isinstance(value, tuple) else value
    return values
