"""The answer buttons: persistent across restarts because their custom_id carries all they need."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.exts._common.replies import describe_error, reply
from bot.exts.rounds.render import button_labels
from bot.quiz import LETTERS, PlayedQuestion, QuestionClosed, QuizError

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

# Discord error codes that mean "this interaction can no longer be answered"; the answer is stored anyway.
UNKNOWN_INTERACTION = 10062
ALREADY_ACKNOWLEDGED = 40060


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"quiz:a:(?P<q>\d+):(?P<p>\d)"):
    """One choice of one question; ``q`` is the stored round-question id, ``p`` the display position."""

    def __init__(self, question_id: int, position: int, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.primary, custom_id=f"quiz:a:{question_id}:{position}"
            )
        )
        self.question_id = question_id
        self.position = position

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        """Rebuild the button from a click on any message, old or new."""
        return cls(int(match["q"]), int(match["p"]), LETTERS[int(match["p"])])

    async def callback(self, interaction: discord.Interaction[QuizBot]) -> None:  # type: ignore[override]
        """Record the answer, then acknowledge it privately."""
        rounds = interaction.client.rounds
        live = rounds.by_question(self.question_id)
        try:
            if live is None:
                raise QuestionClosed("this question is closed")
            await rounds.answer(
                live, self.question_id, interaction.user.id, interaction.user.display_name, self.position
            )
        except QuizError as error:
            await _acknowledge(interaction, describe_error(error) or str(error))
            return
        await _acknowledge(interaction, f"Locked in: **{LETTERS[self.position]}**")


async def _acknowledge(interaction: discord.Interaction[QuizBot], content: str) -> None:
    """Reply privately; an expired or doubled interaction is logged, never fatal to the round."""
    try:
        await reply(interaction, content)
    except discord.NotFound as error:
        if error.code != UNKNOWN_INTERACTION:
            raise
        log.warning("Click %s expired before it was acknowledged (10062)", interaction.id)
    except discord.HTTPException as error:
        if error.code != ALREADY_ACKNOWLEDGED:
            raise
        log.warning("Click %s was already acknowledged (40060)", interaction.id)


def answer_view(question_id: int, played: PlayedQuestion) -> discord.ui.View:
    """The open question's buttons; timeout=None and fixed custom_ids keep them working after restarts."""
    view = discord.ui.View(timeout=None)
    for position, label in enumerate(button_labels(played)):
        view.add_item(AnswerButton(question_id, position, label))
    return view
