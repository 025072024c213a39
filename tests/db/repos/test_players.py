"""Players: the latest display name wins."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.repos import top

from ..helpers import GUILD, OTHER_GUILD, T0, play_question, store_names


async def test_display_name_is_updated(session: AsyncSession) -> None:
    """Upserting a player twice keeps the newer name, per guild."""
    await play_question(session, {1: 500})
    await store_names(session, GUILD, {1: "Old name"}, now=T0)
    await store_names(session, GUILD, {1: "New name"})
    await store_names(session, OTHER_GUILD, {1: "Elsewhere"})
    [row] = await top(session, GUILD)
    assert row.display_name == "New name"


async def test_unnamed_player_has_no_display_name(session: AsyncSession) -> None:
    """A player who never got a name still appears, with display_name None."""
    await play_question(session, {1: 500})
    [row] = await top(session, GUILD)
    assert (row.user_id, row.display_name) == (1, None)
