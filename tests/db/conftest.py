"""Database fixtures: a migrated SQLite file per test, and a fresh PostgreSQL database when configured.

Set ``QUIZBOT_TEST_POSTGRES_URL`` (e.g. ``postgresql+asyncpg://postgres@127.0.0.1:5432/test``)
to run every database test against PostgreSQL as well; each test gets its own database,
created from that URL's server and dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.harness.pgdb import fresh_database
from bot.db import create_engine, create_sessionmaker
from bot.db.migrate import upgrade_database

POSTGRES_ENV = "QUIZBOT_TEST_POSTGRES_URL"
POSTGRES_SKIPPED = f"{POSTGRES_ENV} is not set, so the PostgreSQL variant is skipped"


@pytest.fixture(params=["sqlite", "postgresql"])
async def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'db' / 'quizbot.sqlite3'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(POSTGRES_SKIPPED)
    async with fresh_database(base, "quizbot_test") as url:
        yield url


@pytest.fixture
async def database_url(blank_url: str) -> str:
    """The URL of a database migrated to head."""
    await upgrade_database(blank_url)
    return blank_url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The application engine on the migrated database."""
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The application sessionmaker."""
    return create_sessionmaker(engine)


@pytest.fixture
async def session(maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One session; tests commit when they need a second session to see the data."""
    async with maker() as session:
        yield session
