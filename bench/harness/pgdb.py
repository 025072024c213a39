"""A new PostgreSQL database for one workload, on a server the driver is given, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

#: Where ``bench.run`` finds a PostgreSQL server when ``--postgres`` is not given.
POSTGRES_ENV = ("QUIZBOT_BENCH_POSTGRES_URL", "QUIZBOT_TEST_POSTGRES_URL")


def server_from_env() -> str | None:
    """The PostgreSQL server URL from the environment, if one is set."""
    return next((os.environ[name] for name in POSTGRES_ENV if os.environ.get(name)), None)


@asynccontextmanager
async def fresh_database(server_url: str, prefix: str = "quizbot_bench") -> AsyncIterator[str]:
    """Create an empty database on the server of ``server_url``; yields its URL and drops it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()
