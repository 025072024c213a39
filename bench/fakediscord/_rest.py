"""The REST routes a quiz bot uses, each with its rate-limit bucket, in front of Discord's error rules."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bench.fakediscord import _limits, _nonces, _payloads
from bench.fakediscord._faults import BEFORE, FaultRule
from bench.fakediscord._http import Call, Reply, error, json_response, read_body

if TYPE_CHECKING:
    from bench.fakediscord.server import FakeDiscord

log = logging.getLogger(__name__)

JSON = dict[str, Any]
# Interaction tokens stay valid this long for follow-ups and edits of the original response.
TOKEN_LIFETIME = 15 * 60


Handler = Callable[["FakeDiscord", Call], Awaitable[Reply]]


@dataclass(frozen=True)
class Route:
    """A route template, its bucket (name and major parameter) and whether the global limit spares it."""

    method: str
    template: str
    bucket: str
    major: tuple[str, ...]
    handler: Handler
    global_exempt: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        """The template as an anchored regular expression."""
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", re.escape(self.template).replace(r"\{", "{").replace(r"\}", "}"))
        return re.compile(f"^{regex}$")


# ---- handlers ---------------------------------------------------------------------------------------------------


async def get_me(fake: FakeDiscord, call: Call) -> Reply:
    """GET /users/@me."""
    return Reply(body=fake.bot_user)


async def get_application(fake: FakeDiscord, call: Call) -> Reply:
    """GET /oauth2/applications/@me and /applications/@me."""
    return Reply(
        body={
            "id": str(fake.application_id),
            "name": fake.bot_user["username"],
            "icon": None,
            "description": "",
            "summary": "",
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": _payloads.user(fake.owner_id, "owner"),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": fake.bot_user,
        }
    )


async def get_gateway_bot(fake: FakeDiscord, call: Call) -> Reply:
    """GET /gateway/bot: the gateway's URL, the recommended shard count and the session start limit."""
    return Reply(
        body={
            "url": fake.gateway_url,
            "shards": fake.config.shard_count,
            "session_start_limit": fake.identify_gate.session_start_limit(),
        }
    )


def _scope(call: Call) -> str:
    return call.params.get("guild_id", "global")


async def put_commands(fake: FakeDiscord, call: Call) -> Reply:
    """PUT /applications/{id}/commands and its guild variant: bulk overwrite, echoed back with ids."""
    scope = _scope(call)
    known = {c["name"]: c["id"] for c in fake.commands.get(scope, [])}
    saved = []
    for command in call.body or []:
        entry = {
            "type": 1,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
            **command,
        }
        entry["id"] = known.get(command["name"]) or str(fake.ids.next())
        entry["application_id"] = str(fake.application_id)
        entry["version"] = str(fake.ids.next())
        if scope != "global":
            entry["guild_id"] = scope
        saved.append(entry)
    fake.commands[scope] = saved
    return Reply(body=saved)


async def get_commands(fake: FakeDiscord, call: Call) -> Reply:
    """GET /applications/{id}/commands and its guild variant."""
    return Reply(body=fake.commands.get(_scope(call), []))


async def interaction_callback(fake: FakeDiscord, call: Call) -> Reply:
    """POST /interactions/{id}/{token}/callback: the 3-second deadline, no double acknowledgement, size limits."""
    now = fake.clock()
    record = fake.interactions.get(int(call.params["interaction_id"]))
    if record is None or record.token != call.params["token"]:
        return error(404, 10062, "Unknown interaction")
    if now - record.dispatched_at > fake.config.ack_deadline:
        record.refusals.append(10062)
        return error(404, 10062, "Unknown interaction")
    if record.acked_at is not None:
        record.refusals.append(40060)
        return error(400, 40060, "Interaction has already been acknowledged.")
    body = call.body or {}
    kind = int(body.get("type", 0))
    data = body.get("data") or {}
    if kind in (4, 7) and (problems := _limits.message_problems(data)):
        return Reply(400, _limits.invalid_form_body(problems))
    record.acked_at = now
    record.ack_type = kind
    message = fake.callback_message(record, kind, data)
    if message is None:
        resource: JSON = {"type": kind}
    else:
        record.original_message_id = int(message["id"])
        resource = {"type": kind, "message": message}
    if call.query.get("with_response") not in ("1", "true", "True"):
        return Reply(204)
    flags = int((message or {}).get("flags", 0))
    return Reply(
        body={
            "interaction": {
                "id": str(record.id),
                "type": 3 if record.kind == "component" else 2,
                "response_message_id": message["id"] if message else None,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(flags & 64),
            },
            "resource": resource,
        }
    )


