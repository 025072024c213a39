"""Builders for the JSON objects Discord sends: users, guilds, channels, members, messages, interactions."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000
# Every permission bit a bot could need; the fake does not model permission checks.
ALL_PERMISSIONS = str((1 << 50) - 1)


class Snowflakes:
    """Snowflakes that are unique, increasing and carry a plausible creation time."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def next(self) -> int:
        """A fresh snowflake."""
        return self.at(int(time.time() * 1000))

    def at(self, unix_ms: int) -> int:
        """A fresh snowflake created at ``unix_ms`` (Unix time in milliseconds).

        Guilds made a millisecond apart land on consecutive shards (``(id >> 22) % shard_count``), so a world
        of N guilds spreads evenly over any shard count instead of piling onto the shard of one millisecond.
        """
        return ((unix_ms - DISCORD_EPOCH_MS) << 22) | (next(self._counter) & 0x3FFFFF)


def iso_now() -> str:
    """The current time as Discord writes timestamps."""
    return datetime.now(UTC).isoformat()


def user(user_id: int, name: str, *, bot: bool = False) -> JSON:
    """A user object."""
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "flags": 0,
        "public_flags": 0,
    }


def member(user_payload: JSON, *, roles: list[str] | None = None) -> JSON:
    """A guild member object wrapping a user."""
    return {
        "user": user_payload,
        "nick": None,
        "avatar": None,
        "roles": roles or [],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "permissions": ALL_PERMISSIONS,
    }


def text_channel(channel_id: int, guild_id: int, name: str, position: int) -> JSON:
    """A guild text channel."""
    return {
        "id": str(channel_id),
        "guild_id": str(guild_id),
        "type": 0,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "parent_id": None,
        "flags": 0,
    }


def guild(guild_id: int, name: str, owner_id: int, channels: list[JSON], members: list[JSON]) -> JSON:
    """A full GUILD_CREATE payload: the @everyone role, the channels, and the members given."""
    everyone = {
        "id": str(guild_id),
        "name": "@everyone",
        "permissions": ALL_PERMISSIONS,
        "position": 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    return {
        "id": str(guild_id),
        "name": name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": "en-US",
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "application_id": None,
        "widget_enabled": False,
        "max_members": 500_000,
        "features": [],
        "emojis": [],
        "stickers": [],
        "roles": [everyone],
        "channels": channels,
        "threads": [],
        "members": members,
        "member_count": len(members),
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "large": False,
        "unavailable": False,
        "joined_at": "2024-01-01T00:00:00+00:00",
    }


def message(
    message_id: int,
    channel_id: int,
    guild_id: int | None,
    author: JSON,
    body: JSON,
    *,
    message_type: int = 0,
    interaction_id: int | None = None,
) -> JSON:
    """A message object built from the fields a bot sends (content, embeds, components, flags)."""
    payload: JSON = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": body.get("content") or "",
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": list(body.get("embeds") or []),
        "components": list(body.get("components") or []),
        "pinned": False,
        "type": message_type,
        "flags": int(body.get("flags") or 0),
    }
    if body.get("nonce") is not None:
        payload["nonce"] = body["nonce"]
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
    if interaction_id is not None:
        payload["interaction_metadata"] = {"id": str(interaction_id), "type": 3, "user": author}
    return payload


def edit_message(stored: JSON, body: JSON) -> JSON:
    """The stored message with the edited fields replaced, as Discord returns it from a PATCH."""
    for key in ("content", "embeds", "components", "flags"):
        if key in body and body[key] is not None:
            stored[key] = body[key]
    stored["edited_timestamp"] = iso_now()
    return stored


def interaction(
    *,
    interaction_id: int,
    token: str,
    application_id: int,
    kind: str,
    guild_id: int,
    channel: JSON,
    member_payload: JSON,
    data: JSON,
    message_payload: JSON | None,
) -> JSON:
    """An INTERACTION_CREATE payload for a component click (type 3) or a slash command (type 2)."""
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": 3 if kind == "component" else 2,
        "data": data,
        "guild_id": str(guild_id),
        "channel_id": channel["id"],
        "channel": channel,
        "member": member_payload,
        "token": token,
        "version": 1,
        "app_permissions": ALL_PERMISSIONS,
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild_id)},
        "context": 0,
        "attachment_size_limit": 10_485_760,
    }
    if message_payload is not None:
        payload["message"] = message_payload
    return payload
