"""The benchmark's processes: the fake in its own process, and bot processes that each own some shards."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp

from bench.fakediscord._sharding import shard_of
from bench.harness.procs import BotProcess, FakeProcess


async def identify_raw(gateway_url: str, shard: list[int]) -> int | None:
    """Open a gateway connection, IDENTIFY on ``shard`` and return the op of the first answer (0 READY, 9 refused)."""
    async with aiohttp.ClientSession() as session, session.ws_connect(gateway_url) as ws:
        await ws.receive_json()  # HELLO
        await ws.send_json({"op": 2, "d": {"token": "x", "intents": 1, "properties": {}, "shard": shard}})
        message = await ws.receive()
        return json.loads(message.data)["op"] if message.type == aiohttp.WSMsgType.TEXT else None


async def test_two_bot_processes_each_get_their_shards_guilds_and_clicks(tmp_path: Path) -> None:
    """Shards 0 and 1 of 2 in two processes: each is ready with its own guilds and acknowledges its guilds' clicks."""
    async with FakeProcess() as fake:
        world = await fake.post("reset", {"guilds": 4, "shard_count": 2, "max_concurrency": 2})
        bots = [
            BotProcess("baseline", fake.url, shard_count=2, shard_ids=[i], log_path=tmp_path / f"bot{i}.log")
            for i in (0, 1)
        ]
        try:
            await asyncio.gather(*(bot.start(timeout=30) for bot in bots))
            assert [bot.ready["guilds"] for bot in bots] == [2, 2]
            delivered = {}
            for guild in world["guilds"]:
                body = {"guild_id": guild["id"], "channel_id": guild["channel_ids"][0], "user_id": 9}
                delivered[guild["id"]] = (await fake.post("dispatch", body))["sessions"]
            for _ in range(500):
                if (await fake.get("stats"))["interactions"]["acked"] == 4:
                    break
                await asyncio.sleep(0.01)
            assert (await fake.get("stats"))["interactions"]["acked"] == 4
            shards = {s["session_id"]: s["shard"] for s in (await fake.get("world"))["sessions"]}
            for guild_id, sessions in delivered.items():
                assert [shards[s] for s in sessions] == [[shard_of(guild_id, 2), 2]]
        finally:
            for bot in bots:
                await bot.stop()
        assert await fake.identify_violations() == []


async def test_the_harness_keeps_identify_violations_across_resets() -> None:
    """A violation in one world is still reported after the driver reset the fake for the next workload."""
    async with FakeProcess() as fake:
        await fake.post("reset", {"guilds": 2, "shard_count": 2, "max_concurrency": 1})
        gateway = fake.url.replace("http://", "ws://") + "/gateway"
        assert await identify_raw(gateway, [0, 2]) == 0  # READY
        assert await identify_raw(gateway, [1, 2]) == 9  # same bucket at once: INVALID_SESSION
        await fake.post("reset", {"guilds": 1})
        assert (await fake.get("identifies"))["violations"] == []
        [violation] = await fake.identify_violations()
        assert (violation["shard"], violation["rule"]) == ([1, 2], "bucket")
