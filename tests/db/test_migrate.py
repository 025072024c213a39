"""Migrations: an empty database upgrades to head, and the models match the migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.db import create_engine
from bot.db.engine import create_migration_engine
from bot.db.migrate import (
    MIGRATIONS_DIR,
    alembic_config,
    check_database_current,
    database_revisions,
    head_revisions,
    upgrade_database,
)
from bot.db.models import Base


async def _table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def _run(url: str, action: str, *args: str) -> None:
    """Run an Alembic command on a shared connection, as ``bot.db.migrate`` does."""
    config = alembic_config(url)

    def run(connection: Connection, config: Config) -> None:
        config.attributes["connection"] = connection
        getattr(command, action)(config, *args)

    engine = create_migration_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run, config)
    finally:
        await engine.dispose()


async def test_upgrade_creates_every_table(blank_url: str) -> None:
    """Upgrading an empty database to head creates every model's table and stamps the head revision."""
    assert not await check_database_current(blank_url)
    await upgrade_database(blank_url)
    assert await _table_names(blank_url) == set(Base.metadata.tables) | {"alembic_version"}
    assert await database_revisions(blank_url) == head_revisions()
    assert await check_database_current(blank_url)


async def test_upgrade_twice_is_harmless(database_url: str) -> None:
    """Upgrading a database already at head changes nothing and still reports it current."""
    await upgrade_database(database_url)
    assert await check_database_current(database_url)


async def test_models_match_migrations(database_url: str) -> None:
    """`alembic check` finds no difference between the models and the migrated schema."""
    await _run(database_url, "check")


async def test_downgrade_to_base_and_back(database_url: str) -> None:
    """The migrations downgrade to an empty schema and upgrade again."""
    await _run(database_url, "downgrade", "base")
    assert await _table_names(database_url) == {"alembic_version"}
    assert not await check_database_current(database_url)
    await upgrade_database(database_url)
    assert await check_database_current(database_url)


async def test_missing_sqlite_file_is_not_current_and_not_created(tmp_path: Path) -> None:
    """Checking a SQLite database that does not exist reports False without creating it."""
    path = tmp_path / "absent.sqlite3"
    assert not await check_database_current(f"sqlite+aiosqlite:///{path}")
    assert not path.exists()


def test_config_resolves_outside_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Alembic config finds the migrations whatever the current directory is."""
    monkeypatch.chdir(tmp_path)
    config = alembic_config("sqlite+aiosqlite:///x.sqlite3")
    assert Path(config.get_alembic_option("script_location") or "") == MIGRATIONS_DIR
    assert config.attributes["url"] == "sqlite+aiosqlite:///x.sqlite3"
    assert len(head_revisions()) == 1
