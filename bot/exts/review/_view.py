"""A review round: the player's due cards, privately, each reveal showing what they chose and when it returns."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import discord

from bot.exts._common.solo import ChoiceButton, NextButton
from bot.exts.play.render import button_labels, name_lookup, question_embed, solo_reveal_embed, standings_embed
from bot.exts.reports.button import ReportButton
from bot.quiz import LETTERS, PlayedQuestion, QuestionClosed, Round, RoundRules
from bot.review.cards import answer_rating, missed_rating
from bot.review.service import DueCard

if TYPE_CHECKING:
    from bot.client import QuizBot

VIEW_TIMEOUT = 15 * 60
NOT_COUNTED = "Review rounds don't count on the server leaderboard."


def choice_text(played: PlayedQuestion, position: int) -> str:
    """A displayed choice as ``C: text``."""
    return f"{LETTERS[position]}: {played.choices[position]}"


class ReviewView(discord.ui.View):
    """Buttons for the open card, then Report and Next after each reveal."""

    def __init__(
        self, bot: QuizBot, guild_id: int, player_id: int, name: str, due: list[DueCard], rules: RoundRules
    ) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.bot = bot
        self.guild_id = guild_id
        self.player_id = player_id
        self.names = {player_id: name}
        self.due = due
        seed = random.SystemRandom().randrange(2**31)
        played = [PlayedQuestion.shuffled(n, card.question, seed) for n, card in enumerate(due, start=1)]
        self.round = Round(played, seconds=rules.seconds, scoring=rules.scoring)

    def first_question(self) -> discord.Embed:
        """Open the first card and return its embed."""
        return self._open()

    def _open(self) -> discord.Embed:
        opened = self.round.open_next(self.bot.clock())
        self.clear_items()
        for position, label in enumerate(button_labels(opened.played)):
            self.add_item(ChoiceButton(position, label))
        embed = question_embed(opened.played, len(self.round.questions), opened.deadline)
        embed.title = f"Review {opened.played.number}/{len(self.round.questions)}"
        return embed

    async def choose(self, interaction: discord.Interaction[QuizBot], position: int) -> None:
        """Take the answer (unless time ran out), reschedule the card, and show the reveal."""
        chosen: int | None = position
        try:
            self.round.answer(self.player_id, position, self.bot.clock())
        except QuestionClosed:
            chosen = None
        reveal = self.round.close(self.bot.clock())
        answer = reveal.answers[0] if reveal.answers else None
        rated = answer_rating(answer, reveal, self.round.limit) if answer else missed_rating(self.player_id, reveal)
        card = await self.bot.reviews.review(self.guild_id, rated)
        lines = [] if chosen is not None else ["Time's up: this one comes back soon."]
        previous = self.due[self.round.index].card.last_choice
        if previous is not None and previous in reveal.played.order:
            lines.append(f"Last time you chose {choice_text(reveal.played, reveal.played.order.index(previous))}.")
        if card is not None:
            lines.append(f"Next review {discord.utils.format_dt(card.due, 'R')}.")
        self.clear_items()
        self.add_item(NextButton("See results" if self.round.finished else "Next card"))
        self.add_item(ReportButton(reveal.question))
        embed = solo_reveal_embed(reveal, self.player_id, notice=" ".join(lines) or None)
        embed.title = embed.title and embed.title.replace("Question", "Review", 1)
        await interaction.response.edit_message(embed=embed, view=self)

    async def advance(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Show the next card, or the summary after the last one."""
        if not self.round.finished:
            await interaction.response.edit_message(embed=self._open(), view=self)
            return
        self.stop()
        summary = standings_embed(
            self.round.standings(), len(self.round.questions), name_lookup(self.names), title="🧠 Review finished"
        )
        summary.set_footer(text=NOT_COUNTED)
        await interaction.response.edit_message(embed=summary, view=None)
