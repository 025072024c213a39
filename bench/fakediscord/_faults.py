"""Fault injection: chosen routes answer a chosen status and Discord error body, for N requests or T seconds."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.fakediscord._http import Reply

JSON = dict[str, Any]
Clock = Callable[[], float]

# Discord's own wording for the codes a fault is likely to carry; any other code needs a ``message``.
CODE_MESSAGES: dict[int, str] = {
    10003: "Unknown Channel",
    10008: "Unknown Message",
    10015: "Unknown Webhook",
    10062: "Unknown interaction",
    40060: "Interaction has already been acknowledged.",
    50001: "Missing Access",
    50013: "Missing Permissions",
    50027: "Invalid Webhook Token",
}
STATUS_MESSAGES: dict[int, str] = {
    401: "401: Unauthorized",
    403: "403: Forbidden",
    404: "404: Not Found",
    429: "You are being rate limited.",
    500: "500: Internal Server Error",
    502: "502: Bad Gateway",
    503: "503: Service Unavailable",
    504: "504: Gateway Timeout",
}
BEFORE, AFTER = "before", "after"
# X-RateLimit-Scope of a 429: the bot's own bucket, the global limit, or a resource shared with others.
SCOPES = ("user", "global", "shared")


def compile_path(pattern: str) -> re.Pattern[str]:
    """A path pattern as a regex: ``{name}`` is one segment, ``*`` part of one, ``...`` one or more segments.

    ``/channels/{id}/messages``, ``/webhooks/.../messages/...``, ``/channels/123/messages``; a leading
    ``/api/v10`` is ignored, since the fake matches the path after it.
    """
    pattern = re.sub(r"^/api/v\d+", "", pattern.strip()) or "/"
    parts = []
    for segment in pattern.strip("/").split("/"):
        if segment == "...":
            parts.append(".+")
        elif re.fullmatch(r"\{\w*\}", segment):
            parts.append("[^/]+")
        else:
            parts.append("[^/]*".join(re.escape(piece) for piece in segment.split("*")))
    return re.compile("^/" + "/".join(parts) + "$")


@dataclass
class FaultRule:
    """Answer ``status`` (with Discord's error body) to requests matching ``method`` and ``path``.

    It lasts for ``times`` requests, or ``seconds`` after it was added, whichever ends first (neither: until
    removed). ``apply`` "before" refuses the request (nothing happens, as with a real 5xx or 429);
    "after" lets it take effect and then answers the fault, as when Discord's answer is lost on the way.
    A 429 carries ``retry_after`` and Discord's rate-limit headers; ``scope`` "global" makes it a global one.
    ``skip`` lets that many matching requests through first (to fail, say, the second post on a route).
    """

    method: str
    path: str
    status: int
    code: int = 0
    message: str = ""
    times: int | None = None
    seconds: float | None = None
    retry_after: float = 1.0
    scope: str = "user"
    apply: str = BEFORE
    skip: int = 0
    id: int = 0
    added_at: float = 0.0
    hits: int = 0
    _regex: re.Pattern[str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        if self.apply not in (BEFORE, AFTER):
            raise ValueError(f"apply must be {BEFORE!r} or {AFTER!r}, not {self.apply!r}")
        if not 400 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP error status (400-599), not {self.status}")
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}, not {self.scope!r}")
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1, not {self.times}")
        self.message = self.message or CODE_MESSAGES.get(self.code) or STATUS_MESSAGES.get(self.status, "Error")
        self._regex = compile_path(self.path)

    def live(self, now: float) -> bool:
        """Whether the rule still applies."""
        if self.times is not None and self.hits >= self.times:
            return False
        return self.seconds is None or now - self.added_at < self.seconds

    def matches(self, method: str, path: str) -> bool:
        """Whether a request is one this rule targets."""
        assert self._regex is not None
        return self.method in ("*", method) and self._regex.match(path) is not None

    def reply(self, bucket_hash: str | None) -> Reply:
        """The answer: Discord's error body, and for a 429 its rate-limit headers."""
        if self.status != 429:
            return Reply(self.status, {"code": self.code, "message": self.message})
        retry = round(self.retry_after, 3)
        headers = {
            "Retry-After": str(math.ceil(retry)),
            "X-RateLimit-Limit": "1",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": f"{retry:.3f}",
            "X-RateLimit-Reset": f"{time.time() + retry:.3f}",
            "X-RateLimit-Scope": self.scope,
            # discord.py treats a 429 without Via as a Cloudflare ban and gives up.
            "Via": "1.1 google",
        }
        if bucket_hash is not None:
            headers["X-RateLimit-Bucket"] = bucket_hash
        if self.scope == "global":
            headers["X-RateLimit-Global"] = "true"
        body = {"message": self.message, "retry_after": retry, "global": self.scope == "global"}
        if self.code:
            body["code"] = self.code
        return Reply(429, body, headers)

    def to_json(self, now: float) -> JSON:
        """A JSON-safe dict, with whether it is still live."""
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data["live"] = self.live(now)
        return data


@dataclass
class FaultHit:
    """One request a fault rule answered."""

    at: float
    rule_id: int
    method: str
    path: str
    status: int
    code: int

    def to_json(self) -> JSON:
        """A JSON-safe dict."""
        return asdict(self)


@dataclass
class FaultBook:
    """The fault rules in force and every request they answered, in order."""

    clock: Clock = time.perf_counter
    rules: list[FaultRule] = field(default_factory=list)
    hits: list[FaultHit] = field(default_factory=list)
    _next_id: int = 1

    def add(self, rule: FaultRule) -> FaultRule:
        """Put a rule in force from now; rules added earlier win when several match."""
        rule.id = self._next_id
        rule.added_at = self.clock()
        self._next_id += 1
        self.rules.append(rule)
        return rule

    def take(self, method: str, path: str) -> FaultRule | None:
        """The first live rule matching this request, counted as a hit, or None."""
        now = self.clock()
        for rule in self.rules:
            if rule.live(now) and rule.matches(method, path):
                if rule.skip > 0:
                    rule.skip -= 1
                    continue
                rule.hits += 1
                self.hits.append(FaultHit(now, rule.id, method, path, rule.status, rule.code))
                return rule
        return None

    def remove(self, rule_id: int | None = None) -> int:
        """Take one rule (or every rule) out of force; the hits stay on record. Returns how many were removed."""
        kept = [r for r in self.rules if rule_id is not None and r.id != rule_id]
        removed = len(self.rules) - len(kept)
        self.rules = kept
        return removed

    def to_json(self) -> JSON:
        """Every rule (live or spent) and every hit."""
        now = self.clock()
        return {"rules": [r.to_json(now) for r in self.rules], "hits": [h.to_json() for h in self.hits]}
