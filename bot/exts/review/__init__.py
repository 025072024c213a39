"""``/quiz review``: a private round of the questions you missed, when FSRS says they are due.

Cards are made as questions close (rounds) or are answered (practice, review); see docs/review.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands

from bot.db import repos
from bot.exts._common.checks import guild_only
from bot.exts._common.feature import Feature
from bot.exts._common.replies import reply
from bot.exts._common.text import plural
from bot.exts.review._view import NOT_COUNTED, ReviewView
from bot.quiz import round_rules
from bot.review.service import REVIEW_SIZE

if TYPE_CHECKING:
    from bot.client import QuizBot

NAME = "review"
OFF = "Review is off: your cards were deleted and no new ones are made. `/quiz review on` turns it back on."
ON = "Review is on: questions you answer from now on become cards again."
IS_OFF = "You turned review off here. `/quiz review on` turns it back on."
NO_CARDS = "You have no cards yet: every question you answer in a round or in practice becomes one."


def nothing_due(cards: int, next_due: Any) -> str:
    """The reply when no card is due: when the next one is, and how many the player has."""
    when = f"Your next card is due {discord.utils.format_dt(next_due, 'R')}" if next_due else "Nothing is scheduled"
    return f"Nothing to review right now. {when}; you have {plural(cards, 'card')}."


def build_command() -> app_commands.Command[Any, ..., None]:
    """A fresh ``/quiz review`` command."""

    @app_commands.command(name=NAME, description="Review the questions you missed, when they are due.")
    @app_commands.describe(switch="Leave out to review; off deletes your cards and stops making them; on resumes.")
    @guild_only()
    async def review(interaction: discord.Interaction[QuizBot], switch: Literal["off", "on"] | None = None) -> None:
        """A private round of your due cards (at most 10): the oldest due first, each explained with its passage."""
        bot = interaction.client
        assert interaction.guild is not None
        guild_id, user_id = interaction.guild.id, interaction.user.id
        if switch == "off":
            deleted = await bot.reviews.set_opted_out(guild_id, user_id, True)
            await reply(interaction, f"{OFF} ({plural(deleted, 'card')} deleted.)")
            return
        if switch == "on":
            await bot.reviews.set_opted_out(guild_id, user_id, False)
            await reply(interaction, ON)
            return
        if await bot.reviews.is_opted_out(guild_id, user_id):
            await reply(interaction, IS_OFF)
            return
        due = await bot.reviews.due(guild_id, user_id, REVIEW_SIZE)
        if not due:
            summary = await bot.reviews.summary(guild_id, user_id)
            await reply(interaction, nothing_due(summary.cards, summary.next_due) if summary.cards else NO_CARDS)
            return
        async with bot.sessions.begin() as session:
            settings = await repos.get_guild_settings(session, guild_id)
        banks = {card.question.bank_id: bot.library.get(card.question.bank_id, guild_id) for card in due}
        rules = round_rules(
            list(banks.values()),
            questions=len(due),
            seconds=None,
            default_questions=settings.default_questions,
            default_seconds=settings.default_seconds,
        )
        view = ReviewView(bot, guild_id, user_id, interaction.user.display_name, due, rules)
        await interaction.response.send_message(
            content=NOT_COUNTED,
            embed=view.first_question(),
            view=view,
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    return review


class Review(Feature):
    """``/quiz review``."""

    def __init__(self, bot: QuizBot) -> None:
        super().__init__(bot, [build_command()])


async def setup(bot: QuizBot) -> None:
    """Load the review feature."""
    await bot.add_cog(Review(bot))
