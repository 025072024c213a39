"""Alembic environment, on the async template.

The database URL comes from, in order: ``config.attributes["url"]`` (set by
``bot.db.migrate``), ``-x url=...`` on the command line, or the ``QUIZBOT_DATABASE_URL``
environment variable. When ``bot.db.migrate`` passes an open connection in
``config.attributes["connection"]`` it is used as is, so no event loop is started here.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from bot.db.engine import create_migration_engine, is_sqlite
from bot.db.models import Base
from bot.db.types import UTCDateTime

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    """The URL to migrate, from the attributes, ``-x url=`` or the environment."""
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    url = url or os.environ.get("QUIZBOT_DATABASE_URL")
    if not url:
        raise RuntimeError("no database URL: pass -x url=... or set QUIZBOT_DATABASE_URL")
    return str(url)


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render our column types as plain SQLAlchemy ones, so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure_options(sqlite: bool) -> dict[str, Any]:
    """Options shared by online and offline runs."""
    return {
        "target_metadata": target_metadata,
        "compare_type": True,
        "compare_server_default": True,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        "render_as_batch": sqlite,
        "render_item": render_item,
    }


def run_migrations_offline() -> None:
    """Emit the migration SQL to stdout instead of running it."""
    url = database_url()
    context.configure(
        url=url, literal_binds=True, dialect_opts={"paramstyle": "named"}, **configure_options(is_sqlite(url))
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    """Run the migrations on a synchronous connection."""
    sqlite = connection.dialect.name == "sqlite"
    context.configure(connection=connection, **configure_options(sqlite))
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            # Foreign keys are off while migrating on SQLite (see create_migration_engine).
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"foreign key violations after migrating: {problems[:10]!r}")


async def run_async_migrations() -> None:
    """Open our migration engine and run the migrations on one of its connections."""
    engine = create_migration_engine(database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    """Run against a live database, sharing the caller's connection when given one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
