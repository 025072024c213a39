"""``/quiz stats``: one player's record in this server."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.db import repos
from bot.exts._common.checks import guild_only
from bot.exts._common.replies import reply
from bot.exts._common.text import EMBED_FIELD_VALUE, EMBED_TITLE, join_within, player_name, truncate
from bot.exts.stats._tags import MIN_ANSWERS, TagRecord, strongest_and_weakest, tag_records

if TYPE_CHECKING:
    from bot.banks.library import BankLibrary
    from bot.client import QuizBot
    from bot.review.service import ReviewSummary

COLOUR = discord.Colour.blurple()
NOT_ENOUGH = f"Not enough answers yet (a topic counts after {MIN_ANSWERS} answers)."


def tag_lines(records: Sequence[TagRecord]) -> str:
    """A field value listing tags with their accuracy, or the "not enough answers" note."""
    if not records:
        return NOT_ENOUGH
    lines = [f"{discord.utils.escape_markdown(r.tag)} · {r.accuracy:.0%} ({r.correct}/{r.answered})" for r in records]
    return join_within(lines, EMBED_FIELD_VALUE)


def stats_embed(
    name: str, stats: repos.PlayerStats, players: int, library: BankLibrary, guild_id: int | None = None
) -> discord.Embed:
    """The player's record as an embed; ``name`` is already escaped."""
    embed = discord.Embed(title=truncate(f"Stats · {name}", EMBED_TITLE), colour=COLOUR)
    embed.add_field(name="Points", value=f"{stats.points:,}")
    embed.add_field(name="Rank", value=f"#{stats.rank:,} of {players:,}")
    embed.add_field(name="Rounds played", value=f"{stats.rounds_played:,}")
    embed.add_field(name="Accuracy", value=f"{stats.accuracy:.0%} ({stats.correct:,} of {stats.answered:,} right)")
    embed.add_field(name="Best streak", value=f"{stats.best_streak:,}")
    embed.add_field(name="Current streak", value=f"{stats.current_streak:,}")
    strongest, weakest = strongest_and_weakest(tag_records(stats.per_question, library, guild_id))
    embed.add_field(name="Strongest topics", value=tag_lines(strongest), inline=False)
    embed.add_field(name="Weakest topics", value=tag_lines(weakest), inline=False)
    if stats.last_played_at is not None:
        embed.set_footer(text="Last scored")
        embed.timestamp = stats.last_played_at
    return embed


def review_line(summary: ReviewSummary) -> str:
    """Cards due and retention, for the player's own stats."""
    if not summary.cards:
        return "🧠 Review cards: none yet; missed questions come back in `/quiz review`."
    retention = "not measured yet" if summary.retention is None else f"{summary.retention:.0%}"
    return f"🧠 Review cards: {summary.due:,} due of {summary.cards:,} · retention {retention} · `/quiz review`"


def no_stats_message(name: str, *, yourself: bool) -> str:
    """What to say about a member who has never had an answer scored here."""
    if yourself:
        return (
            "You haven't answered any questions in this server yet. Join the next round and your stats will show here!"
        )
    return f"**{name}** hasn't answered any questions in this server yet."


def build_commands() -> list[app_commands.Command[Any, ..., None]]:
    """Fresh command objects for one bot."""

    @app_commands.command(name="stats", description="A player's points, rank, accuracy, streaks and best topics.")
    @app_commands.describe(member="Whose stats to show; yours if you leave it out")
    @guild_only()
    async def stats(interaction: discord.Interaction[QuizBot], member: discord.Member | None = None) -> None:
        """Show a player's record in this server."""
        assert interaction.guild is not None  # guild_only
        target = member or interaction.user
        name = player_name(target.display_name, target.id)
        async with interaction.client.sessions.begin() as session:
            record = await repos.player_stats(session, interaction.guild.id, target.id)
            players = await repos.count_players(session, interaction.guild.id) if record is not None else 0
        if record is None:
            await reply(interaction, no_stats_message(name, yourself=target.id == interaction.user.id))
            return
        embed = stats_embed(name, record, players, interaction.client.library, interaction.guild_id)
        embed.set_thumbnail(url=target.display_avatar.url)
        if target.id == interaction.user.id:
            # Review cards are the player's own business: shown only to them.
            summary = await interaction.client.reviews.summary(interaction.guild.id, target.id)
            embed.description = review_line(summary)
        # Ephemeral: a personal lookup, not something to fill the channel with.
        await reply(interaction, embed=embed)

    return [stats]
