"""``/quiz practice``: a solo round in private messages that does not count on the leaderboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.exts._common.autocomplete import bank_autocomplete
from bot.exts._common.checks import guild_only
from bot.exts._common.feature import Feature
from bot.exts.practice._view import NOT_COUNTED, PracticeView

if TYPE_CHECKING:
    from bot.client import QuizBot

NAME = "practice"
DEFAULT_QUESTIONS = 5


def build_command() -> app_commands.Command[Any, ..., None]:
    """A fresh ``/quiz practice`` command."""

    @app_commands.command(name=NAME, description="Practise on your own: a private round that doesn't count.")
    @app_commands.describe(
        bank="The question bank to practise (default: all banks).",
        questions=f"How many questions (default {DEFAULT_QUESTIONS}).",
    )
    @app_commands.autocomplete(bank=bank_autocomplete)
    @guild_only()
    async def practice(
        interaction: discord.Interaction[QuizBot],
        bank: str | None = None,
        questions: app_commands.Range[int, 1, 20] = DEFAULT_QUESTIONS,
    ) -> None:
        """Only you see this round. Every answer is explained with the article's passage."""
        bot = interaction.client
        assert interaction.guild is not None
        # No channel: a private round is not limited to the quiz channels, and never blocks one.
        plan = await bot.rounds.plan(
            guild_id=interaction.guild.id,
            channel_id=None,
            started_by=interaction.user.id,
            bank=bank,
            questions=questions,
        )
        view = PracticeView(bot, interaction.user.id, interaction.user.display_name, plan)
        embed = view.first_question()
        await interaction.response.send_message(
            content=NOT_COUNTED, embed=embed, view=view, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
        view.shown_by(interaction)

    return practice


class Practice(Feature):
    """``/quiz practice``."""

    def __init__(self, bot: QuizBot) -> None:
        super().__init__(bot, [build_command()])


async def setup(bot: QuizBot) -> None:
    """Load the practice feature."""
    await bot.add_cog(Practice(bot))
