"""Bringing the database up to date at start-up, with Alembic kept out of the bot's process.

Alembic and Mako cost about 9 MB of resident memory once imported, and a bot that migrated at start
would carry them until it stops. So the bot first reads ``alembic_version`` (``schema_version``), and
only when the database is behind runs the migrations in a child process, ``python -m bot.db.migrate``,
the same code as ``quizbot db upgrade``. The child's log lines are passed on to this process's log.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.schema_version import database_is_current

log = logging.getLogger(__name__)

#: How the child is told which database to migrate (an environment variable, so a password stays out of ``ps``).
MIGRATE_URL_ENV = "QUIZBOT_MIGRATE_URL"
# The folder holding the ``bot`` package, so the child imports the same code as this process.
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
_TAIL_LINES = 20


class MigrationFailed(RuntimeError):
    """The migrations could not be applied; the message ends with the child's last lines of output."""


async def ensure_current(engine: AsyncEngine, url: str) -> bool:
    """Migrate the database behind ``engine`` (at ``url``) to the newest revision if it is behind; True if it was."""
    if await database_is_current(engine):
        return False
    log.info("The database is not at the newest revision; migrating it")
    await migrate_in_child(url)
    return True


async def migrate_in_child(url: str) -> None:
    """Run the migrations on ``url`` in a child process and wait for it; raises MigrationFailed if it fails."""
    env = dict(os.environ)
    env[MIGRATE_URL_ENV] = url
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_PACKAGE_ROOT), env.get("PYTHONPATH")]))
    # A thread waits for the child, so this works on any event loop (asyncio's child watchers need the main one).
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot.db.migrate"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    for line in lines:
        log.info("migrations: %s", line)
    if result.returncode != 0:
        tail = "\n".join(lines[-_TAIL_LINES:])
        raise MigrationFailed(f"migrating the database failed (exit status {result.returncode}):\n{tail}")
