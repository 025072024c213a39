"""The fake's REST rules: the acknowledgement deadline, no double acknowledgement, size limits, rate limits."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from bench.fakediscord import FakeDiscord
from tests.bench.conftest import BareClient


def api(fake: FakeDiscord, path: str) -> str:
    """The absolute URL of an API path on the fake."""
    return fake.api_base + path


async def click(fake: FakeDiscord) -> tuple[int, str]:
    """Dispatch one click nobody answers; return its id and token."""
    guild = fake.guilds[0]
    interaction_id = await fake.dispatch_interaction(guild.id, guild.channel_ids[0], 99)
    return interaction_id, fake.interactions[interaction_id].token


async def callback(
    http: aiohttp.ClientSession, fake: FakeDiscord, interaction_id: int, token: str, body: dict[str, Any]
) -> aiohttp.ClientResponse:
    """POST the interaction callback with ``with_response``, as discord.py does."""
    url = api(fake, f"/interactions/{interaction_id}/{token}/callback")
    async with http.post(url, json=body, params={"with_response": "1"}) as response:
        await response.read()
        return response


async def test_callback_with_response_returns_interaction_and_resource(
    fake: FakeDiscord, client: BareClient, http: aiohttp.ClientSession
) -> None:
    """A timely callback answers 200 {interaction, resource} with Content-Type exactly application/json."""
    interaction_id, token = await click(fake)
    url = api(fake, f"/interactions/{interaction_id}/{token}/callback")
    async with http.post(
        url, json={"type": 4, "data": {"content": "hi", "flags": 64}}, params={"with_response": "1"}
    ) as r:
        body = await r.json()
        assert r.status == 200
        assert r.headers["Content-Type"] == "application/json"
    assert body["interaction"]["id"] == str(interaction_id)
    assert body["interaction"]["response_message_ephemeral"] is True
    assert body["resource"]["type"] == 4
    assert body["resource"]["message"]["content"] == "hi"


async def test_callback_after_deadline_is_unknown_interaction(
    fake: FakeDiscord, client: BareClient, http: aiohttp.ClientSession
) -> None:
    """After the acknowledgement deadline the callback gets 404 with code 10062 and the click stays unanswered."""
    interaction_id, token = await click(fake)
    await asyncio.sleep(fake.config.ack_deadline + 0.02)
    url = api(fake, f"/interactions/{interaction_id}/{token}/callback")
    async with http.post(url, json={"type": 6}, params={"with_response": "1"}) as r:
        assert r.status == 404
        assert (await r.json())["code"] == 10062
    assert fake.interactions[interaction_id].acked_at is None
    assert fake.tally.error_codes[10062] == 1


async def test_second_acknowledgement_is_refused_with_40060(
    fake: FakeDiscord, client: BareClient, http: aiohttp.ClientSession
) -> None:
    """The first callback is accepted; a second one gets 400 with code 40060 and does not move the ack time."""
    interaction_id, token = await click(fake)
    url = api(fake, f"/interactions/{interaction_id}/{token}/callback")
    async with http.post(url, json={"type": 6}) as first:
        assert first.status == 204
    acked_at = fake.interactions[interaction_id].acked_at
    async with http.post(url, json={"type": 4, "data": {"content": "again"}}) as second:
        assert second.status == 400
        assert (await second.json())["code"] == 40060
    assert fake.interactions[interaction_id].acked_at == acked_at
    assert fake.interactions[interaction_id].refusals == [40060]


def _row(*custom_ids: str, label: str = "A") -> dict[str, Any]:
    return {"type": 1, "components": [{"type": 2, "style": 1, "label": label, "custom_id": c} for c in custom_ids]}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"content": "x" * 2000}, 200),
        ({"content": "x" * 2001}, 400),
        ({"embeds": [{"description": "x" * 4096}]}, 200),
        ({"embeds": [{"description": "x" * 4097}]}, 400),
        ({"embeds": [{"title": "x" * 257}]}, 400),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, 400),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, 400),
        ({"embeds": [{"description": "x" * 3000}, {"description": "y" * 3001}]}, 400),
        ({"embeds": [{"title": "t"}] * 11}, 400),
        ({"content": "q", "components": [_row(f"a{i}") for i in range(6)]}, 400),
        ({"content": "q", "components": [_row(*(f"a{i}" for i in range(6)))]}, 400),
        ({"content": "q", "components": [_row("a", label="x" * 81)]}, 400),
        ({"content": "q", "components": [_row("a", "a")]}, 400),
        ({"content": "q", "components": [_row("x" * 101)]}, 400),
        ({"content": "q", "components": [_row(*(f"r{r}c{c}" for c in range(5))) for r in range(5)]}, 200),
    ],
)
async def test_size_limits_answer_50035(
    fake: FakeDiscord, http: aiohttp.ClientSession, body: dict[str, Any], status: int
) -> None:
    """Bodies over Discord's size limits get 400 with code 50035; bodies at the limits are accepted."""
    channel_id = fake.guilds[0].channel_ids[0]
    async with http.post(api(fake, f"/channels/{channel_id}/messages"), json=body) as r:
        assert r.status == status
        if status == 400:
            assert (await r.json())["code"] == 50035


