"""Fixtures for tests of the fake Discord: a fake on loopback and a bare discord.py client connected to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import discord
import pytest

from bench.fakediscord import FakeConfig, FakeDiscord, Limit
from bench.fakediscord._ratelimit import DEFAULT_LIMITS

InteractionHandler = Callable[[discord.Interaction], Awaitable[None]]


class Recording:
    """What the test clients share: a ready flag, the test's interaction handler, and what reached them."""

    def _start_recording(self) -> None:
        self.ready = asyncio.Event()
        self.handler: InteractionHandler | None = None
        self.errors: list[BaseException] = []
        self.seen: list[int] = []
        self.event_types: list[str] = []

    async def on_ready(self) -> None:
        """Let the test go on once the guilds (of every shard) are in."""
        self.ready.set()

    async def on_socket_event_type(self, event_type: str) -> None:
        """Every dispatch this client's connections received, by name."""
        self.event_types.append(event_type)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Note the interaction and run the test's handler (by default: ignore it), keeping any error."""
        self.seen.append(interaction.id)
        if self.handler is None:
            return
        try:
            await self.handler(interaction)
        except Exception as exc:
            self.errors.append(exc)


class BareClient(Recording, discord.Client):
    """A plain discord.py client on one connection."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents(guilds=True), guild_ready_timeout=0.01)
        self._start_recording()


class ShardedClient(Recording, discord.AutoShardedClient):
    """An AutoShardedClient that paces its identifies as the test says.

    discord.py's own ``before_identify_hook`` sleeps 5 s before every identify but the first; this one sleeps
    ``identify_delay`` before each identify after the first ``rush`` ones (0 by default: every one waits).
    """

    def __init__(self, *, identify_delay: float = 0.0, rush: int = 0, **options: Any) -> None:
        super().__init__(intents=discord.Intents(guilds=True), guild_ready_timeout=0.01, **options)
        self._start_recording()
        self.identify_delay = identify_delay
        self.rush = rush

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait ``identify_delay``, unless this identify is one of the first ``rush``."""
        if self.rush > 0:
            self.rush -= 1
            return
        await asyncio.sleep(self.identify_delay)


@asynccontextmanager
async def running(*clients: BareClient | ShardedClient, ready: bool = True) -> AsyncIterator[list[asyncio.Task[None]]]:
    """Start the clients on the fake (waiting for each to be ready, unless told not to), and close them after."""
    tasks = [asyncio.create_task(c.start("token")) for c in clients]
    try:
        if ready:
            await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in clients)), 10)
        yield tasks
    finally:
        for client in clients:
            await client.close()
        await asyncio.gather(*tasks, return_exceptions=True)


@pytest.fixture
def config() -> FakeConfig:
    """A short acknowledgement deadline and fast, small buckets, so rule tests run in milliseconds."""
    limits = dict(DEFAULT_LIMITS)
    limits["channel_message_create"] = Limit(2, 0.3)
    return FakeConfig(guilds=2, channels_per_guild=2, ack_deadline=0.2, limits=limits)


@pytest.fixture
async def fake(config: FakeConfig) -> AsyncIterator[FakeDiscord]:
    """A started fake with discord.py pointed at it; discord.py's endpoints are restored afterwards."""
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    server = FakeDiscord(config)
    await server.start()
    server.install()
    yield server
    await server.stop()
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


@pytest.fixture
async def client(fake: FakeDiscord) -> AsyncIterator[BareClient]:
    """A bare client that has reached READY on the fake."""
    bot = BareClient()
    task = asyncio.create_task(bot.start("token"))
    await asyncio.wait_for(bot.ready.wait(), 5)
    yield bot
    await bot.close()
    await task


@pytest.fixture
async def http(fake: FakeDiscord) -> AsyncIterator[aiohttp.ClientSession]:
    """A raw HTTP session, for requests discord.py would refuse to make (a second acknowledgement, say)."""
    async with aiohttp.ClientSession(base_url=fake.url) as session:
        yield session
