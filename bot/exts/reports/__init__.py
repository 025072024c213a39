"""Players report questions from any reveal; authors work the queue with ``/quiz bank reports``.

The Report button of a channel reveal is found by its custom_id (``button.REPORT_ID``); the play
feature only renders it. ``/quiz bank reports`` joins the ``/quiz bank`` group while both are loaded.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.db.models import ReportStatus
from bot.exts._common.authors import author_only
from bot.exts._common.autocomplete import bank_autocomplete
from bot.exts._common.checks import guild_only
from bot.exts._common.feature import Feature
from bot.exts._common.replies import reply
from bot.exts._common.text import MESSAGE_CONTENT, inline_code, join_within
from bot.exts.reports._queue import QueueView
from bot.exts.reports.button import REPORT_ID, open_round_report
from bot.reports import reason_label

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

BANK_GROUP = "bank"
NO_REPORTS = "You haven't reported any question here. Every reveal has a 🚩 Report button."


def build_command() -> app_commands.Command[Any, ..., None]:
    """A fresh ``/quiz bank reports`` command."""

    @app_commands.command(name="reports", description="Authors: the questions players reported, most reports first.")
    @app_commands.describe(bank="Only this bank's reports (default: every bank).")
    @app_commands.autocomplete(bank=bank_autocomplete)
    @guild_only()
    @author_only()
    async def reports(interaction: discord.Interaction[QuizBot], bank: str | None = None) -> None:
        """Authors: the reported questions with reasons and notes; resolve or dismiss each."""
        assert interaction.guild_id is not None
        view = QueueView(interaction.client, owner_id=interaction.user.id, guild_id=interaction.guild_id, bank_id=bank)
        embed = await view.render()
        await interaction.response.send_message(
            embed=embed, view=view, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )

    return reports


#: What became of a report, as its player reads it.
OUTCOMES = {
    ReportStatus.OPEN.value: "open",
    ReportStatus.RESOLVED.value: "✅ resolved by an author",
    ReportStatus.DISMISSED.value: "dismissed: the authors think the question is right",
    ReportStatus.FIXED.value: "✅ fixed in a new version of the bank",
}


def build_mine_command() -> app_commands.Command[Any, ..., None]:
    """A fresh ``/quiz reports`` command."""

    @app_commands.command(name="reports", description="The questions you reported here, and what became of them.")
    @guild_only()
    async def my_reports(interaction: discord.Interaction[QuizBot]) -> None:
        """Your latest reports (the 🚩 button on reveals) and whether authors resolved, dismissed or fixed them."""
        assert interaction.guild_id is not None
        found = await interaction.client.reports.mine(interaction.guild_id, interaction.user.id)
        if not found:
            await reply(interaction, NO_REPORTS)
            return
        lines = [
            f"{inline_code(r.report.bank_id)} · {inline_code(r.report.question_id)} · {reason_label(r.report.reason)}: "
            f"{OUTCOMES.get(r.status, r.status)}"
            for r in found
        ]
        await reply(interaction, join_within(lines, MESSAGE_CONTENT))

    return my_reports


class Reports(Feature):
    """The Report button's clicks, ``/quiz reports`` for players and ``/quiz bank reports`` for authors."""

    def __init__(self, bot: QuizBot) -> None:
        super().__init__(bot, [build_mine_command()])
        self.command = build_command()

    def _bank_group(self) -> app_commands.Group | None:
        group = self.bot.quiz_group.get_command(BANK_GROUP)
        return group if isinstance(group, app_commands.Group) else None

    async def feature_load(self) -> None:
        """Join ``/quiz bank`` (the authoring feature's group), which loads first."""
        group = self._bank_group()
        if group is None:
            log.warning("No /quiz %s group: /quiz %s reports is not available", BANK_GROUP, BANK_GROUP)
            return
        group.add_command(self.command)

    async def feature_unload(self) -> None:
        """Leave ``/quiz bank``."""
        group = self._bank_group()
        if group is not None:
            group.remove_command(self.command.name)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Report clicks on channel reveals, from messages old or new."""
        if interaction.type is not discord.InteractionType.component or interaction.data is None:
            return
        match = REPORT_ID.fullmatch(str(interaction.data.get("custom_id", "")))
        if match is not None:
            await open_round_report(interaction, int(match["q"]))


async def setup(bot: QuizBot) -> None:
    """Load the reports feature."""
    await bot.add_cog(Reports(bot))
