"""Two quizbot processes, one shard each, on one PostgreSQL database and the fake Discord (issue 12's failures).

Each test creates its own database and drops it. Skipped without ``QUIZBOT_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bench.fakediscord._sharding import shard_of
from bench.harness.cluster import cluster
from bench.harness.measure import wait_for
from bench.harness.pgdb import fresh_database, server_from_env
from bench.harness.procs import FakeProcess
from bench.harness.workloads import MODERATOR, _answer_ids, _question_messages, _start_rounds
from tests.db.conftest import POSTGRES_SKIPPED

pytestmark = pytest.mark.skipif(server_from_env() is None, reason=POSTGRES_SKIPPED)

SYNC_ROUTE = "PUT /applications/{application_id}/commands"


async def _count(url: str, sql: str) -> int:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(sql))).scalar_one())
    finally:
        await engine.dispose()


def _in_channel(messages: list[dict[str, Any]], channel_id: int) -> list[dict[str, Any]]:
    return [m for m in messages if m["channel_id"] == channel_id]


async def test_each_process_answers_its_own_clicks_and_resumes_only_its_own_rounds(tmp_path: Path) -> None:
    """Shards 0 and 1 in two processes: each answers its guild's clicks, and a restart resumes only its rounds."""
    server = server_from_env()
    assert server is not None
    async with FakeProcess() as fake, fresh_database(server, "quizbot_test") as url:
        # One identify per bucket per second, one bucket: the two processes must take turns.
        world = await fake.post("reset", {"guilds": 2, "shard_count": 2, "max_concurrency": 1, "identify_window": 1.0})
        guild = {shard_of(g["id"], 2): (g["id"], g["channel_ids"][0]) for g in world["guilds"]}
        procs = cluster(
            fake.url, url, tmp_path, shard_count=2, processes=2, reveal_pause=1, identify_window_seconds="1.0"
        )
        try:
            # Started together on an empty database: one migrates, one syncs the commands.
            await asyncio.gather(*(p.start(timeout=90) for p in procs))
            stats = await fake.get("stats")
            assert stats["tally"]["requests"].get(SYNC_ROUTE) == 1
            assert [p.ready["guilds"] for p in procs] == [1, 1]

            await _start_rounds(fake, [guild[0], guild[1]], questions=2, seconds=60)
            assert await wait_for(lambda: _asked_in(fake, [guild[0][1], guild[1][1]]), 30)
            questions = await _question_messages(fake)
            for shard in (0, 1):
                guild_id, channel_id = guild[shard]
                [question] = _in_channel(questions, channel_id)
                body = {"guild_id": guild_id, "channel_id": channel_id, "user_id": 500 + shard}
                body |= {"custom_id": _answer_ids(question["body"])[0], "message_id": question["message_id"]}
                await fake.post("dispatch", body | {"kind": "component"})
            assert await wait_for(lambda: _acked(fake, 4), 15)  # two /quiz start, two clicks
            clicks = [r for r in await fake.get("interactions") if r["user_id"] != MODERATOR]
            assert [(r["refusals"], len(r["sessions"])) for r in clicks] == [([], 1), ([], 1)]
            # Both answers stored: each click reached the process running its round.
            assert await _count(url, "SELECT count(*) FROM answers") == 2

            # Restart the process of shard 0: it resumes its round, never the other process's.
            events_before = len(await fake.get("events"))
            await procs[0].stop()
            await procs[0].start(timeout=60)
            await asyncio.sleep(1.0)
            later = (await fake.get("events"))[events_before:]
            assert [e for e in later if e["channel_id"] == guild[1][1] and e["op"] == "create"] == []
            assert (await fake.get("duplicates"))["count"] == 0
        finally:
            for proc in procs:
                await proc.stop()
        assert await fake.identify_violations() == []


def _schedule_add(fake_commands: dict[str, Any], when: str) -> dict[str, Any]:
    """The application-command data of ``/quiz schedule add when:<when>``."""
    command_id = next(c["id"] for cs in fake_commands.values() for c in cs if c["name"] == "quiz")
    add = {"name": "add", "type": 1, "options": [{"name": "when", "type": 3, "value": when}]}
    return {"id": command_id, "name": "quiz", "type": 1, "options": [{"name": "schedule", "type": 2, "options": [add]}]}


