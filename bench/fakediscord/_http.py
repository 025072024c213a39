"""The REST plumbing every route shares: a parsed call, a reply, Discord's error body, and the JSON response."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSON = dict[str, Any]


@dataclass
class Call:
    """A parsed request: path parameters, query and JSON body."""

    params: dict[str, str]
    query: dict[str, str]
    body: Any
    route: str


@dataclass
class Reply:
    """What a handler answers; ``body`` None means 204 No Content."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, code: int, message: str, **extra: Any) -> Reply:
    """A Discord error body."""
    return Reply(status, {"code": code, "message": message, **extra})


def json_response(status: int, body: Any, headers: dict[str, str]) -> web.Response:
    """A response whose Content-Type is exactly ``application/json``, as discord.py compares it verbatim."""
    if body is None:
        return web.Response(status=204 if status == 200 else status, headers=headers)
    return web.Response(
        status=status,
        body=json.dumps(body, separators=(",", ":")).encode(),
        headers={**headers, "Content-Type": "application/json"},
    )


async def read_body(request: web.Request) -> Any:
    """The request's JSON body, also from a multipart ``payload_json`` field (sends with files)."""
    if not request.can_read_body:
        return None
    if request.content_type == "multipart/form-data":
        form = await request.post()
        raw = form.get("payload_json")
        return json.loads(raw) if isinstance(raw, str) else None
    return await request.json()
