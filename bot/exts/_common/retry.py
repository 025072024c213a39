"""Discord calls that a rate limit (429) should delay, not fail."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import discord

log = logging.getLogger(__name__)

T = TypeVar("T")
RATE_LIMITED = 429
SEND_ATTEMPTS = 4


async def with_retry(action: Callable[[], Awaitable[T]]) -> T:
    """Run a Discord call, retrying a 429 after the time Discord asks for (or a short backoff)."""
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await action()
        except discord.HTTPException as error:
            if error.status != RATE_LIMITED or attempt == SEND_ATTEMPTS:
                raise
            retry_after = float(getattr(error, "retry_after", 0) or 0.5 * attempt)
            log.warning("Rate limited (429); retrying in %.2f s", retry_after)
            await asyncio.sleep(retry_after)
    raise AssertionError("unreachable")
