"""Create Message's ``nonce`` with ``enforce_nonce``: a repeat within the window returns the first message."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]
Clock = Callable[[], float]

# Discord refuses a longer nonce with 400 / 50035.
MAX_NONCE = 25


def nonce_problem(body: JSON) -> str | None:
    """What is wrong with the body's nonce, as a 50035 form problem, or None."""
    nonce = body.get("nonce")
    if nonce is None:
        return None
    if not isinstance(nonce, str | int) or isinstance(nonce, bool):
        return "nonce: must be a string or an integer"
    if len(str(nonce)) > MAX_NONCE:
        return f"nonce: must be {MAX_NONCE} or fewer in length"
    return None


def enforced_nonce(body: JSON) -> str | None:
    """The nonce Discord must check for uniqueness (only with ``enforce_nonce: true``), or None."""
    nonce = body.get("nonce")
    return str(nonce) if nonce is not None and body.get("enforce_nonce") is True else None


@dataclass
class NonceBook:
    """Which message each enforced nonce created, for ``window`` seconds ("the past few minutes").

    Discord scopes a nonce to its author; the fake has one author, the bot, so a nonce is global here.
    """

    window: float = 300.0
    clock: Clock = time.perf_counter
    _seen: dict[str, tuple[float, int]] = field(default_factory=dict)

    def first(self, nonce: str) -> int | None:
        """The id of the message this nonce created within the window, or None."""
        seen = self._seen.get(nonce)
        if seen is None or self.clock() - seen[0] > self.window:
            return None
        return seen[1]

    def remember(self, nonce: str, message_id: int) -> None:
        """Record that this nonce created this message, now."""
        self._seen[nonce] = (self.clock(), message_id)
