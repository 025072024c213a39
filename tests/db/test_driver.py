"""Reads on a kept asyncpg connection: compiled once, read again once on a new connection, never after a refusal."""

from __future__ import annotations

import functools

import asyncpg
import pytest
from sqlalchemy import Integer, TextClause, bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.driver import DriverReader, driver_reader
from bot.db.repos import ensure_guild
from bot.db.repos.players import player_names_query

from .helpers import GUILD


@functools.cache
def _ratio() -> TextClause:
    """10 divided by ``d`` (integer division): a read the server refuses for ``d`` = 0."""
    return text("SELECT 10 / :d").bindparams(bindparam("d", type_=Integer))


async def _backends(maker: async_sessionmaker[AsyncSession]) -> set[int]:
    query = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
    async with maker() as session:
        return {int(pid) for pid in (await session.execute(query)).scalars()}


def _postgres_reader(engine: AsyncEngine) -> DriverReader:
    reader = driver_reader(engine)
    if reader is None:
        pytest.skip("the driver reader is for PostgreSQL through asyncpg")
    return reader


async def test_only_asyncpg_engines_get_a_driver_reader(engine: AsyncEngine) -> None:
    """SQLite (and any other driver) reads through sessions."""
    reader = driver_reader(engine)
    assert (reader is not None) == (engine.dialect.driver == "asyncpg")
    if reader is not None:
        await reader.aclose()


async def test_the_reader_keeps_one_connection_and_reads_again_on_a_new_one_when_it_is_lost(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession]
) -> None:
    """Reads share one connection; killed under it, the next read still answers, on a new connection."""
    reader = _postgres_reader(engine)
    try:
        async with maker.begin() as session:
            await ensure_guild(session, GUILD)
            await session.execute(
                text("INSERT INTO players (guild_id, user_id, display_name, updated_at) VALUES (:g, 7, 'ann', now())"),
                {"g": GUILD},
            )
        idle = await _backends(maker)
        assert await reader.fetch(player_names_query(), {"guild_id": GUILD, "users": [7, 8]}) == [(7, "ann")]
        assert [tuple(row) for row in await reader.fetch(_ratio(), {"d": 5})] == [(2,)]
        (kept,) = await _backends(maker) - idle
        async with maker.begin() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": kept})
        assert [tuple(row) for row in await reader.fetch(_ratio(), {"d": 2})] == [(5,)]
        assert kept not in await _backends(maker)
    finally:
        await reader.aclose()
    await reader.aclose()  # a second close does nothing
    with pytest.raises(RuntimeError, match="closed"):
        await reader.fetch(_ratio(), {"d": 1})


async def test_a_read_the_server_refuses_is_raised_at_once_and_keeps_the_connection(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession]
) -> None:
    """A refusal is the caller's error, not a lost connection: no second try, and the connection stays."""
    reader = _postgres_reader(engine)
    try:
        await reader.fetch(_ratio(), {"d": 1})
        before = await _backends(maker)
        with pytest.raises(asyncpg.DivisionByZeroError):
            await reader.fetch(_ratio(), {"d": 0})
        assert await _backends(maker) == before
        assert [tuple(row) for row in await reader.fetch(_ratio(), {"d": 10})] == [(1,)]
    finally:
        await reader.aclose()