def _live_interaction(fake: FakeDiscord, call: Call) -> Any:
    record = fake.interaction_by_token(call.params["token"])
    if record is None or fake.clock() - record.dispatched_at > TOKEN_LIFETIME:
        return error(404, 10015, "Unknown Webhook")
    if record.acked_at is None:
        return error(404, 10008, "Unknown Message")
    return record


async def original_message(fake: FakeDiscord, call: Call) -> Reply:
    """GET, PATCH and DELETE /webhooks/{app}/{token}/messages/@original."""
    record = _live_interaction(fake, call)
    if isinstance(record, Reply):
        return record
    if record.original_message_id is None or record.original_message_id not in fake.messages:
        return error(404, 10008, "Unknown Message")
    return await _message_op(fake, call, record.original_message_id, record.channel_id)


async def webhook_message(fake: FakeDiscord, call: Call) -> Reply:
    """GET, PATCH and DELETE /webhooks/{app}/{token}/messages/{message_id}."""
    record = _live_interaction(fake, call)
    if isinstance(record, Reply):
        return record
    return await _message_op(fake, call, int(call.params["message_id"]), record.channel_id)


async def follow_up(fake: FakeDiscord, call: Call) -> Reply:
    """POST /webhooks/{app}/{token}: a follow-up message."""
    record = _live_interaction(fake, call)
    if isinstance(record, Reply):
        return record
    body = call.body or {}
    if problems := _limits.message_problems(body):
        return Reply(400, _limits.invalid_form_body(problems))
    message = fake.create_message(record.channel_id, body, call.route, interaction_id=record.id)
    return Reply(body=message) if call.query.get("wait") in ("1", "true", "True") else Reply(204)


async def channel_message_create(fake: FakeDiscord, call: Call) -> Reply:
    """POST /channels/{channel_id}/messages."""
    channel_id = int(call.params["channel_id"])
    if channel_id not in fake.channels:
        return error(404, 10003, "Unknown Channel")
    body = call.body or {}
    problems = _limits.message_problems(body)
    if problem := _nonces.nonce_problem(body):
        problems.append(problem)
    if problems:
        return Reply(400, _limits.invalid_form_body(problems))
    if not (body.get("content") or body.get("embeds") or body.get("components")):
        return error(400, 50006, "Cannot send an empty message")
    nonce = _nonces.enforced_nonce(body)
    if nonce is not None and (first := fake.nonces.first(nonce)) is not None and first in fake.messages:
        # Discord returns the message the nonce already created and posts nothing.
        fake.tally.messages["nonce_replays"] += 1
        return Reply(body=fake.messages[first])
    message = fake.create_message(channel_id, body, call.route)
    if nonce is not None:
        fake.nonces.remember(nonce, int(message["id"]))
    return Reply(body=message)


async def channel_message(fake: FakeDiscord, call: Call) -> Reply:
    """GET, PATCH and DELETE /channels/{channel_id}/messages/{message_id}."""
    return await _message_op(fake, call, int(call.params["message_id"]), int(call.params["channel_id"]))


async def _message_op(fake: FakeDiscord, call: Call, message_id: int, channel_id: int) -> Reply:
    stored = fake.messages.get(message_id)
    if stored is None or int(stored["channel_id"]) != channel_id:
        return error(404, 10008, "Unknown Message")
    method = call.route.split(" ", 1)[0]
    if method == "GET":
        return Reply(body=stored)
    if method == "DELETE":
        fake.delete_message(message_id, call.route)
        return Reply(204)
    body = call.body or {}
    if problems := _limits.message_problems(body):
        return Reply(400, _limits.invalid_form_body(problems))
    return Reply(body=fake.edit_message(message_id, body, call.route))


async def get_channel(fake: FakeDiscord, call: Call) -> Reply:
    """GET /channels/{channel_id}."""
    channel = fake.channels.get(int(call.params["channel_id"]))
    return Reply(body=channel) if channel is not None else error(404, 10003, "Unknown Channel")


async def get_guild(fake: FakeDiscord, call: Call) -> Reply:
    """GET /guilds/{guild_id}."""
    for guild in fake.guilds:
        if guild.id == int(call.params["guild_id"]):
            return Reply(body=fake.guild_payload(guild))
    return error(404, 10004, "Unknown Guild")


