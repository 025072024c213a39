"""Scheduled rounds start exactly once when the bot process is SIGKILLed at any step of the start.

Real bot processes against the fake Discord (which honours ``enforce_nonce`` and counts duplicate
posts), on SQLite and on PostgreSQL: the process kills itself after the claim, after posting the
announcement but before recording it, or after recording it; its restart takes the run over once the
lease ran out. Every channel gets one announcement and one round, and the fake counts no duplicate.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bench.harness.crash import STEPS
from bench.harness.procs import FakeProcess
from bench.scheduled import scheduled_starts

POSTGRES_ENV = "QUIZBOT_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
async def url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database: a SQLite file, or a new PostgreSQL database when one is configured."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set, so the PostgreSQL variant is skipped")
    name = f"quizbot_once_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()


@pytest.mark.parametrize("step", STEPS)
async def test_a_killed_start_is_taken_over_without_a_second_announcement(url: str, step: str, tmp_path: Path) -> None:
    """Killed at ``step`` and restarted: each of 3 due runs is announced once and recorded once."""
    async with FakeProcess() as fake:
        run = await scheduled_starts(fake, tmp_path, database_url=url, schedules=3, die_at=step, lease=2.0)
    assert run.died
    assert run.announcements == {channel: 1 for channel in run.announcements}
    assert run.duplicates == 0
    assert run.occurrences == {"started": 3}
    assert run.rounds == 3
    assert run.exactly_once
    if step == "posted":
        # The restart posted the announcement again with the same nonce; the fake handed back the first one.
        assert run.nonce_replays >= 1
