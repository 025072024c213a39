"""Autocomplete for bank options: matches ids and titles, case-insensitively."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.client import QuizBot

MAX_AUTOCOMPLETE_CHOICES = 25  # Discord shows at most 25 autocomplete choices (and refuses more)


async def bank_autocomplete(interaction: discord.Interaction[QuizBot], current: str) -> list[app_commands.Choice[str]]:
    """Banks this server can play whose id or title contains what the user typed."""
    needle = current.casefold().strip()
    library = interaction.client.library
    banks = library.visible(interaction.guild_id) if interaction.guild_id is not None else list(library)
    choices = [
        app_commands.Choice(name=f"{bank.title} ({len(bank.questions)} questions)"[:100], value=bank.id)
        for bank in banks
        if needle in bank.id.casefold() or needle in bank.title.casefold()
    ]
    return choices[:MAX_AUTOCOMPLETE_CHOICES]
