"""Fault injection: chosen routes answer Discord's errors, and the real discord.py client sees each as it would."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest

from bench.fakediscord import FakeDiscord, FaultRule
from bench.fakediscord._faults import compile_path
from tests.bench.conftest import BareClient

CHANNEL_POST = "/channels/{id}/messages"


def text_channel(fake: FakeDiscord, client: BareClient, index: int = 0) -> discord.TextChannel:
    """A channel of the first guild, as discord.py sees it."""
    channel = client.get_channel(fake.guilds[0].channel_ids[index])
    assert isinstance(channel, discord.TextChannel)
    return channel


async def answered(fake: FakeDiscord, client: BareClient, handler: object) -> list[BaseException]:
    """Dispatch one click to ``handler`` and return the errors it raised once it has finished."""
    finished = asyncio.Event()

    async def run(interaction: discord.Interaction) -> None:
        try:
            await handler(interaction)  # type: ignore[operator]
        finally:
            finished.set()

    client.handler = run
    guild = fake.guilds[0]
    await fake.dispatch_interaction(guild.id, guild.channel_ids[0], 77)
    await asyncio.wait_for(finished.wait(), 5)
    return client.errors


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("/channels/{id}/messages", "/channels/123/messages", True),
        ("/channels/{id}/messages", "/channels/123/messages/456", False),
        ("/channels/123/messages", "/channels/124/messages", False),
        ("/api/v10/channels/{id}/messages", "/channels/123/messages", True),
        ("/webhooks/{app}/{token}", "/webhooks/1/abc", True),
        ("/webhooks/{app}/{token}", "/webhooks/1/abc/messages/@original", False),
        ("/webhooks/.../messages/...", "/webhooks/1/abc/messages/@original", True),
        ("/webhooks/.../messages/...", "/webhooks/1/abc/messages/99", True),
        ("/webhooks/.../messages/...", "/webhooks/1/abc", False),
        ("/interactions/{id}/{token}/callback", "/interactions/5/tok/callback", True),
        ("/channels/*/messages", "/channels/9/messages", True),
    ],
)
def test_path_patterns(pattern: str, path: str, hit: bool) -> None:
    """``{name}`` is one segment, ``...`` one or more, ``*`` part of one; the /api/v10 prefix is optional."""
    assert bool(compile_path(pattern).match(path)) is hit


async def test_503_on_channel_post_reaches_discord_py_and_posts_nothing(fake: FakeDiscord, client: BareClient) -> None:
    """discord.py does not retry a 503: send() raises DiscordServerError; the next request goes through."""
    fake.faults.add(FaultRule("POST", CHANNEL_POST, 503, times=1))
    channel = text_channel(fake, client)
    with pytest.raises(discord.DiscordServerError) as caught:
        await channel.send("question 1")
    assert caught.value.status == 503
    assert fake.messages == {}
    message = await channel.send("question 1")
    assert list(fake.messages) == [message.id]
    assert [(h.status, h.path) for h in fake.faults.hits] == [(503, f"/channels/{channel.id}/messages")]


async def test_500_is_retried_by_discord_py(fake: FakeDiscord, client: BareClient) -> None:
    """discord.py retries a 500 after a second; the message is posted once."""
    fake.faults.add(FaultRule("POST", CHANNEL_POST, 500, times=1))
    message = await text_channel(fake, client).send("after a retry")
    assert list(fake.messages) == [message.id]
    assert len(fake.faults.hits) == 1
    assert fake.tally.statuses[500] == 1


@pytest.mark.parametrize("scope", ["user", "global"])
async def test_429_is_waited_out_and_retried(fake: FakeDiscord, client: BareClient, scope: str) -> None:
    """An injected 429 (retry_after, Via, rate-limit headers) is slept on and retried, per route or globally."""
    fake.faults.add(FaultRule("POST", CHANNEL_POST, 429, times=2, retry_after=0.05, scope=scope))
    message = await text_channel(fake, client).send("eventually")
    assert list(fake.messages) == [message.id]
    assert [h.status for h in fake.faults.hits] == [429, 429]


async def test_only_the_chosen_channel_fails(fake: FakeDiscord, client: BareClient) -> None:
    """A rule naming one channel's id leaves the other channels alone."""
    broken = text_channel(fake, client, 0)
    fake.faults.add(FaultRule("POST", f"/channels/{broken.id}/messages", 503))
    await text_channel(fake, client, 1).send("fine")
    with pytest.raises(discord.DiscordServerError):
        await broken.send("not fine")


