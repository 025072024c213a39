"""Small SQL helpers shared by the repositories."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, Integer, Table, literal, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.dml import UpdateBase

from bot.db.models import Base
from bot.shards import Shards


def table(model: type[Base]) -> Table:
    """The Core table of a model, for statements that bypass the ORM's identity map."""
    return cast(Table, model.__table__)


def on_shards(guild_id: ColumnElement[int], shards: Shards) -> ColumnElement[bool]:
    """Rows of the guilds on ``shards``: Discord's ``(guild_id >> 22) % shard_count``, evaluated by the database."""
    if shards.owns_all or shards.count is None:
        return true()
    # PostgreSQL has ``bigint >> integer`` only, so the shift is typed as an integer.
    return (guild_id.op(">>")(literal(22, Integer)) % shards.count).in_(shards.ids)


def dialect_name(executor: AsyncSession | AsyncConnection) -> str:
    """The SQL dialect behind a session or a connection."""
    if isinstance(executor, AsyncSession):
        return executor.get_bind().dialect.name
    return executor.dialect.name


def upsert(session: AsyncSession, target: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that supports ``ON CONFLICT``, in the dialect of the session's database."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(target)
    if dialect == "sqlite":
        return sqlite.insert(target)
    raise NotImplementedError(f"upserts are written for SQLite and PostgreSQL, not {dialect}")


async def rowcount(session: AsyncSession, statement: UpdateBase, params: Any = None) -> int:
    """Execute an INSERT/UPDATE/DELETE and return how many rows it touched."""
    result = await session.execute(statement, params)
    return cast(CursorResult[Any], result).rowcount