async def test_a_schedule_is_added_once_and_run_only_by_its_guilds_process(tmp_path: Path) -> None:
    """``/quiz schedule add`` makes one schedule; the other process never runs it, even while its own is down."""
    server = server_from_env()
    assert server is not None
    async with FakeProcess() as fake, fresh_database(server, "quizbot_test") as url:
        world = await fake.post("reset", {"guilds": 2, "shard_count": 2, "max_concurrency": 2})
        guild = {shard_of(g["id"], 2): (g["id"], g["channel_ids"][0]) for g in world["guilds"]}
        procs = cluster(fake.url, url, tmp_path, shard_count=2, processes=2, reveal_pause=1)
        try:
            await asyncio.gather(*(p.start(timeout=90) for p in procs))
            guild_id, channel_id = guild[1]
            data = _schedule_add(await fake.get("commands"), "in 2h")
            body = {"guild_id": guild_id, "channel_id": channel_id, "user_id": MODERATOR, "kind": "command"}
            await fake.post("dispatch", body | {"data": data})
            assert await wait_for(lambda: _acked(fake, 1), 15)
            assert await _count(url, "SELECT count(*) FROM schedules") == 1

            # Shard 1's process dies; its schedule falls due meanwhile (moved to now rather than waiting 2 h).
            await procs[1].kill()
            await _execute(url, "UPDATE schedules SET next_run_at = now() - interval '1 second', remind_at = NULL")
            # The survivor, even freshly started (so it reads every schedule), leaves the other shard's run alone.
            await procs[0].stop()
            await procs[0].start(timeout=60)
            await asyncio.sleep(2.0)
            assert _in_channel(await _question_messages(fake), channel_id) == []
            assert await _count(url, "SELECT count(*) FROM schedules WHERE next_run_at IS NOT NULL") == 1

            # The owner's restart picks the run up (it is within the grace window) and starts it, once.
            await procs[1].start(timeout=60)
            assert await wait_for(lambda: _asked_in(fake, [channel_id]), 30)
            await asyncio.sleep(1.0)
            assert len(_in_channel(await _question_messages(fake), channel_id)) == 1
        finally:
            for proc in procs:
                await proc.stop()
        assert await fake.identify_violations() == []


async def test_a_killed_process_restarted_at_once_waits_out_its_identify_window(tmp_path: Path) -> None:
    """SIGKILL right after IDENTIFY frees the bucket's lock, but the restart still waits out the window."""
    server = server_from_env()
    assert server is not None
    # Longer than a restart takes on a busy machine (15 s seen on 2 shared cores), so that without the kept
    # time the restart's IDENTIFY would land inside the window.
    window = 40.0
    async with FakeProcess() as fake, fresh_database(server, "quizbot_test") as url:
        await fake.post("reset", {"guilds": 1, "shard_count": 1, "max_concurrency": 1, "identify_window": window})
        [proc] = cluster(
            fake.url, url, tmp_path, shard_count=1, processes=1, reveal_pause=1, identify_window_seconds=str(window)
        )
        try:
            await proc.start(timeout=90)
            await proc.kill()
            await proc.start(timeout=90 + window)
        finally:
            await proc.stop()
        identifies = await fake.get("identifies")
        assert await fake.identify_violations() == []
        # Two sessions, a window apart: the restart did identify (and did not resume the dead session).
        [first, second] = [entry["at"] for entry in identifies["identifies"]]
        assert second - first >= window


async def _execute(url: str, sql: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(sql))
    finally:
        await engine.dispose()


async def _asked_in(fake: FakeProcess, channels: list[int]) -> bool:
    asked = {m["channel_id"] for m in await _question_messages(fake)}
    return set(channels) <= asked


async def _acked(fake: FakeProcess, count: int) -> bool:
    return bool((await fake.get("stats"))["interactions"]["acked"] >= count)
