"""The fake's gateway: a real discord.py client connects, sees every guild, and receives interactions."""

from __future__ import annotations

import asyncio

import aiohttp
import discord

from bench.fakediscord import FakeDiscord
from tests.bench.conftest import BareClient


async def test_client_reaches_ready_with_every_guild_and_channel(fake: FakeDiscord, client: BareClient) -> None:
    """READY and one GUILD_CREATE per guild give the client the fake's guilds, channels and its own user."""
    assert client.user is not None and client.user.id == fake.application_id
    assert client.application_id == fake.application_id
    assert sorted(g.id for g in client.guilds) == sorted(g.id for g in fake.guilds)
    for state in fake.guilds:
        guild = client.get_guild(state.id)
        assert guild is not None
        assert sorted(c.id for c in guild.text_channels) == sorted(state.channel_ids)
    assert fake.tally.gateway["identify"] == 1


async def test_ready_carries_a_loopback_resume_url(fake: FakeDiscord, client: BareClient) -> None:
    """discord.py resumes against READY's resume_gateway_url, so it must point back at the fake."""
    assert client.ws is not None
    assert str(client.ws.gateway) == fake.gateway_url
    assert fake.gateway_url.startswith("ws://127.0.0.1:")


async def test_dispatched_click_is_acknowledged_and_timed(fake: FakeDiscord, client: BareClient) -> None:
    """A click reaches on_interaction with its custom_id and user; the fake times dispatch to callback."""
    seen: list[tuple[str | None, int]] = []

    async def answer(interaction: discord.Interaction) -> None:
        data: dict[str, object] = dict(interaction.data or {})
        custom_id = data.get("custom_id")
        seen.append((custom_id if isinstance(custom_id, str) else None, interaction.user.id))
        await interaction.response.send_message("ok", ephemeral=True)

    client.handler = answer
    guild = fake.guilds[1]
    interaction_id = await fake.dispatch_interaction(guild.id, guild.channel_ids[1], 4242, custom_id="answer:2")
    for _ in range(100):
        if fake.interactions[interaction_id].acked_at is not None:
            break
        await asyncio.sleep(0.01)
    record = fake.interactions[interaction_id]
    assert seen == [("answer:2", 4242)]
    assert record.ack_type == 4
    assert record.latency is not None and 0 < record.latency < 1
    assert client.errors == []


async def test_burst_spreads_clicks_over_the_requested_time(fake: FakeDiscord, client: BareClient) -> None:
    """A burst of distinct users is dispatched evenly across its spread and every click is acknowledged."""

    async def answer(interaction: discord.Interaction) -> None:
        await interaction.response.defer()

    client.handler = answer
    guild = fake.guilds[0]
    fake.burst([(guild.id, guild.channel_ids[0], 1000 + i, "answer:0", None) for i in range(20)], spread=0.2)
    for _ in range(200):
        if sum(r.acked_at is not None for r in fake.interactions.values()) == 20:
            break
        await asyncio.sleep(0.01)
    records = sorted(fake.interactions.values(), key=lambda r: r.dispatched_at)
    assert len({r.user_id for r in records}) == 20
    assert all(r.ack_type == 6 for r in records)  # defer() on a component is a deferred update
    assert 0.15 <= records[-1].dispatched_at - records[0].dispatched_at <= 0.4


async def test_late_acknowledgement_surfaces_as_not_found_10062(fake: FakeDiscord, client: BareClient) -> None:
    """A handler that answers after the deadline gets discord.py's NotFound with code 10062."""

    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(fake.config.ack_deadline + 0.05)
        await interaction.response.send_message("too late")

    client.handler = slow
    guild = fake.guilds[0]
    interaction_id = await fake.dispatch_interaction(guild.id, guild.channel_ids[0], 7)
    for _ in range(100):
        if client.errors:
            break
        await asyncio.sleep(0.01)
    assert len(client.errors) == 1
    error = client.errors[0]
    assert isinstance(error, discord.NotFound) and error.code == 10062
    assert fake.interactions[interaction_id].acked_at is None


async def test_rate_limited_send_is_retried_by_discord_py(
    fake: FakeDiscord, client: BareClient, http: aiohttp.ClientSession
) -> None:
    """discord.py accepts the fake's 429 (Via header, retry_after body) and retries: the message arrives."""
    channel_id = fake.guilds[0].channel_ids[0]
    # Exhaust the channel's bucket behind discord.py's back, so it cannot pace itself from the headers.
    for _ in range(fake.config.limits["channel_message_create"].requests):
        async with http.post(f"{fake.api_base}/channels/{channel_id}/messages", json={"content": "raw"}) as r:
            assert r.status == 200
    channel = client.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("after the wait")
    assert fake.tally.rate_limited["user"] == 1
    assert fake.messages[message.id]["content"] == "after the wait"
