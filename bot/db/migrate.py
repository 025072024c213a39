"""Running Alembic from the bot and the CLI, configured from pyproject's ``[tool.alembic]``.

The URL travels in ``config.attributes["url"]`` and the open connection in
``config.attributes["connection"]``, so ``migrations/env.py`` never reads a hard-coded URL
and never starts an event loop of its own when called from here.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.db.auto_migrate import MIGRATE_URL_ENV
from bot.db.engine import create_migration_engine, sqlite_path

log = logging.getLogger(__name__)

# The package is installed editable: ``migrations/`` and ``pyproject.toml`` sit beside ``bot/``.
REPO_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = REPO_ROOT / "migrations"
PYPROJECT = REPO_ROOT / "pyproject.toml"

# Arbitrary constant: PostgreSQL advisory lock held while migrating, so processes starting
# together take turns instead of racing to create the same tables.
_MIGRATION_LOCK_KEY = 0x7175697A  # "quiz"


def alembic_config(url: str | None = None) -> Config:
    """Alembic's config from ``[tool.alembic]``, with ``script_location`` fixed to this checkout."""
    config = Config(toml_file=PYPROJECT if PYPROJECT.exists() else None)
    # Resolved from the package location so it works whatever the current directory is.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if url is not None:
        config.attributes["url"] = url
    return config


def head_revisions() -> tuple[str, ...]:
    """The head revision(s) of the migration scripts."""
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


async def database_revisions(url: str) -> tuple[str, ...]:
    """The revision(s) the database is stamped with; empty for a database never migrated."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        path = sqlite_path(sa_url)
        if path is not None and not path.exists():
            return ()
    engine = create_async_engine(sa_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_current_heads)
    finally:
        await engine.dispose()


def _current_heads(connection: Connection) -> tuple[str, ...]:
    return tuple(MigrationContext.configure(connection).get_current_heads())


async def check_database_current(url: str) -> bool:
    """True if the database is at the head revision, checked without running any migration."""
    return set(await database_revisions(url)) == set(head_revisions())


async def upgrade_database(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision`` in one transaction; safe to await in a running loop."""
    config = alembic_config(url)
    engine = create_migration_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, config, revision)
    finally:
        await engine.dispose()


def _upgrade(connection: Connection, config: Config, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        # Processes started together queue here; each one after the first finds the work done and applies nothing.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
    if revision == "head" and set(_current_heads(connection)) == set(head_revisions()):
        log.info("Database is already at the newest revision (another process may have just migrated it)")
        return
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
    log.info("Database migrated to %s", revision)


def main() -> None:
    """``python -m bot.db.migrate``: migrate the database at $QUIZBOT_MIGRATE_URL to head (for the bot's start-up)."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    url = os.environ.get(MIGRATE_URL_ENV)
    if not url:
        sys.exit(f"{MIGRATE_URL_ENV} is not set: it names the database to migrate")
    asyncio.run(upgrade_database(url))


if __name__ == "__main__":
    main()
