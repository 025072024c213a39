"""Where a round's messages go: the starting interaction's webhook while it lasts, else the channel.

Discord's global limit of 50 requests a second binds channel messages but not interaction
follow-ups or their edits. A round started with ``/quiz start`` therefore posts and closes its
questions through that interaction's webhook, so two hundred rounds closing at once are not
queued behind one another; after the token's 15 minutes, or for rounds started without an
interaction (schedules, restarts), it falls back to the channel.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

import discord

if TYPE_CHECKING:
    from bot.client import Clock

log = logging.getLogger(__name__)

# Discord's interaction tokens last 15 minutes; stop using one a little before it expires.
TOKEN_LIFETIME = timedelta(minutes=15)
TOKEN_MARGIN = timedelta(seconds=60)


class Outlet(Protocol):
    """Sends and edits a round's messages."""

    async def send(self, *, embed: discord.Embed, view: discord.ui.View | None = None) -> int:
        """Post a message; returns its id."""
        ...

    async def edit_view(self, message_id: int, view: discord.ui.View) -> None:
        """Replace the buttons of a message the round posted."""
        ...


class ChannelOutlet:
    """Messages through the channel's REST routes (subject to the global rate limit)."""

    def __init__(self, channel: discord.PartialMessageable) -> None:
        self.channel = channel

    async def send(self, *, embed: discord.Embed, view: discord.ui.View | None = None) -> int:
        """Post a message in the channel."""
        if view is None:
            message = await self.channel.send(embed=embed)
        else:
            message = await self.channel.send(embed=embed, view=view)
        return message.id

    async def edit_view(self, message_id: int, view: discord.ui.View) -> None:
        """Edit a message's buttons through the channel."""
        await self.channel.get_partial_message(message_id).edit(view=view)


class InteractionOutlet:
    """Messages as follow-ups of the interaction that started the round, while its token is valid."""

    def __init__(self, interaction: discord.Interaction[discord.Client], fallback: ChannelOutlet, clock: Clock) -> None:
        self.webhook = interaction.followup
        self.fallback = fallback
        self.clock = clock
        self.expires = interaction.created_at + TOKEN_LIFETIME - TOKEN_MARGIN
        self.sent: set[int] = set()

    def _usable(self) -> bool:
        return self.clock() < self.expires

    async def send(self, *, embed: discord.Embed, view: discord.ui.View | None = None) -> int:
        """Post a follow-up, or a channel message once the token is too old."""
        if not self._usable():
            return await self.fallback.send(embed=embed, view=view)
        if view is None:
            message = await self.webhook.send(embed=embed, wait=True)
        else:
            message = await self.webhook.send(embed=embed, view=view, wait=True)
        self.sent.add(message.id)
        return message.id

    async def edit_view(self, message_id: int, view: discord.ui.View) -> None:
        """Edit through the webhook if it posted the message and is still valid, else through the channel."""
        if message_id in self.sent and self._usable():
            await self.webhook.edit_message(message_id, view=view)
        else:
            await self.fallback.edit_view(message_id, view)
