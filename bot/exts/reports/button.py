"""The Report button every reveal carries (round, practice and review), and the form it opens.

A channel round's reveal is a plain message, so its button is found by custom_id
(``quiz:report:<round question>``) in ``on_interaction``, after restarts too. Practice and review
reveals live in their own in-memory views and add a ``ReportButton`` that knows its question.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord

from bot.exts.reports._form import ReportForm
from bot.quiz import Question

if TYPE_CHECKING:
    from bot.client import QuizBot

REPORT_ID = re.compile(r"quiz:report:(?P<q>\d+)")
LABEL = "Report"
REPORT_ROW = 1
EMOJI = "🚩"


def report_id(round_question_id: int) -> str:
    """The custom_id of a channel reveal's Report button."""
    return f"quiz:report:{round_question_id}"


def report_view(round_question_id: int) -> discord.ui.View:
    """A channel reveal's Report button (clicks are handled by the reports feature, not by this view)."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label=LABEL, emoji=EMOJI, style=discord.ButtonStyle.secondary, custom_id=report_id(round_question_id)
        )
    )
    view.stop()  # rendered only, like the answer buttons: nothing keeps a View per reveal
    return view


class ReportButton(discord.ui.Button[discord.ui.View]):
    """The Report button of a private reveal (practice, review): it knows the question it reports."""

    def __init__(self, question: Question) -> None:
        # A row of its own, under the view's own buttons (Next, See results), which keep their places.
        super().__init__(label=LABEL, emoji=EMOJI, style=discord.ButtonStyle.secondary, row=REPORT_ROW)
        self.question = question

    async def callback(self, interaction: discord.Interaction[QuizBot]) -> None:  # type: ignore[override]
        """Open the report form for this question as the bank has it now."""
        if interaction.guild_id is None:
            return
        question, version = interaction.client.reports.current(interaction.guild_id, self.question)
        await interaction.response.send_modal(ReportForm(question, version))


async def open_round_report(interaction: discord.Interaction[QuizBot], round_question_id: int) -> None:
    """Open the report form for a channel round's question, as that round played it."""
    found = await interaction.client.reports.played(round_question_id)
    if found is None or found[0] != interaction.guild_id:
        await interaction.response.send_message(
            "That question can't be reported any more.", ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
        return
    _, question, version = found
    await interaction.response.send_modal(ReportForm(question, version))
