"""Autocomplete for IANA time zone options, matched case-insensitively anywhere in the name."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from discord import app_commands

from bot.exts._common.autocomplete import MAX_AUTOCOMPLETE_CHOICES

if TYPE_CHECKING:
    import discord

    from bot.client import QuizBot


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name tzdata knows, sorted (read once: it scans the tzdata package)."""
    return tuple(sorted(available_timezones()))


def matching_zones(current: str) -> list[str]:
    """Zone names containing ``current`` (spaces read as underscores), those starting with it first."""
    needle = current.casefold().strip().replace(" ", "_")
    found = [name for name in zone_names() if needle in name.casefold()]
    found.sort(key=lambda name: not name.casefold().startswith(needle) and f"/{needle}" not in name.casefold())
    return found[:MAX_AUTOCOMPLETE_CHOICES]


async def zone_autocomplete(interaction: discord.Interaction[QuizBot], current: str) -> list[app_commands.Choice[str]]:
    """Time zones whose name contains what the user typed, e.g. ``berl`` → ``Europe/Berlin``."""
    return [app_commands.Choice(name=name, value=name) for name in matching_zones(current)]
