"""Players: the display name shown on leaderboards."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import select
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


async def upsert_players(
    session: AsyncSession, guild_id: int, names: Mapping[int, str], *, now: datetime | None = None
) -> None:
    """Record the names several players go by, in one statement."""
    if not names:
        return
    players = table(PlayerRow)
    now = now or utcnow()
    statement = upsert(session, players)
    statement = statement.on_conflict_do_update(
        index_elements=["guild_id", "user_id"],
        set_={"display_name": statement.excluded.display_name, "updated_at": statement.excluded.updated_at},
    )
    rows = [{"guild_id": guild_id, "user_id": u, "display_name": n, "updated_at": now} for u, n in names.items()]
    await session.execute(statement, rows)


async def player_names(session: AsyncSession, guild_id: int, user_ids: Collection[int]) -> dict[int, str]:
    """The stored display names of these players (those never named are left out)."""
    if not user_ids:
        return {}
    players = table(PlayerRow)
    query = select(players.c.user_id, players.c.display_name).where(
        players.c.guild_id == guild_id, players.c.user_id.in_(list(user_ids))
    )
    return {row.user_id: row.display_name for row in (await session.execute(query)).all()}
