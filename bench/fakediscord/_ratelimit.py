"""Discord's rate limits: the global 50 requests per second, and per-route buckets keyed on a major resource."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]


@dataclass(frozen=True)
class Limit:
    """``requests`` per ``per`` seconds."""

    requests: int
    per: float


# Values close to what Discord announces for these routes; the bot must read the headers, never assume them.
DEFAULT_LIMITS: dict[str, Limit] = {
    "channel_message_create": Limit(5, 5.0),
    "channel_message_edit": Limit(5, 5.0),
    "channel_message_delete": Limit(5, 1.0),
    "channel": Limit(5, 1.0),
    "interaction_callback": Limit(5, 1.0),
    "webhook": Limit(5, 2.0),
    "commands": Limit(10, 20.0),
    "default": Limit(10, 1.0),
}


@dataclass
class Verdict:
    """Whether a request may proceed, with the headers to answer with either way."""

    allowed: bool
    headers: dict[str, str]
    retry_after: float = 0.0
    scope: str = ""


@dataclass
class _Window:
    remaining: int
    resets_at: float


@dataclass
class GlobalLimiter:
    """A fixed one-second window of ``limit`` requests, shared by every non-exempt route."""

    limit: int = 50
    window: float = 1.0
    clock: Clock = time.monotonic
    _started: float = field(default=-math.inf)
    _count: int = 0

    def check(self) -> Verdict:
        """Count one request, or refuse it with a global 429."""
        now = self.clock()
        if now - self._started >= self.window:
            self._started = now
            self._count = 0
        if self._count >= self.limit:
            retry = round(self._started + self.window - now, 3)
            headers = {
                "X-RateLimit-Global": "true",
                "X-RateLimit-Scope": "global",
                "Retry-After": str(math.ceil(retry)),
            }
            return Verdict(False, headers, retry, "global")
        self._count += 1
        return Verdict(True, {})


@dataclass
class RouteLimiter:
    """Per-route buckets: one window per (bucket name, major parameter), announced in ``X-RateLimit-*`` headers."""

    limits: dict[str, Limit] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    clock: Clock = time.monotonic
    _windows: dict[tuple[str, str], _Window] = field(default_factory=dict)

    @staticmethod
    def bucket_hash(name: str) -> str:
        """A stable opaque hash per bucket name, as Discord's ``X-RateLimit-Bucket``."""
        return hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:16]

    def check(self, name: str, major: str) -> Verdict:
        """Take one token from the bucket, or refuse with a per-route 429."""
        limit = self.limits.get(name, self.limits["default"])
        now = self.clock()
        window = self._windows.get((name, major))
        if window is None or now >= window.resets_at:
            window = _Window(limit.requests, now + limit.per)
            self._windows[(name, major)] = window
        reset_after = max(window.resets_at - now, 0.0)
        headers = {
            "X-RateLimit-Limit": str(limit.requests),
            "X-RateLimit-Bucket": self.bucket_hash(name),
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        }
        if window.remaining <= 0:
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-RateLimit-Scope"] = "user"
            headers["Retry-After"] = str(math.ceil(reset_after))
            return Verdict(False, headers, round(reset_after, 3), "user")
        window.remaining -= 1
        headers["X-RateLimit-Remaining"] = str(window.remaining)
        return Verdict(True, headers)
