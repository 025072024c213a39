"""A practice round: the caller alone, in ephemeral messages, kept in memory and never scored."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import discord

from bot.exts.play.render import button_labels, name_lookup, question_embed, reveal_embed, standings_embed
from bot.exts.reports.button import ReportButton
from bot.quiz import QuestionClosed, Round
from bot.quiz.deal import deal
from bot.review.cards import answer_rating, missed_rating
from bot.rounds.plans import RoundPlan

if TYPE_CHECKING:
    from bot.client import QuizBot

# discord.py caps an ephemeral message's view at Discord's 15-minute token lifetime anyway.
VIEW_TIMEOUT = 15 * 60
NOT_COUNTED = "Practice rounds don't count on the server leaderboard."


class PracticeView(discord.ui.View):
    """Buttons for the open practice question, then a Next button after each reveal."""

    def __init__(self, bot: QuizBot, player_id: int, name: str, plan: RoundPlan) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.bot = bot
        self.player_id = player_id
        self.names = {player_id: name}
        self.guild_id = plan.guild_id
        rules = plan.rules
        questions = deal(plan.banks, rules.questions, random.SystemRandom().randrange(2**31))
        self.round = Round(questions, seconds=rules.seconds, scoring=rules.scoring)

    def first_question(self) -> discord.Embed:
        """Open the first question and return its embed (the view holds its buttons)."""
        return self._open()

    def _open(self) -> discord.Embed:
        opened = self.round.open_next(self.bot.clock())
        self.clear_items()
        for position, label in enumerate(button_labels(opened.played)):
            self.add_item(_ChoiceButton(position, label))
        return question_embed(opened.played, len(self.round.questions), opened.deadline)

    async def choose(self, interaction: discord.Interaction[QuizBot], position: int) -> None:
        """Take the answer (unless time ran out), then show the reveal in place of the question."""
        notice = None
        try:
            self.round.answer(self.player_id, position, self.bot.clock())
        except QuestionClosed:
            notice = "Time's up: answers after the deadline don't count."
        reveal = self.round.close(self.bot.clock())
        # Practice answers become review cards too (a late answer counts as unanswered).
        rated = [answer_rating(a, reveal, self.round.limit) for a in reveal.answers] or [
            missed_rating(self.player_id, reveal)
        ]
        await self.bot.reviews.record(self.guild_id, rated)
        self.clear_items()
        last = self.round.finished
        self.add_item(_NextButton(last))
        self.add_item(ReportButton(reveal.question))
        embed = reveal_embed(reveal, name_lookup(self.names), notice=notice)
        await interaction.response.edit_message(embed=embed, view=self)

    async def advance(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Show the next question, or the summary after the last one."""
        if not self.round.finished:
            await interaction.response.edit_message(embed=self._open(), view=self)
            return
        self.stop()
        summary = standings_embed(
            self.round.standings(), len(self.round.questions), name_lookup(self.names), title="🎓 Practice finished"
        )
        summary.set_footer(text=NOT_COUNTED)
        await interaction.response.edit_message(embed=summary, view=None)


class _ChoiceButton(discord.ui.Button[PracticeView]):
    def __init__(self, position: int, label: str) -> None:
        super().__init__(label=label, style=discord.ButtonStyle.primary)
        self.position = position

    async def callback(self, interaction: discord.Interaction[QuizBot]) -> None:  # type: ignore[override]
        assert self.view is not None
        await self.view.choose(interaction, self.position)


class _NextButton(discord.ui.Button[PracticeView]):
    def __init__(self, last: bool) -> None:
        super().__init__(label="See results" if last else "Next question", style=discord.ButtonStyle.success)

    async def callback(self, interaction: discord.Interaction[QuizBot]) -> None:  # type: ignore[override]
        assert self.view is not None
        await self.view.advance(interaction)
