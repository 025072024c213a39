"""Create Message nonces: with enforce_nonce a repeat returns the first message, and the fake counts duplicates."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest

from bench.fakediscord import FakeDiscord
from tests.bench.conftest import BareClient


def text_channel(fake: FakeDiscord, client: BareClient) -> discord.TextChannel:
    """The first channel of the first guild, as discord.py sees it."""
    channel = client.get_channel(fake.guilds[0].channel_ids[0])
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_repeated_nonce_returns_the_first_message_and_posts_nothing(
    fake: FakeDiscord, client: BareClient, http: aiohttp.ClientSession
) -> None:
    """discord.py's send(nonce=...) sets enforce_nonce; the second send gets the first message back."""
    channel = text_channel(fake, client)
    first = await channel.send("Round 7 starts now", nonce="round-7-start")
    again = await channel.send("Round 7 starts now", nonce="round-7-start")
    assert again.id == first.id
    assert first.nonce == "round-7-start"
    assert [e.message_id for e in fake.events if e.op == "create"] == [first.id]
    async with http.get("/_control/stats") as r:
        stats = await r.json()
    assert (stats["messages_created"], stats["nonce_replays"]) == (1, 1)
    async with http.get("/_control/duplicates") as r:
        assert await r.json() == {"route": "POST /channels/{channel_id}/messages", "count": 0, "groups": []}


async def test_a_nonce_is_forgotten_after_its_window(fake: FakeDiscord, client: BareClient) -> None:
    """Past the window the same nonce creates a new message (Discord keeps nonces for a few minutes only)."""
    fake.nonces.window = 0.05
    channel = text_channel(fake, client)
    first = await channel.send("hello", nonce="n-1")
    await asyncio.sleep(0.1)
    second = await channel.send("hello", nonce="n-1")
    assert second.id != first.id


async def test_without_enforce_nonce_a_repeat_is_a_second_message_and_counted_as_duplicate(
    fake: FakeDiscord, http: aiohttp.ClientSession
) -> None:
    """A nonce alone is only echoed; the second post is a duplicate the control API lists."""
    channel_id = fake.guilds[0].channel_ids[0]
    ids = []
    for _ in range(2):
        async with http.post(
            f"{fake.api_base}/channels/{channel_id}/messages", json={"content": "Round 1", "nonce": "x"}
        ) as r:
            assert r.status == 200
            ids.append(int((await r.json())["id"]))
    assert ids[0] != ids[1]
    async with http.get("/_control/duplicates") as r:
        duplicates = await r.json()
    assert (duplicates["count"], duplicates["groups"]) == (1, [ids])


async def test_different_text_in_a_channel_is_no_duplicate(fake: FakeDiscord, http: aiohttp.ClientSession) -> None:
    """Only what a reader sees counts: other content, or the same content in another channel, is no duplicate."""
    first, second = fake.guilds[0].channel_ids
    for channel_id, content in ((first, "a"), (first, "b"), (second, "a")):
        async with http.post(f"{fake.api_base}/channels/{channel_id}/messages", json={"content": content}) as r:
            assert r.status == 200
    async with http.get("/_control/duplicates") as r:
        assert (await r.json())["groups"] == []


async def test_a_nonce_over_25_characters_is_invalid_form_body(fake: FakeDiscord, client: BareClient) -> None:
    """Discord refuses a nonce longer than 25 characters with 50035; nothing is posted."""
    with pytest.raises(discord.HTTPException) as caught:
        await text_channel(fake, client).send("hi", nonce="x" * 26)
    assert caught.value.status == 400 and caught.value.code == 50035
    assert fake.messages == {}
