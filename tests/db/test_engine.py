"""The engine factory: SQLite connections are configured, directories created, sessions keep objects."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db import create_engine, create_sessionmaker
from bot.db.engine import SQLITE_BUSY_TIMEOUT_MS
from bot.db.migrate import upgrade_database
from bot.db.models import GuildRow

from .helpers import GUILD


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [
        ("foreign_keys", 1),
        ("journal_mode", "wal"),
        ("synchronous", 1),  # NORMAL
        ("busy_timeout", SQLITE_BUSY_TIMEOUT_MS),
    ],
)
async def test_sqlite_connections_are_configured(tmp_path: Path, pragma: str, expected: object) -> None:
    """Every pooled SQLite connection has foreign keys, WAL, NORMAL sync and a busy timeout."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'quiz.sqlite3'}")
    try:
        async with engine.connect() as connection:
            value = (await connection.execute(text(f"PRAGMA {pragma}"))).scalar_one()
    finally:
        await engine.dispose()
    assert value == expected


async def test_a_sqlite_write_waits_out_another_writer_holding_the_lock_for_six_seconds(tmp_path: Path) -> None:
    """A write queued behind a 6 s write transaction (a burst of the bot's own writers) succeeds instead of failing."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'quiz.sqlite3'}"
    await upgrade_database(url)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        connection = sqlite3.connect(tmp_path / "quiz.sqlite3", isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            locked.set()
            release.wait(6)
            connection.execute("COMMIT")
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    engine = create_engine(url)
    try:
        assert await asyncio.to_thread(locked.wait, 10)
        async with engine.begin() as connection:
            await connection.execute(GuildRow.__table__.insert().values(id=GUILD))
        assert not holder.is_alive()  # it waited for the other writer's commit
    finally:
        release.set()
        holder.join()
        await engine.dispose()


async def test_sqlite_parent_directory_is_created(tmp_path: Path) -> None:
    """A database in a directory that does not exist yet can still be opened."""
    path = tmp_path / "nested" / "data" / "quiz.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            await connection.commit()
    finally:
        await engine.dispose()
    assert path.is_file()


async def test_sqlite_foreign_keys_are_enforced(tmp_path: Path) -> None:
    """A round pointing at a guild that does not exist is rejected by the database."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'quiz.sqlite3'}"
    await upgrade_database(url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            with pytest.raises(Exception, match="FOREIGN KEY"):
                await connection.execute(
                    text(
                        "INSERT INTO rounds (guild_id, channel_id, started_by, kind, status, seed, seconds, bank_ids, "
                        "started_at) VALUES (1, 2, 3, 'channel', 'running', 4, 20, '[]', '2025-01-01 00:00:00.000000')"
                    )
                )
    finally:
        await engine.dispose()


async def test_objects_stay_readable_after_commit(database_url: str) -> None:
    """Sessions do not expire objects on commit, so attributes are readable without another query."""
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            guild = GuildRow(id=GUILD, timezone="Asia/Tbilisi")
            session.add(guild)
            await session.commit()
            # With expire_on_commit=True this would need a lazy load, which async sessions refuse.
            assert guild.timezone == "Asia/Tbilisi"
    finally:
        await engine.dispose()
