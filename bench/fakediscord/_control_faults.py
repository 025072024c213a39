"""The control API's fault endpoints: put fault rules in force, list them with their hits, take them out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bench.fakediscord._faults import FaultRule
from bench.fakediscord._http import json_response

if TYPE_CHECKING:
    from bench.fakediscord.server import FakeDiscord

JSON = dict[str, Any]

# The fields of a rule a driver sets, with their types (the rest are the fake's bookkeeping).
RULE_KEYS: dict[str, type[int] | type[float] | type[str]] = {
    "method": str,
    "path": str,
    "status": int,
    "code": int,
    "message": str,
    "times": int,
    "seconds": float,
    "retry_after": float,
    "scope": str,
    "apply": str,
    "skip": int,
}


def rule_from_json(body: JSON) -> FaultRule:
    """A FaultRule from a request body; unknown keys, missing ones and bad values raise ValueError naming them."""
    if unknown := sorted(set(body) - set(RULE_KEYS)):
        raise ValueError(f"unknown keys {unknown}; known: {sorted(RULE_KEYS)}")
    if missing := [key for key in ("method", "path", "status") if key not in body]:
        raise ValueError(f"missing keys {missing}")
    values = {key: None if value is None else RULE_KEYS[key](value) for key, value in body.items()}
    return FaultRule(**values)  # type: ignore[arg-type]


def add_fault_routes(app: web.Application, fake: FakeDiscord) -> None:
    """Register ``/_control/faults`` (POST adds a rule, GET lists rules and hits, DELETE removes)."""

    async def add(request: web.Request) -> web.Response:
        try:
            rule = fake.faults.add(rule_from_json(await request.json()))
        except (TypeError, ValueError) as exc:
            return json_response(400, {"error": str(exc)}, {})
        return json_response(200, rule.to_json(fake.clock()), {})

    async def listing(request: web.Request) -> web.Response:
        return json_response(200, fake.faults.to_json(), {})

    async def remove(request: web.Request) -> web.Response:
        rule_id = request.query.get("id")
        return json_response(200, {"removed": fake.faults.remove(None if rule_id is None else int(rule_id))}, {})

    app.router.add_post("/_control/faults", add)
    app.router.add_get("/_control/faults", listing)
    app.router.add_delete("/_control/faults", remove)
