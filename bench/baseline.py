"""The bare discord.py bot the targets are measured against: it acknowledges every click and does nothing else."""

from __future__ import annotations

import discord


class BaselineBot(discord.Client):
    """A plain ``discord.Client`` that answers each interaction with an ephemeral "ok"."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents(guilds=True))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Acknowledge at once, the least any bot must do with a click."""
        await interaction.response.send_message("ok", ephemeral=True)
