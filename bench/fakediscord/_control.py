"""The control API under ``/_control``: the benchmark driver, in another process, steers and reads the fake."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bench.fakediscord._ratelimit import DEFAULT_LIMITS

if TYPE_CHECKING:
    from bench.fakediscord.server import FakeDiscord

JSON = dict[str, Any]


def _reply(body: Any) -> web.Response:
    return web.Response(body=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


def add_control_routes(app: web.Application, fake: FakeDiscord) -> None:
    """Register the control endpoints for this fake on the app."""
    from bench.fakediscord.server import FakeConfig

    async def reset(request: web.Request) -> web.Response:
        body: JSON = await request.json() if request.can_read_body else {}
        await fake.gateway.close_all()
        fake.reset(
            FakeConfig(
                guilds=int(body.get("guilds", 1)),
                channels_per_guild=int(body.get("channels_per_guild", 1)),
                ack_deadline=float(body.get("ack_deadline", 3.0)),
                global_limit=int(body.get("global_limit", 50)),
                limits=dict(DEFAULT_LIMITS),
            )
        )
        return await world(request)

    async def world(request: web.Request) -> web.Response:
        return _reply(
            {
                "application_id": fake.application_id,
                "identified": fake.gateway.ready.is_set(),
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
        return _reply({"scheduled": len(clicks)})

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
        )
        return _reply({"id": interaction_id})

    async def commands(request: web.Request) -> web.Response:
        return _reply(fake.commands)

    async def stats(request: web.Request) -> web.Response:
        records = list(fake.interactions.values())
        return _reply(
            {
                "tally": fake.tally.to_json(),
                "interactions": {
                    "dispatched": len(records),
                    "acked": sum(r.acked_at is not None for r in records),
                    "refused": sum(len(r.refusals) for r in records),
                },
                "messages": len(fake.messages),
                "events": len(fake.events),
            }
        )

    async def interactions(request: web.Request) -> web.Response:
        return _reply([r.to_json() for r in fake.interactions.values()])

    async def events(request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        return _reply([e.to_json() for e in fake.events[since:]])

    async def messages(request: web.Request) -> web.Response:
        return _reply(list(fake.messages.values()))

    app.router.add_post("/_control/reset", reset)
    app.router.add_get("/_control/world", world)
    app.router.add_post("/_control/burst", burst)
    app.router.add_post("/_control/dispatch", dispatch)
    app.router.add_get("/_control/commands", commands)
    app.router.add_get("/_control/stats", stats)
    app.router.add_get("/_control/interactions", interactions)
    app.router.add_get("/_control/events", events)
    app.router.add_get("/_control/messages", messages)
