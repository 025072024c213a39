"""The report form: a reason to choose and an optional short note."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.db import repos
from bot.exts._common.replies import FAILED, describe_error, reply
from bot.exts._common.text import inline_code
from bot.quiz import Question
from bot.reports import REASONS
from bot.reports.service import NOTE_LENGTH

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

THANKS = "Thanks: your report went to this server's bank authors."


class ReportForm(discord.ui.Modal):
    """Why the question is wrong, and a note for the authors."""

    def __init__(self, question: Question, bank_version: int | str) -> None:
        super().__init__(title="Report this question")
        self.question = question
        self.bank_version = bank_version
        self.reason: discord.ui.Select[ReportForm] = discord.ui.Select(
            custom_id="report:reason",
            options=[discord.SelectOption(label=label, value=value) for value, label in REASONS.items()],
        )
        self.note: discord.ui.TextInput[ReportForm] = discord.ui.TextInput(
            custom_id="report:note",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=NOTE_LENGTH,
            placeholder="What should it say? (optional)",
        )
        self.add_item(discord.ui.Label(text="What's wrong with it?", component=self.reason))
        self.add_item(discord.ui.Label(text="A note for the authors", component=self.note))

    async def on_submit(self, interaction: discord.Interaction[QuizBot]) -> None:  # type: ignore[override]
        """Store the report (refusals are worded by the tree's table), thank the player, warn authors of a hold."""
        assert interaction.guild_id is not None
        filed = await interaction.client.reports.file(
            guild_id=interaction.guild_id,
            user_id=interaction.user.id,
            question=self.question,
            bank_version=self.bank_version,
            reason=self.reason.values[0] if self.reason.values else "",
            note=self.note.value or "",
        )
        await reply(interaction, THANKS)
        if filed.held_now:
            await _tell_authors(interaction, self.question)

    async def on_error(self, interaction: discord.Interaction[QuizBot], error: Exception) -> None:  # type: ignore[override]
        """Word a refusal (too many reports) as commands do; anything else is a bug, logged."""
        message = describe_error(error)
        if message is None:
            log.error("Report form failed", exc_info=error)
            message = FAILED
        await reply(interaction, message)


async def _tell_authors(interaction: discord.Interaction[QuizBot], question: Question) -> None:
    """Say in the channel that the question now sits out rounds, pinging the author role if there is one."""
    assert interaction.guild_id is not None
    async with interaction.client.sessions.begin() as session:
        settings = await repos.get_guild_settings(session, interaction.guild_id)
    who = f"<@&{settings.author_role_id}>" if settings.author_role_id else "Bank authors"
    text = (
        f"⚠️ {who}: question {inline_code(question.id)} of {inline_code(question.bank_id)} now sits out rounds: "
        f"{settings.report_hold_back} players reported a wrong answer. See `/quiz bank reports`."
    )
    roles = [discord.Object(settings.author_role_id)] if settings.author_role_id else False
    try:
        await interaction.followup.send(text, allowed_mentions=discord.AllowedMentions(roles=roles))
    except discord.HTTPException:
        log.warning("Could not tell the authors of guild %s about a held-back question", interaction.guild_id)
