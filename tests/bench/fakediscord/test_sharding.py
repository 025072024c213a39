"""The fake's sharding: guilds per shard, events on the owning shard only, and identifies held to Discord's rules."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest

from bench.fakediscord import FakeConfig, FakeDiscord
from bench.fakediscord._sharding import IdentifyGate, shard_of
from tests.bench.conftest import ShardedClient, running


def guilds_on(fake: FakeDiscord, shard_id: int, shard_count: int) -> set[int]:
    """The ids of the fake's guilds that live on this shard."""
    return {g.id for g in fake.guilds if shard_of(g.id, shard_count) == shard_id}


async def wait_until(predicate: object, timeout: float = 3.0) -> None:
    """Poll a condition (a zero-argument callable) until it holds."""
    assert callable(predicate)
    for _ in range(int(timeout / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never held")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_shard_of_follows_discords_formula() -> None:
    """A guild lives on shard (guild_id >> 22) % shard_count; DMs (no guild) on shard 0."""
    assert shard_of((7 << 22) | 12345, 4) == 3
    assert shard_of((8 << 22) | 99, 4) == 0
    assert shard_of(None, 4) == 0
    assert shard_of((7 << 22) | 12345, 1) == 0


def test_a_world_spreads_its_guilds_evenly_over_any_shard_count() -> None:
    """Guilds are made a millisecond apart, so N guilds fill every shard equally, not one shard per millisecond."""
    fake = FakeDiscord(FakeConfig(guilds=12))
    for shard_count in (1, 2, 3, 4, 6):
        sizes = [len(guilds_on(fake, shard, shard_count)) for shard in range(shard_count)]
        assert sizes == [12 // shard_count] * shard_count


def test_gate_allows_one_identify_per_bucket_per_window() -> None:
    """Shards in different buckets may identify together; the same bucket again only after the window."""
    clock = Clock()
    gate = IdentifyGate(max_concurrency=2, window=5.0, clock=clock)
    assert gate.check(0, 4) is None  # bucket 0
    assert gate.check(1, 4) is None  # bucket 1, same moment
    clock.now += 4.9
    violation = gate.check(2, 4)  # bucket 0 again, too soon
    assert violation is not None and violation.rule == "bucket" and violation.bucket == 0
    assert violation.answer == "invalid_session"
    clock.now += 0.1
    assert gate.check(2, 4) is None  # 5 s after shard 0: allowed (the rejected try did not restart the window)
    assert [i.shard for i in gate.accepted] == [(0, 4), (1, 4), (2, 4)]
    assert [v.shard for v in gate.violations] == [(2, 4)]


def test_gate_counts_session_starts_and_resets_them_after_the_period() -> None:
    """Past ``total`` identifies in a period the next is refused with close 4004; the count resets after it."""
    clock = Clock()
    gate = IdentifyGate(max_concurrency=1, window=1.0, total=2, reset_after=60.0, clock=clock)
    assert gate.session_start_limit() == {"total": 2, "remaining": 2, "reset_after": 60_000, "max_concurrency": 1}
    assert gate.check(0, 1) is None
    clock.now += 1
    assert gate.check(0, 1) is None
    clock.now += 1
    violation = gate.check(0, 1)
    assert violation is not None and violation.rule == "daily_total" and violation.answer == "close 4004"
    assert gate.session_start_limit() == {"total": 2, "remaining": 0, "reset_after": 58_000, "max_concurrency": 1}
    clock.now += 58
    assert gate.check(0, 1) is None
    assert gate.session_start_limit()["remaining"] == 1


def test_gate_refuses_a_shard_outside_its_count() -> None:
    """Shard 2 of 2 does not exist: close 4010, recorded."""
    gate = IdentifyGate(clock=Clock())
    violation = gate.check(2, 2)
    assert violation is not None and violation.rule == "invalid_shard" and violation.answer == "close 4010"
    assert gate.accepted == []


async def test_two_clients_each_get_only_the_guilds_and_events_of_their_shard(fake: FakeDiscord) -> None:
    """Two AutoShardedClients (shards 0 and 1 of 2) see only their guilds; clicks and events reach the owner only."""
    fake.reset(FakeConfig(guilds=6, shard_count=2, max_concurrency=2, identify_window=0.3))
    first = ShardedClient(shard_count=2, shard_ids=[0])
    second = ShardedClient(shard_count=2, shard_ids=[1])
    async with running(first, second):  # buckets 0 and 1: both may identify at once
        assert {g.id for g in first.guilds} == guilds_on(fake, 0, 2)
        assert {g.id for g in second.guilds} == guilds_on(fake, 1, 2)
        assert len(first.guilds) == len(second.guilds) == 3
        sessions = {s.shard: s.session_id for s in fake.gateway.sessions.values()}
        assert set(sessions) == {(0, 2), (1, 2)}

        for owner, other, shard in ((first, second, 0), (second, first, 1)):
            guild = next(g for g in fake.guilds if shard_of(g.id, 2) == shard)
            interaction_id = await fake.dispatch_interaction(guild.id, guild.channel_ids[0], 5)
            await wait_until(lambda owner=owner, i=interaction_id: i in owner.seen)
            assert interaction_id not in other.seen
            assert fake.interactions[interaction_id].sessions == [sessions[(shard, 2)]]

        guild = next(g for g in fake.guilds if shard_of(g.id, 2) == 1)
        renamed = {**fake.guild_payload(guild), "name": "renamed"}
        assert await fake.dispatch_event("GUILD_UPDATE", renamed, guild.id) == [sessions[(1, 2)]]
        await wait_until(lambda: getattr(second.get_guild(guild.id), "name", "") == "renamed")
        assert "GUILD_UPDATE" not in first.event_types
    assert fake.identify_gate.violations == []


async def test_gateway_bot_gives_the_shard_count_and_session_start_limit(fake: FakeDiscord) -> None:
    """A client without shard_count asks GET /gateway/bot, opens that many shards, and reads the start limits."""
    fake.reset(FakeConfig(guilds=6, shard_count=3, max_concurrency=1, identify_window=0.1, session_start_total=50))
    client = ShardedClient(identify_delay=0.15)
    async with running(client):
        assert client.shard_count == 3
        assert sorted(client.shards) == [0, 1, 2]
        assert {g.id for g in client.guilds} == {g.id for g in fake.guilds}
        limits = await client.fetch_session_start_limits()
        assert (limits.total, limits.remaining, limits.max_concurrency) == (50, 47, 1)
        assert 0 < limits.reset_after <= 86_400_000
    assert [i.shard for i in fake.identify_gate.accepted] == [(0, 3), (1, 3), (2, 3)]
    assert fake.identify_gate.violations == []


async def test_identify_breaking_the_bucket_rule_is_rejected_and_counted(
    fake: FakeDiscord, http: aiohttp.ClientSession
) -> None:
    """Two shards of one bucket identifying at once: the second gets INVALID_SESSION, is recorded, and retries."""
    fake.reset(FakeConfig(guilds=4, shard_count=2, max_concurrency=1, identify_window=0.3))
    client = ShardedClient(shard_count=2, shard_ids=[0, 1], rush=2, identify_delay=0.35)
    async with running(client):
        assert {g.id for g in client.guilds} == {g.id for g in fake.guilds}  # the retry, paced, got in
    [violation] = fake.identify_gate.violations
    assert (violation.shard, violation.bucket, violation.rule) == ((1, 2), 0, "bucket")
    assert violation.answer == "invalid_session"
    assert fake.tally.gateway["identify_rejected"] == 1
    assert fake.tally.gateway["identify"] == 2
    async with http.get("/_control/identifies") as r:
        report = await r.json()
    assert [v["shard"] for v in report["violations"]] == [[1, 2]]
    assert len(report["identifies"]) == 2
    async with http.get("/_control/stats") as r:
        assert (await r.json())["identify_violations"] == 1


async def test_identify_past_the_daily_total_closes_with_4004(fake: FakeDiscord) -> None:
    """With every session start used, the next identify is closed with 4004 and discord.py gives up."""
    fake.reset(FakeConfig(guilds=1, identify_window=0.0, session_start_total=1))
    async with running(ShardedClient(shard_count=1)):
        pass
    late = ShardedClient(shard_count=1)
    async with running(late, ready=False) as [task]:
        with pytest.raises(discord.ConnectionClosed) as caught:
            await asyncio.wait_for(task, 5)
    assert caught.value.code == 4004
    assert [v.rule for v in fake.identify_gate.violations] == ["daily_total"]
    assert fake.identify_gate.session_start_limit()["remaining"] == 0


async def test_identify_for_a_shard_outside_its_count_closes_with_4010(fake: FakeDiscord) -> None:
    """Shard 2 of 2 is refused with close 4010, recorded, and discord.py stops."""
    fake.reset(FakeConfig(guilds=2, shard_count=2))
    client = ShardedClient(shard_count=2, shard_ids=[2])
    async with running(client, ready=False) as [task]:
        with pytest.raises(discord.ConnectionClosed) as caught:
            await asyncio.wait_for(task, 5)
    assert caught.value.code == 4010
    assert [v.rule for v in fake.identify_gate.violations] == ["invalid_shard"]


async def test_two_sessions_on_one_shard_get_a_duplicated_click_when_asked(
    fake: FakeDiscord, http: aiohttp.ClientSession
) -> None:
    """A rolling restart: two sessions hold shard 0; normally the newest gets the click, ``every_session`` both.

    Both answer it; Discord takes the first acknowledgement and refuses the second with 40060.
    """
    fake.reset(FakeConfig(guilds=2, shard_count=2, max_concurrency=1, identify_window=0.1))
    old = ShardedClient(shard_count=2, shard_ids=[0])
    new = ShardedClient(shard_count=2, shard_ids=[0], identify_delay=0.15)

    async def answer(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)

    old.handler = new.handler = answer
    guild = next(g for g in fake.guilds if shard_of(g.id, 2) == 0)
    async with running(old), running(new):
        single = await fake.dispatch_interaction(guild.id, guild.channel_ids[0], 1)
        await wait_until(lambda: fake.interactions[single].acked_at is not None)
        assert single in new.seen and single not in old.seen

        async with http.post(
            "/_control/dispatch",
            json={"guild_id": guild.id, "channel_id": guild.channel_ids[0], "user_id": 2, "every_session": True},
        ) as r:
            body = await r.json()
        twice = int(body["id"])
        assert len(body["sessions"]) == 2
        await wait_until(lambda: len(old.errors) + len(new.errors) == 1)
    assert twice in old.seen and twice in new.seen
    record = fake.interactions[twice]
    assert record.acked_at is not None and record.refusals == [40060]
    [error] = old.errors + new.errors
    assert isinstance(error, discord.HTTPException) and error.code == 40060
    assert fake.identify_gate.violations == []


async def test_reset_over_the_control_api_sets_the_shard_rules(fake: FakeDiscord, http: aiohttp.ClientSession) -> None:
    """A driver in another process sets shards and identify rules with reset; GET /gateway/bot reflects them."""
    settings = {"guilds": 4, "shard_count": 2, "max_concurrency": 2, "identify_window": 0.1, "session_start_total": 9}
    async with http.post("/_control/reset", json=settings) as r:
        world = await r.json()
    assert (world["shard_count"], len(world["guilds"]), world["sessions"]) == (2, 4, [])
    async with http.get(f"{fake.api_base}/gateway/bot") as r:
        gateway = await r.json()
    assert gateway["url"] == fake.gateway_url
    assert gateway["shards"] == 2
    assert gateway["session_start_limit"]["total"] == gateway["session_start_limit"]["remaining"] == 9
    assert gateway["session_start_limit"]["max_concurrency"] == 2
    async with http.post("/_control/reset", json={"guilds": 2, "shards": 2}) as r:
        assert r.status == 400
        assert "shards" in (await r.json())["error"]
    async with http.post("/_control/reset", json={"max_concurrency": 0}) as r:
        assert r.status == 400
    assert fake.config.shard_count == 2  # a refused reset changes nothing
