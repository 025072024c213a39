"""Discord's sharding rules: which shard owns a guild, and the gate every IDENTIFY passes (buckets, daily starts)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

JSON = dict[str, Any]
Clock = Callable[[], float]

# What the fake answers a rejected IDENTIFY with: Discord answers an identify over the concurrency limit with
# INVALID_SESSION (op 9, not resumable), and resets the token of a bot over its daily session starts, so the
# next connection fails authentication (close 4004). A shard outside its count gets close 4010.
INVALID_SESSION = "invalid_session"
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_INVALID_SHARD = 4010


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard that receives a guild's events: ``(guild_id >> 22) % shard_count``; DMs (no guild) go to 0."""
    return 0 if guild_id is None else (guild_id >> 22) % shard_count


@dataclass
class Identify:
    """One IDENTIFY the fake received: its shard, its bucket, and when (the fake's clock)."""

    at: float
    shard: tuple[int, int]
    bucket: int

    def to_json(self) -> JSON:
        """A JSON-safe dict."""
        return {"at": self.at, "shard": list(self.shard), "bucket": self.bucket}


@dataclass
class Violation(Identify):
    """An IDENTIFY the fake rejected: which rule it broke, why, and how the fake answered it."""

    rule: str = ""
    detail: str = ""
    answer: str = ""

    def to_json(self) -> JSON:
        """A JSON-safe dict."""
        return {**asdict(self), "shard": list(self.shard)}


@dataclass
class IdentifyGate:
    """Checks each IDENTIFY against the bucket rule and the daily session starts, and remembers every verdict.

    A shard identifies in bucket ``shard_id % max_concurrency``; each bucket allows one identify per ``window``
    seconds (Discord: 5). ``total`` identifies are allowed per ``reset_after`` seconds (Discord: 1,000 a day).
    Only accepted identifies use up the bucket and the daily count.
    """

    max_concurrency: int = 1
    window: float = 5.0
    total: int = 1000
    reset_after: float = 86_400.0
    clock: Clock = time.perf_counter
    accepted: list[Identify] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    _last_in_bucket: dict[int, float] = field(default_factory=dict)
    _period_start: float | None = None
    _used: int = 0

    def _roll_period(self, now: float) -> None:
        if self._period_start is None or now - self._period_start >= self.reset_after:
            self._period_start = now
            self._used = 0

    def check(self, shard_id: int, shard_count: int) -> Violation | None:
        """Admit this IDENTIFY (and count it), or return the violation it is (also recorded)."""
        now = self.clock()
        self._roll_period(now)
        bucket = shard_id % self.max_concurrency
        shard = (shard_id, shard_count)
        violation = None
        if not 0 <= shard_id < shard_count:
            detail = f"shard {shard_id} of {shard_count}"
            violation = Violation(now, shard, bucket, "invalid_shard", detail, f"close {CLOSE_INVALID_SHARD}")
        elif self._used >= self.total:
            detail = f"all {self.total} session starts of this period are used"
            violation = Violation(now, shard, bucket, "daily_total", detail, f"close {CLOSE_AUTHENTICATION_FAILED}")
        elif (last := self._last_in_bucket.get(bucket)) is not None and now - last < self.window:
            detail = f"bucket {bucket} identified {now - last:.3f} s earlier; one identify per {self.window:g} s"
            violation = Violation(now, shard, bucket, "bucket", detail, INVALID_SESSION)
        if violation is not None:
            self.violations.append(violation)
            return violation
        self._last_in_bucket[bucket] = now
        self._used += 1
        self.accepted.append(Identify(now, shard, bucket))
        return None

    def session_start_limit(self) -> JSON:
        """``session_start_limit`` as ``GET /gateway/bot`` gives it (``reset_after`` in milliseconds)."""
        now = self.clock()
        self._roll_period(now)
        started = now if self._period_start is None else self._period_start
        return {
            "total": self.total,
            "remaining": self.total - self._used,
            "reset_after": math.ceil(max(started + self.reset_after - now, 0.0) * 1000),
            "max_concurrency": self.max_concurrency,
        }

    def to_json(self) -> JSON:
        """The limits, every accepted identify and every violation."""
        return {
            "session_start_limit": self.session_start_limit(),
            "window": self.window,
            "identifies": [i.to_json() for i in self.accepted],
            "violations": [v.to_json() for v in self.violations],
        }
