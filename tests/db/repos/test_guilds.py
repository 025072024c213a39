"""Guild settings: defaults on first read, updates stored whole."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DEFAULT_QUESTIONS, DEFAULT_SECONDS, GuildRow
from bot.db.repos import GuildSettings, get_guild_settings, update_guild_settings
from bot.db.repos.guilds import COLUMN_OF, FIXED

from ..helpers import GUILD, OTHER_GUILD


async def test_first_read_creates_defaults(session: AsyncSession) -> None:
    """A guild never seen before gets the default settings, stored once."""
    first = await get_guild_settings(session, GUILD)
    again = await get_guild_settings(session, GUILD)
    assert first == again
    assert (first.timezone, first.default_seconds, first.default_questions) == (
        "UTC",
        DEFAULT_SECONDS,
        DEFAULT_QUESTIONS,
    )
    assert first.moderator_role_id is None
    assert first.allowed_channel_ids == ()
    assert first.show_answerers is True


async def test_update_is_stored(session: AsyncSession) -> None:
    """Every changed setting is read back, and other guilds are untouched."""
    settings = await get_guild_settings(session, GUILD)
    changed = dataclasses.replace(
        settings,
        timezone="Asia/Tbilisi",
        default_seconds=30,
        default_questions=5,
        moderator_role_id=2**62,
        allowed_channel_ids=(2**60, 2**61),
        show_answerers=False,
    )
    assert await update_guild_settings(session, changed) == changed
    await session.commit()
    assert await get_guild_settings(session, GUILD) == changed
    other = await get_guild_settings(session, OTHER_GUILD)
    assert other.timezone == "UTC"


@pytest.mark.parametrize(
    ("allowed", "channel", "expected"),
    [((), 5, True), ((5, 6), 5, True), ((6,), 5, False)],
)
async def test_allows_channel(session: AsyncSession, allowed: tuple[int, ...], channel: int, expected: bool) -> None:
    """An empty channel list allows every channel; otherwise only the listed ones."""
    settings = dataclasses.replace(await get_guild_settings(session, GUILD), allowed_channel_ids=allowed)
    stored = await update_guild_settings(session, settings)
    assert stored.allows_channel(channel) is expected


def test_every_setting_is_a_guilds_column() -> None:
    """Each GuildSettings field is a column of ``guilds``, so reads and writes need no list of their own."""
    columns = set(GuildRow.__table__.c.keys())
    assert {COLUMN_OF.get(field.name, field.name) for field in dataclasses.fields(GuildSettings)} <= columns


async def test_every_setting_is_stored_and_the_row_identity_kept(session: AsyncSession) -> None:
    """Every setting a write may change is read back; the guild id and creation time are never rewritten."""
    settings = await get_guild_settings(session, GUILD)
    changed = dataclasses.replace(
        settings,
        timezone="Europe/Berlin",
        default_seconds=7,
        default_questions=3,
        moderator_role_id=11,
        allowed_channel_ids=(12,),
        show_answerers=False,
        author_role_id=2**62 + 1,
        reminder_minutes=0,
        grace_minutes=1440,
        report_hold_back=3,
    )
    names = {field.name for field in dataclasses.fields(GuildSettings)}
    # The case changes every setting a write may change, so a new one cannot be missed here.
    assert names - FIXED == {name for name in names if getattr(changed, name) != getattr(settings, name)}
    assert await update_guild_settings(session, changed) == changed
    moved = dataclasses.replace(changed, created_at=settings.created_at + timedelta(days=1), default_seconds=8)
    stored = await update_guild_settings(session, moved)
    await session.commit()
    assert stored == dataclasses.replace(changed, default_seconds=8)
    assert await get_guild_settings(session, GUILD) == stored
