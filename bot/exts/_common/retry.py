"""Discord calls that a rate limit (429) or a passing server error (5xx, lost connection) should delay, not fail."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
import discord

log = logging.getLogger(__name__)

T = TypeVar("T")
RATE_LIMITED = 429
SEND_ATTEMPTS = 4
# Seconds before the second, third... attempt after a server error: discord.py retries 500, 502 and 504 itself
# (for about 15 s) but raises a 503 or a dropped connection at once.
BACKOFF = (1.0, 2.0, 4.0)
# What a Discord call can raise about Discord or the way to it (anything else is a bug of ours).
DISCORD_ERRORS = (discord.HTTPException, aiohttp.ClientError, TimeoutError, ConnectionError)


def transient(error: BaseException) -> bool:
    """Whether trying the same call again later may succeed: a rate limit, a server error, a network failure."""
    if isinstance(error, discord.HTTPException):
        return error.status == RATE_LIMITED or error.status >= 500
    return isinstance(error, aiohttp.ClientError | TimeoutError | ConnectionError)


async def with_retry(
    action: Callable[[], Awaitable[T]], *, what: str = "Discord call", server_errors: bool = True
) -> T:
    """Run a Discord call, retrying a 429 after the time Discord asks for and a 5xx or lost connection with backoff.

    ``server_errors`` False retries rate limits only, for calls that must not hold up what follows them.
    """
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await action()
        except DISCORD_ERRORS as error:
            limited = isinstance(error, discord.HTTPException) and error.status == RATE_LIMITED
            if not transient(error) or attempt == SEND_ATTEMPTS or not (limited or server_errors):
                raise
            if limited:
                delay = float(getattr(error, "retry_after", 0) or 0.5 * attempt)
                log.warning("%s rate limited (429); retry %d in %.2f s", what, attempt, delay)
            else:
                delay = BACKOFF[min(attempt, len(BACKOFF)) - 1]
                log.warning("%s failed (%s); retry %d in %.1f s", what, _describe(error), attempt, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


def _describe(error: BaseException) -> str:
    if isinstance(error, discord.HTTPException):
        return f"{error.status} {error.code or ''}".strip()
    return type(error).__name__