async def test_401_invalid_webhook_token_on_a_follow_up(fake: FakeDiscord, client: BareClient) -> None:
    """A follow-up answered 401 / 50027 raises HTTPException with that code."""
    fake.faults.add(FaultRule("POST", "/webhooks/{app}/{token}", 401, code=50027))

    async def handler(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.followup.send("standings")

    [error] = await answered(fake, client, handler)
    assert isinstance(error, discord.HTTPException)
    assert (error.status, error.code, error.text) == (401, 50027, "Invalid Webhook Token")


async def test_401_invalid_webhook_token_on_an_edit_of_the_original(fake: FakeDiscord, client: BareClient) -> None:
    """Editing the original response through the webhook gets 50027 too, with ``...`` in the path."""
    fake.faults.add(FaultRule("PATCH", "/webhooks/.../messages/...", 401, code=50027))

    async def handler(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("question")
        await interaction.edit_original_response(content="closed")

    [error] = await answered(fake, client, handler)
    assert isinstance(error, discord.HTTPException) and error.code == 50027
    [message] = fake.messages.values()
    assert message["content"] == "question"


async def test_unknown_interaction_on_the_callback(fake: FakeDiscord, client: BareClient) -> None:
    """A callback answered 404 / 10062 raises NotFound; the interaction stays unacknowledged."""
    fake.faults.add(FaultRule("POST", "/interactions/{id}/{token}/callback", 404, code=10062))

    async def handler(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Locked in")

    [error] = await answered(fake, client, handler)
    assert isinstance(error, discord.NotFound) and error.code == 10062
    assert all(r.acked_at is None for r in fake.interactions.values())


async def test_a_fault_for_some_seconds_then_the_route_recovers(fake: FakeDiscord, http: aiohttp.ClientSession) -> None:
    """A rule with ``seconds`` answers every request until it runs out, then none."""
    fake.faults.add(FaultRule("*", CHANNEL_POST, 503, seconds=0.15))
    url = f"{fake.api_base}/channels/{fake.guilds[0].channel_ids[0]}/messages"
    statuses = []
    for _ in range(3):
        async with http.post(url, json={"content": "x"}) as r:
            statuses.append(r.status)
    await asyncio.sleep(0.2)
    async with http.post(url, json={"content": "x"}) as r:
        statuses.append(r.status)
    assert statuses == [503, 503, 503, 200]
    assert not fake.faults.rules[0].live(fake.clock())


async def test_a_lost_answer_after_the_post_and_a_nonce_find_the_message(fake: FakeDiscord, client: BareClient) -> None:
    """``apply: after``: Discord posted but its answer was lost; resending with the nonce returns that message."""
    fake.faults.add(FaultRule("POST", CHANNEL_POST, 503, times=1, apply="after"))
    channel = text_channel(fake, client)
    with pytest.raises(discord.DiscordServerError):
        await channel.send("question 3", nonce="round-1-q-3")
    [posted] = fake.messages
    found = await channel.send("question 3", nonce="round-1-q-3")
    assert found.id == posted
    assert len(fake.messages) == 1


async def test_control_api_adds_lists_and_removes_faults(fake: FakeDiscord, http: aiohttp.ClientSession) -> None:
    """POST /_control/faults puts a rule in force, GET lists it with its hits, DELETE takes it out."""
    async with http.post("/_control/faults", json={"method": "GET", "path": "/users/@me", "status": 502}) as r:
        assert r.status == 200
        rule = await r.json()
    assert (rule["id"], rule["status"], rule["live"], rule["message"]) == (1, 502, True, "502: Bad Gateway")
    async with http.get(f"{fake.api_base}/users/@me") as r:
        assert r.status == 502
        assert await r.json() == {"code": 0, "message": "502: Bad Gateway"}
    async with http.get("/_control/faults") as r:
        listing = await r.json()
    assert listing["rules"][0]["hits"] == 1
    assert [(h["rule_id"], h["path"], h["status"]) for h in listing["hits"]] == [(1, "/users/@me", 502)]
    async with http.delete("/_control/faults", params={"id": "1"}) as r:
        assert await r.json() == {"removed": 1}
    async with http.get(f"{fake.api_base}/users/@me") as r:
        assert r.status == 200


@pytest.mark.parametrize(
    "body",
    [
        {"method": "POST", "path": "/x", "status": 503, "colour": "red"},
        {"method": "POST", "status": 503},
        {"method": "POST", "path": "/x", "status": 200},
        {"method": "POST", "path": "/x", "status": 503, "apply": "during"},
        {"method": "POST", "path": "/x", "status": 503, "times": 0},
        {"method": "POST", "path": "/x", "status": 429, "scope": "everyone"},
    ],
)
async def test_control_api_refuses_a_bad_rule(
    fake: FakeDiscord, http: aiohttp.ClientSession, body: dict[str, object]
) -> None:
    """Unknown or missing keys and impossible values are a 400 naming the problem; no rule is added."""
    async with http.post("/_control/faults", json=body) as r:
        assert r.status == 400
        assert (await r.json())["error"]
    assert fake.faults.rules == []