async def test_oversize_embed_in_a_callback_is_rejected_without_acknowledging(
    fake: FakeDiscord, client: BareClient, http: aiohttp.ClientSession
) -> None:
    """A callback with an oversize embed gets 50035 and the interaction is still unacknowledged."""
    interaction_id, token = await click(fake)
    response = await callback(
        http, fake, interaction_id, token, {"type": 4, "data": {"embeds": [{"title": "x" * 300}]}}
    )
    assert response.status == 400
    assert fake.interactions[interaction_id].acked_at is None


async def test_exhausted_bucket_answers_429_with_discord_headers(
    fake: FakeDiscord, http: aiohttp.ClientSession
) -> None:
    """Each request announces its bucket; past the limit a 429 carries Via, the scope and retry_after."""
    channel_id = fake.guilds[0].channel_ids[1]
    url = api(fake, f"/channels/{channel_id}/messages")
    remaining = []
    for _ in range(2):
        async with http.post(url, json={"content": "hi"}) as r:
            assert r.status == 200
            remaining.append(r.headers["X-RateLimit-Remaining"])
            assert r.headers["X-RateLimit-Limit"] == "2"
            assert r.headers["X-RateLimit-Bucket"]
            assert 0 < float(r.headers["X-RateLimit-Reset-After"]) <= 0.3
    assert remaining == ["1", "0"]
    async with http.post(url, json={"content": "hi"}) as r:
        body = await r.json()
        assert r.status == 429
        assert r.headers["Via"]
        assert r.headers["X-RateLimit-Scope"] == "user"
        assert 0 < body["retry_after"] <= 0.3
        assert body["global"] is False
    # Another channel is another bucket.
    async with http.post(api(fake, f"/channels/{fake.guilds[0].channel_ids[0]}/messages"), json={"content": "hi"}) as r:
        assert r.status == 200
    assert fake.tally.rate_limited["user"] == 1


async def test_global_limit_spares_interaction_callbacks(
    fake: FakeDiscord, client: BareClient, http: aiohttp.ClientSession
) -> None:
    """Past 50 requests in a second the fake answers a global 429, yet interaction callbacks still go through."""
    statuses = []
    for _ in range(fake.config.global_limit + 1):
        async with http.get(api(fake, "/users/@me")) as r:
            statuses.append(r.status)
            global_header = r.headers.get("X-RateLimit-Global")
    assert statuses.count(429) >= 1
    assert global_header == "true"
    interaction_id, token = await click(fake)
    response = await callback(http, fake, interaction_id, token, {"type": 6})
    assert response.status == 200
    assert fake.tally.rate_limited["global"] >= 1


async def test_unknown_route_is_a_counted_404(fake: FakeDiscord, http: aiohttp.ClientSession) -> None:
    """A route the fake does not serve answers 404 and is counted, so gaps in the fake are visible."""
    async with http.get(api(fake, "/guilds/1/audit-logs")) as r:
        assert r.status == 404
    assert fake.tally.unknown_routes["GET /guilds/1/audit-logs"] == 1
