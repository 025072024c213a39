"""``/quiz practice``: a solo round in private messages that does not count on the leaderboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.db import repos
from bot.exts._common.autocomplete import bank_autocomplete
from bot.exts._common.checks import guild_only
from bot.exts.practice._view import NOT_COUNTED, PracticeView

if TYPE_CHECKING:
    from bot.client import QuizBot

NAME = "practice"


def build_command() -> app_commands.Command[Any, ..., None]:
    """A fresh ``/quiz practice`` command."""

    @app_commands.command(name=NAME, description="Practise on your own: a private round that doesn't count.")
    @app_commands.describe(
        bank="The question bank to practise (default: all banks).",
        questions="How many questions (default 5).",
    )
    @app_commands.autocomplete(bank=bank_autocomplete)
    @guild_only()
    async def practice(
        interaction: discord.Interaction[QuizBot],
        bank: str | None = None,
        questions: app_commands.Range[int, 1, 20] = 5,
    ) -> None:
        """Only you see this round. Every answer is explained with the article's passage."""
        bot = interaction.client
        assert interaction.guild is not None
        guild_id = interaction.guild.id
        banks = [bot.library.playable(bank, guild_id)] if bank else bot.library.visible(guild_id)
        async with bot.sessions.begin() as session:
            seconds = (await repos.get_guild_settings(session, interaction.guild.id)).default_seconds
        count = min(questions, sum(len(b.questions) for b in banks))
        view = PracticeView(bot, interaction.user.id, interaction.user.display_name, banks, count, seconds)
        embed = view.first_question()
        await interaction.response.send_message(
            content=NOT_COUNTED, embed=embed, view=view, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
        view.shown_by(interaction)

    return practice


async def setup(bot: QuizBot) -> None:
    """Add ``/quiz practice``."""
    bot.quiz_group.add_command(build_command())


async def teardown(bot: QuizBot) -> None:
    """Remove ``/quiz practice``."""
    bot.quiz_group.remove_command(NAME)
