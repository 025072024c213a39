"""Whether the database is already at the newest migration, found without importing Alembic.

On an up-to-date database, which is every start but the first after an upgrade, the bot only needs
to read one row to know it has nothing to migrate (see ``auto_migrate``).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

#: The newest revision under migrations/versions; tests/db/test_schema_version.py keeps it in step.
HEAD_REVISION = "b8d0f2a4c6e8"


async def database_is_current(engine: AsyncEngine) -> bool:
    """True if the database's ``alembic_version`` is exactly the head revision."""
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    except DBAPIError:
        return False  # no alembic_version table: a new database
    return list(rows) == [HEAD_REVISION]
