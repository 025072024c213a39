"""Scheduled rounds start exactly once when the bot process is SIGKILLed at any step of the start.

Real bot processes against the fake Discord (which honours ``enforce_nonce`` and counts duplicate
posts), on SQLite and on PostgreSQL: the process kills itself after the claim, after posting the
announcement but before recording it, or after recording it; its restart takes the run over once the
lease ran out. Every channel gets one announcement and one round, and the fake counts no duplicate.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bench.harness.crash import STEPS
from bench.harness.pgdb import fresh_database
from bench.harness.procs import BotProcess, FakeProcess
from bench.harness.workloads import BANKS_DIR
from bench.scheduled import add_due_schedules, announcements, scheduled_starts
from bot.db import create_engine
from bot.db.hints import publish_to
from bot.db.migrate import upgrade_database

POSTGRES_ENV = "QUIZBOT_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
async def url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database: a SQLite file, or a new PostgreSQL database when one is configured."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"{POSTGRES_ENV} is not set, so the PostgreSQL variant is skipped")
    async with fresh_database(server, "quizbot_once") as url:
        yield url


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


async def test_a_schedule_added_through_another_process_is_run(url: str, tmp_path: Path) -> None:
    """A running bot runs a schedule another process added (and hinted) without any command of its own."""
    if not url.startswith("postgresql"):
        pytest.skip("several processes share PostgreSQL only")
    async with FakeProcess() as fake:
        world = await fake.post("reset", {"guilds": 1, "channels_per_guild": 1})
        guild_id, channel_id = int(world["guilds"][0]["id"]), int(world["guilds"][0]["channel_ids"][0])
        await upgrade_database(url)
        survivor = BotProcess(
            "quizbot",
            fake.url,
            data_dir=tmp_path / "data",
            banks_dir=BANKS_DIR,
            log_path=tmp_path / "bot.log",
            env={"QUIZBOT_DATABASE_URL": url},
        )
        await survivor.start(timeout=60)
        try:
            # What /quiz schedule add does in the other process: store the schedule, then hint.
            await add_due_schedules(url, [(guild_id, channel_id)], late=timedelta(seconds=-2))
            engine = create_engine(url)
            try:
                await publish_to(engine, "schedules")
            finally:
                await engine.dispose()
            announced: dict[int, int] = {}
            for _ in range(100):
                announced = await announcements(fake, [channel_id])
                if announced[channel_id]:
                    break
                await asyncio.sleep(0.1)
            assert announced == {channel_id: 1}
        finally:
            await survivor.stop()
