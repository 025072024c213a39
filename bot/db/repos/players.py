"""Players: the display name shown on leaderboards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import PlayerRow
from bot.db.repos._sql import table, upsert
from bot.db.types import utcnow


async def upsert_player(
    session: AsyncSession, guild_id: int, user_id: int, display_name: str, *, now: datetime | None = None
) -> None:
    """Record the name ``user_id`` currently goes by in the guild."""
    players = table(PlayerRow)
    now = now or utcnow()
    statement = upsert(session, players).values(
        guild_id=guild_id, user_id=user_id, display_name=display_name, updated_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["guild_id", "user_id"],
        set_={"display_name": statement.excluded.display_name, "updated_at": statement.excluded.updated_at},
    )
    await session.execute(statement)
