"""What the bot needs in a channel to run a round there, and which of it a channel denies."""

from __future__ import annotations

import discord

# With the names Discord's settings use, so a moderator can find them.
NEEDED_PERMISSIONS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
}


def missing_permissions(channel: discord.abc.GuildChannel | discord.Thread, me: discord.Member) -> list[str]:
    """The permissions the bot lacks in a channel to run a round there."""
    granted = channel.permissions_for(me)
    return [label for name, label in NEEDED_PERMISSIONS.items() if not getattr(granted, name)]