ROUTES: tuple[Route, ...] = (
    Route("GET", "/gateway/bot", "default", (), get_gateway_bot),
    Route("GET", "/users/@me", "default", (), get_me),
    Route("GET", "/oauth2/applications/@me", "default", (), get_application),
    Route("GET", "/applications/@me", "default", (), get_application),
    Route("PUT", "/applications/{application_id}/commands", "commands", (), put_commands),
    Route("GET", "/applications/{application_id}/commands", "commands", (), get_commands),
    Route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", "commands", ("guild_id",), put_commands),
    Route("GET", "/applications/{application_id}/guilds/{guild_id}/commands", "commands", ("guild_id",), get_commands),
    Route(
        "POST",
        "/interactions/{interaction_id}/{token}/callback",
        "interaction_callback",
        ("interaction_id", "token"),
        interaction_callback,
        global_exempt=True,
    ),
    *(
        Route(
            method,
            "/webhooks/{application_id}/{token}/messages/@original",
            "webhook",
            ("token",),
            original_message,
            True,
        )
        for method in ("GET", "PATCH", "DELETE")
    ),
    *(
        Route(
            method,
            "/webhooks/{application_id}/{token}/messages/{message_id}",
            "webhook",
            ("token",),
            webhook_message,
            True,
        )
        for method in ("GET", "PATCH", "DELETE")
    ),
    Route("POST", "/webhooks/{application_id}/{token}", "webhook", ("token",), follow_up, global_exempt=True),
    Route("POST", "/channels/{channel_id}/messages", "channel_message_create", ("channel_id",), channel_message_create),
    Route("GET", "/channels/{channel_id}/messages/{message_id}", "channel", ("channel_id",), channel_message),
    Route(
        "PATCH",
        "/channels/{channel_id}/messages/{message_id}",
        "channel_message_edit",
        ("channel_id",),
        channel_message,
    ),
    Route(
        "DELETE",
        "/channels/{channel_id}/messages/{message_id}",
        "channel_message_delete",
        ("channel_id",),
        channel_message,
    ),
    Route("GET", "/channels/{channel_id}", "channel", ("channel_id",), get_channel),
    Route("GET", "/guilds/{guild_id}", "default", ("guild_id",), get_guild),
)
_COMPILED = [(route, route.pattern) for route in ROUTES]


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The route serving this request, with its path parameters."""
    for route, pattern in _COMPILED:
        if route.method == method and (found := pattern.match(path)):
            return route, found.groupdict()
    return None


async def handle(fake: FakeDiscord, request: web.Request) -> web.Response:
    """Route one API request through faults, the global limit, its bucket and its handler, counting everything."""
    path = "/" + request.match_info["tail"]
    found = match(request.method, path)
    fault = fake.faults.take(request.method, path)
    reply = await _serve(fake, request, path, found, fault)
    if fault is not None:
        reply = fault.reply(None if found is None else fake.route_limiter.bucket_hash(found[0].bucket))
    tally = fake.tally
    tally.statuses[reply.status] += 1
    if isinstance(reply.body, dict) and reply.status >= 400 and "code" in reply.body:
        tally.error_codes[int(reply.body["code"])] += 1
    return json_response(reply.status, reply.body, reply.headers)


async def _serve(
    fake: FakeDiscord,
    request: web.Request,
    path: str,
    found: tuple[Route, dict[str, str]] | None,
    fault: FaultRule | None,
) -> Reply:
    """What the fake would answer without the fault (nothing is done when the fault refuses the request)."""
    tally = fake.tally
    if found is None:
        key = f"{request.method} {path}"
        tally.unknown_routes[key] += 1
        if fault is None:
            log.warning("fake Discord has no route for %s: answering 404", key)
        return Reply(404, {"code": 0, "message": "404: Not Found (no such route in the fake)"})
    route, params = found
    name = f"{route.method} {route.template}"
    tally.requests[name] += 1
    if fault is not None and fault.apply == BEFORE:
        return Reply()
    reply, bucket_headers = _apply_limits(fake, route, params)
    if reply is None:
        call = Call(params, dict(request.query), await read_body(request), name)
        reply = await route.handler(fake, call)
        reply.headers.update(bucket_headers)
    return reply


def _apply_limits(fake: FakeDiscord, route: Route, params: dict[str, str]) -> tuple[Reply | None, dict[str, str]]:
    verdict = None if route.global_exempt else fake.global_limiter.check()
    if verdict is None or verdict.allowed:
        verdict = fake.route_limiter.check(route.bucket, "+".join(params[p] for p in route.major))
        if verdict.allowed:
            return None, verdict.headers
    fake.tally.rate_limited[verdict.scope] += 1
    body = {
        "message": "You are being rate limited.",
        "retry_after": verdict.retry_after,
        "global": verdict.scope == "global",
    }
    # discord.py treats a 429 without Via as a Cloudflare ban and gives up.
    return Reply(429, body, {**verdict.headers, "Via": "1.1 google"}), {}
