"""Players: the display name shown on leaderboards."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Select, any_, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.batches import Write
from bot.db.models import PlayerRow
from bot.db.repos._sql import table
from bot.db.types import utcnow

# The longest display name the players table keeps (Discord allows 32; anything longer is cut, not refused).
NAME_LENGTH: int = PlayerRow.__table__.c.display_name.type.length  # type: ignore[attr-defined]
# What no database column can keep: NUL (PostgreSQL refuses it in text) and lone surrogates (not valid UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_name(name: str) -> str:
    """A display name every database can store: without NUL or lone surrogates, cut to the column's length."""
    return _UNSTORABLE.sub("", name)[:NAME_LENGTH]


def names_write(dialect: str, guild_id: int, names: Mapping[int, str], *, now: datetime | None = None) -> Write:
    """The bulk upsert of the names several players go by, for a write runner."""
    now = now or utcnow()
    rows = [
        {"guild_id": guild_id, "user_id": u, "display_name": storable_name(n), "updated_at": now}
        for u, n in names.items()
    ]
    return Write(_upsert_names(dialect), rows)


@functools.cache
def _upsert_names(dialect: str) -> Any:
    """The bulk name upsert, built once per dialect: it runs with batches of clicks."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table(PlayerRow))
    return statement.on_conflict_do_update(
        index_elements=["guild_id", "user_id"],
        set_={"display_name": statement.excluded.display_name, "updated_at": statement.excluded.updated_at},
    )


async def player_names(session: AsyncSession, guild_id: int, user_ids: Collection[int]) -> dict[int, str]:
    """The stored display names of these players (those never named are left out)."""
    if not user_ids:
        return {}
    players = table(PlayerRow)
    query = select(players.c.user_id, players.c.display_name).where(
        players.c.guild_id == guild_id, players.c.user_id.in_(list(user_ids))
    )
    return {row.user_id: row.display_name for row in (await session.execute(query)).all()}


@functools.cache
def player_names_query() -> Select[Any]:
    """The stored names of the players in the array ``users`` (PostgreSQL), built once for the driver's plans."""
    players = table(PlayerRow)
    return select(players.c.user_id, players.c.display_name).where(
        players.c.guild_id == bindparam("guild_id", type_=BigInteger),
        players.c.user_id == any_(bindparam("users", type_=postgresql.ARRAY(BigInteger))),
    )
