"""Where a round's messages go: the starting interaction's webhook while it lasts, else the channel.

Discord's global limit of 50 requests a second binds channel messages but not interaction
follow-ups or their edits. A round started with ``/quiz start`` therefore posts and closes its
questions through that interaction's webhook, so two hundred rounds closing at once are not
queued behind one another; after the token's 15 minutes, or for rounds started without an
interaction (schedules, restarts), it falls back to the channel. It also moves to the channel for good,
at once, when Discord says the token is no longer valid (401 ``50027 Invalid Webhook Token``, or the
webhook is unknown), or when the webhook keeps failing with server errors: a round outlives its webhook.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.exts._common.retry import DISCORD_ERRORS, RATE_LIMITED, transient

if TYPE_CHECKING:
    from bot.client import Clock

log = logging.getLogger(__name__)

# Discord's interaction tokens last 15 minutes; stop using one a little before it expires.
TOKEN_LIFETIME = timedelta(minutes=15)
TOKEN_MARGIN = timedelta(seconds=60)
# Discord's answers meaning the interaction's webhook will never work again.
INVALID_WEBHOOK_TOKEN = 50027
UNKNOWN_WEBHOOK = 10015
TOKEN_DEAD_STATUSES = (401, 404)
# Consecutive server errors (after discord.py's own retries) after which the webhook is given up for the channel.
WEBHOOK_FAILURES = 2


class Outlet(Protocol):
    """Sends and edits a round's messages."""

    async def send(self, *, embed: discord.Embed, view: discord.ui.View | None = None, nonce: str | None = None) -> int:
        """Post a message; returns its id. With a ``nonce``, a channel post sent again returns the first message."""
        ...

    async def edit_view(self, message_id: int, view: discord.ui.View) -> None:
        """Replace the buttons of a message the round posted."""
        ...


class ChannelOutlet:
    """Messages through the channel's REST routes (subject to the global rate limit)."""

    def __init__(self, channel: discord.PartialMessageable) -> None:
        self.channel = channel

    async def send(self, *, embed: discord.Embed, view: discord.ui.View | None = None, nonce: str | None = None) -> int:
        """Post a message in the channel (with ``enforce_nonce`` when given a nonce)."""
        options: dict[str, Any] = {"embed": embed}
        if view is not None:
            options["view"] = view
        if nonce is not None:
            options["nonce"] = nonce
        message = await self.channel.send(**options)
        return message.id

    async def edit_view(self, message_id: int, view: discord.ui.View) -> None:
        """Edit a message's buttons through the channel."""
        await self.channel.get_partial_message(message_id).edit(view=view)


def webhook_dead(error: discord.HTTPException) -> bool:
    """Whether an error from an interaction webhook means its token is no longer usable."""
    return error.code in (INVALID_WEBHOOK_TOKEN, UNKNOWN_WEBHOOK) or error.status in TOKEN_DEAD_STATUSES


class InteractionOutlet:
    """Messages as follow-ups of the interaction that started the round, while its token is valid."""

    def __init__(self, interaction: discord.Interaction[discord.Client], fallback: ChannelOutlet, clock: Clock) -> None:
        self.webhook = interaction.followup
        self.fallback = fallback
        self.clock = clock
        self.expires = interaction.created_at + TOKEN_LIFETIME - TOKEN_MARGIN
        self.sent: set[int] = set()
        self.abandoned = False
        self._failures = 0

    def _usable(self) -> bool:
        return not self.abandoned and self.clock() < self.expires

    def _failed(self, error: BaseException) -> bool:
        """Count a webhook failure; True once the outlet has moved to the channel because of it."""
        if isinstance(error, discord.HTTPException) and webhook_dead(error):
            reason = f"{error.status} {error.code}"
        elif transient(error) and not (isinstance(error, discord.HTTPException) and error.status == RATE_LIMITED):
            self._failures += 1
            if self._failures < WEBHOOK_FAILURES:
                log.warning("Interaction webhook failed (%s); retrying", error)
                return False
            reason = f"{self._failures} failures in a row"
        else:
            return False
        self.abandoned = True
        log.warning("Interaction webhook unusable (%s); the round goes on through the channel", reason)
        return True

    async def send(self, *, embed: discord.Embed, view: discord.ui.View | None = None, nonce: str | None = None) -> int:
        """Post a follow-up, or a channel message once the token is too old or the webhook is unusable.

        Follow-ups take no nonce (Discord's Execute Webhook has none): only channel posts use it.
        """
        if not self._usable():
            return await self.fallback.send(embed=embed, view=view, nonce=nonce)
        try:
            if view is None:
                message = await self.webhook.send(embed=embed, wait=True)
            else:
                message = await self.webhook.send(embed=embed, view=view, wait=True)
        except DISCORD_ERRORS as error:
            if not self._failed(error):
                raise
            return await self.fallback.send(embed=embed, view=view, nonce=nonce)
        self._failures = 0
        self.sent.add(message.id)
        return message.id

    async def edit_view(self, message_id: int, view: discord.ui.View) -> None:
        """Edit through the webhook if it posted the message and is still valid, else through the channel."""
        if message_id not in self.sent or not self._usable():
            await self.fallback.edit_view(message_id, view)
            return
        try:
            await self.webhook.edit_message(message_id, view=view)
        except DISCORD_ERRORS as error:
            if not self._failed(error):
                raise
            await self.fallback.edit_view(message_id, view)
        else:
            self._failures = 0
