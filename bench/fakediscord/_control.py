"""The control API under ``/_control``: the benchmark driver, in another process, steers and reads the fake."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bench.fakediscord._control_faults import add_fault_routes
from bench.fakediscord._http import json_response
from bench.fakediscord._ratelimit import DEFAULT_LIMITS
from bench.fakediscord._records import duplicate_posts

if TYPE_CHECKING:
    from bench.fakediscord.server import FakeConfig, FakeDiscord

JSON = dict[str, Any]
ControlHandler = Callable[[web.Request], Awaitable[web.Response]]

# What ``reset`` accepts: FakeConfig's fields a driver may set, with their types.
CONFIG_KEYS: dict[str, type[int] | type[float]] = {
    "guilds": int,
    "channels_per_guild": int,
    "ack_deadline": float,
    "global_limit": int,
    "shard_count": int,
    "max_concurrency": int,
    "identify_window": float,
    "session_start_total": int,
    "session_reset_after": float,
    "nonce_window": float,
}
CHANNEL_POST = "POST /channels/{channel_id}/messages"


def reply(body: Any, status: int = 200) -> web.Response:
    """A JSON answer."""
    return json_response(status, body, {})


def config_from_json(body: JSON) -> FakeConfig:
    """A FakeConfig from a reset body; unknown keys and bad values raise ValueError naming them."""
    from bench.fakediscord.server import FakeConfig

    if unknown := sorted(set(body) - set(CONFIG_KEYS)):
        raise ValueError(f"unknown keys {unknown}; known: {sorted(CONFIG_KEYS)}")
    values = {key: CONFIG_KEYS[key](value) for key, value in body.items()}
    for key in ("guilds", "channels_per_guild", "shard_count", "max_concurrency"):
        if key in values and values[key] < 1:
            raise ValueError(f"{key} must be at least 1, not {values[key]}")
    return FakeConfig(limits=dict(DEFAULT_LIMITS), **values)  # type: ignore[arg-type]


def _conflict_without_owner(handler: ControlHandler) -> ControlHandler:
    """Answer 409 when no connected gateway session owns the guild an event is for."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except ConnectionError as exc:
            return reply({"error": str(exc)}, 409)

    return wrapped


def add_control_routes(app: web.Application, fake: FakeDiscord) -> None:
    """Register the control endpoints for this fake on the app."""

    async def reset(request: web.Request) -> web.Response:
        body: JSON = await request.json() if request.can_read_body else {}
        try:
            config = config_from_json(body)
        except (TypeError, ValueError) as exc:
            return reply({"error": str(exc)}, 400)
        await fake.gateway.close_all()
        fake.reset(config)
        return await world(request)

    async def world(request: web.Request) -> web.Response:
        return reply(
            {
                "application_id": fake.application_id,
                "identified": fake.gateway.ready.is_set(),
                "shard_count": fake.config.shard_count,
                "sessions": [s.to_json() for s in fake.gateway.sessions.values()],
                "guilds": [{"id": g.id, "channel_ids": g.channel_ids} for g in fake.guilds],
                "now": fake.clock(),
            }
        )

    async def burst(request: web.Request) -> web.Response:
        body = await request.json()
        clicks = [
            (int(g), int(c), int(u), str(cid), None if m is None else int(m)) for g, c, u, cid, m in body["clicks"]
        ]
        fake.burst(clicks, float(body.get("spread_s", 0.0)))
        return reply({"scheduled": len(clicks)})

    @_conflict_without_owner
    async def dispatch(request: web.Request) -> web.Response:
        body = await request.json()
        message_id = body.get("message_id")
        interaction_id = await fake.dispatch_interaction(
            int(body["guild_id"]),
            int(body["channel_id"]),
            int(body["user_id"]),
            kind=str(body.get("kind", "component")),
            custom_id=str(body.get("custom_id", "answer:0")),
            message_id=None if message_id is None else int(message_id),
            data=body.get("data"),
            every_session=bool(body.get("every_session", False)),
        )
        return reply({"id": interaction_id, "sessions": fake.interactions[interaction_id].sessions})

    @_conflict_without_owner
    async def event(request: web.Request) -> web.Response:
        body = await request.json()
        guild_id = body.get("guild_id")
        sessions = await fake.dispatch_event(
            str(body["event"]),
            body.get("data") or {},
            None if guild_id is None else int(guild_id),
            every_session=bool(body.get("every_session", False)),
        )
        return reply({"sessions": sessions})

    async def identifies(request: web.Request) -> web.Response:
        return reply(fake.identify_gate.to_json())

    async def commands(request: web.Request) -> web.Response:
        return reply(fake.commands)

    async def stats(request: web.Request) -> web.Response:
        records = list(fake.interactions.values())
        return reply(
            {
                "tally": fake.tally.to_json(),
                "interactions": {
                    "dispatched": len(records),
                    "acked": sum(r.acked_at is not None for r in records),
                    "refused": sum(len(r.refusals) for r in records),
                },
                "messages": len(fake.messages),
                "messages_created": fake.tally.messages["created"],
                "nonce_replays": fake.tally.messages["nonce_replays"],
                "identify_violations": len(fake.identify_gate.violations),
                "fault_hits": len(fake.faults.hits),
                "events": len(fake.events),
            }
        )

    async def duplicates(request: web.Request) -> web.Response:
        route = request.query.get("route", CHANNEL_POST)
        groups = duplicate_posts(fake.events, route)
        return reply({"route": route, "count": sum(len(g) - 1 for g in groups), "groups": groups})

    async def interactions(request: web.Request) -> web.Response:
        return reply([r.to_json() for r in fake.interactions.values()])

    async def events(request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        return reply([e.to_json() for e in fake.events[since:]])

    async def messages(request: web.Request) -> web.Response:
        return reply(list(fake.messages.values()))

    app.router.add_post("/_control/reset", reset)
    app.router.add_get("/_control/world", world)
    app.router.add_post("/_control/burst", burst)
    app.router.add_post("/_control/dispatch", dispatch)
    app.router.add_post("/_control/event", event)
    app.router.add_get("/_control/identifies", identifies)
    app.router.add_get("/_control/commands", commands)
    app.router.add_get("/_control/stats", stats)
    app.router.add_get("/_control/duplicates", duplicates)
    app.router.add_get("/_control/interactions", interactions)
    app.router.add_get("/_control/events", events)
    app.router.add_get("/_control/messages", messages)
    add_fault_routes(app, fake)
