"""The bare discord.py bot the targets are measured against: it acknowledges every click and does nothing else."""

from __future__ import annotations

import discord


class AcknowledgeEveryClick:
    """Answer each interaction with an ephemeral "ok", the least any bot must do with a click."""

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Acknowledge at once."""
        await interaction.response.send_message("ok", ephemeral=True)


class BaselineBot(AcknowledgeEveryClick, discord.Client):
    """A plain ``discord.Client`` that acknowledges every click."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents(guilds=True))


class ShardedBaselineBot(AcknowledgeEveryClick, discord.AutoShardedClient):
    """The same bare bot on ``shard_ids`` of ``shard_count`` shards, one of several processes."""

    def __init__(self, shard_count: int, shard_ids: list[int]) -> None:
        super().__init__(intents=discord.Intents(guilds=True), shard_count=shard_count, shard_ids=shard_ids)
