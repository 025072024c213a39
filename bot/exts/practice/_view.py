"""A practice round: the caller alone, in ephemeral messages, kept in memory and never scored.

Each question closes on its own at its deadline, as a channel round's does: a timer reveals it in
place through the interaction that showed it (Discord lets an app edit its ephemeral reply with
the interaction's token for 15 minutes, as long as the view lives).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from typing import TYPE_CHECKING

import discord

from bot.exts._common.solo import ChoiceButton, NextButton
from bot.exts.play.render import FINAL_COLOUR, button_labels, question_embed, solo_reveal_embed
from bot.exts.reports.button import ReportButton
from bot.quiz import QuestionClosed, Round, Standing
from bot.quiz.deal import deal
from bot.review.cards import answer_rating, missed_rating
from bot.rounds.plans import RoundPlan

if TYPE_CHECKING:
    from bot.client import QuizBot

# discord.py caps an ephemeral message's view at Discord's 15-minute token lifetime anyway.
VIEW_TIMEOUT = 15 * 60
NOT_COUNTED = "Practice rounds don't count on the server leaderboard."
TIME_UP = "Time's up: answers after the deadline don't count."

log = logging.getLogger(__name__)


class PracticeView(discord.ui.View):
    """Buttons for the open practice question, then a Next button after each reveal."""

    def __init__(self, bot: QuizBot, player_id: int, name: str, plan: RoundPlan) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.bot = bot
        self.player_id = player_id
        self.name = name
        self.guild_id = plan.guild_id
        rules = plan.rules
        questions = deal(plan.banks, rules.questions, random.SystemRandom().randrange(2**31))
        self.round = Round(questions, seconds=rules.seconds, scoring=rules.scoring)
        self._closer: asyncio.Task[None] | None = None

    def first_question(self) -> discord.Embed:
        """Open the first question and return its embed (the view holds its buttons)."""
        return self._open()

    def shown_by(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Close the open question at its deadline through the interaction that shows it."""
        current = self.round.current
        if current is None:
            return
        self._cancel_closer()
        delay = max((current.deadline - self.bot.clock()).total_seconds(), 0)
        self._closer = asyncio.create_task(self._close_at_deadline(interaction, self.round.index, delay))

    def _open(self) -> discord.Embed:
        opened = self.round.open_next(self.bot.clock())
        self.clear_items()
        for position, label in enumerate(button_labels(opened.played)):
            self.add_item(ChoiceButton(position, label))
        return question_embed(opened.played, len(self.round.questions), opened.deadline)

    async def _reveal(self, notice: str | None) -> discord.Embed:
        """Close the open question, make its review card, and put Next and Report in place of the choices."""
        reveal = self.round.close(self.bot.clock())
        self.clear_items()
        self.add_item(NextButton("See results" if self.round.finished else "Next question"))
        self.add_item(ReportButton(reveal.question))
        # Practice answers become review cards too (no answer by the deadline counts as unanswered).
        rated = [answer_rating(a, reveal, self.round.limit) for a in reveal.answers]
        await self.bot.reviews.record(self.guild_id, rated or [missed_rating(self.player_id, reveal)])
        return solo_reveal_embed(reveal, self.player_id, notice=notice)

    async def _close_at_deadline(self, interaction: discord.Interaction[QuizBot], index: int, delay: float) -> None:
        await asyncio.sleep(delay)
        if self.round.index != index or self.round.current is None:
            return  # answered meanwhile
        embed = await self._reveal(TIME_UP)
        try:
            await interaction.edit_original_response(embed=embed, view=self)
        except discord.HTTPException as error:  # the player dismissed the message, or its token expired
            log.info("Could not reveal a practice question at its deadline: %s", error)

    def _cancel_closer(self) -> None:
        if self._closer is not None and self._closer is not asyncio.current_task():
            self._closer.cancel()
        self._closer = None

    async def choose(self, interaction: discord.Interaction[QuizBot], position: int) -> None:
        """Take the answer (unless time ran out), then show the reveal in place of the question."""
        if self.round.current is None:  # the deadline's reveal got there first
            await interaction.response.edit_message(view=self)
            return
        self._cancel_closer()
        notice = None
        try:
            self.round.answer(self.player_id, position, self.bot.clock())
        except QuestionClosed:
            notice = TIME_UP
        await interaction.response.edit_message(embed=await self._reveal(notice), view=self)

    async def advance(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Show the next question, or the summary after the last one."""
        if not self.round.finished:
            await interaction.response.edit_message(embed=self._open(), view=self)
            self.shown_by(interaction)
            return
        self.stop()
        mine = next((s for s in self.round.standings() if s.player_id == self.player_id), None)
        await interaction.response.edit_message(embed=practice_summary(mine, len(self.round.questions)), view=None)

    async def on_timeout(self) -> None:
        """Stop the deadline timer with the view."""
        self._cancel_closer()

    def stop(self) -> None:
        """Stop listening, and stop the deadline timer."""
        with contextlib.suppress(RuntimeError):  # no running loop: nothing was scheduled
            self._cancel_closer()
        super().stop()


def practice_summary(mine: Standing | None, total: int) -> discord.Embed:
    """The end of a practice round: the player's score, with no podium (and so no medal) for one player."""
    embed = discord.Embed(title="🎓 Practice finished", colour=FINAL_COLOUR)
    if mine is None:
        embed.description = f"You answered none of the {total} questions." if total != 1 else "You didn't answer."
    else:
        embed.description = f"**{mine.points:,}** pts · {mine.correct}/{total} right · best streak {mine.best_streak}"
    embed.set_footer(text=NOT_COUNTED)
    return embed
