"""The answer buttons, and the clicks on them.

Clicks are taken straight from ``on_interaction`` by their custom_id (``quiz:a:<question>:<choice>``)
rather than through discord.py's views: the id carries everything needed, so clicks on messages
posted before a restart work with nothing to re-register, and a click costs no View rebuilding,
which matters when a thousand players answer within two seconds.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord

from bot.exts._common.replies import describe_error, reply
from bot.exts.play.render import button_labels
from bot.quiz import LETTERS, PlayedQuestion, QuestionClosed, QuizError

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

ANSWER_ID = re.compile(r"quiz:a:(?P<q>\d+):(?P<p>\d)")
# Discord error codes that mean "this interaction can no longer be answered"; the answer is stored anyway.
UNKNOWN_INTERACTION = 10062
ALREADY_ACKNOWLEDGED = 40060
NOT_RECORDED = "Couldn't record that answer; try again."


def answer_id(question_id: int, position: int) -> str:
    """The custom_id of one answer button."""
    return f"quiz:a:{question_id}:{position}"


def answer_view(question_id: int, played: PlayedQuestion) -> discord.ui.View:
    """The open question's buttons (clicks are handled by ``handle_click``, not by this view)."""
    view = discord.ui.View(timeout=None)
    for position, label in enumerate(button_labels(played)):
        view.add_item(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.primary, custom_id=answer_id(question_id, position)
            )
        )
    # Stopped before it is sent, so discord.py sends the buttons as plain components and keeps no View for the
    # message: each click would otherwise also be routed through (and each question's View kept in) its view store.
    view.stop()
    return view


async def handle_click(interaction: discord.Interaction[QuizBot]) -> bool:
    """Record an answer click, then acknowledge it privately; False if the interaction is not one."""
    if interaction.type is not discord.InteractionType.component or interaction.data is None:
        return False
    match = ANSWER_ID.fullmatch(str(interaction.data.get("custom_id", "")))
    if match is None:
        return False
    if interaction.guild_id is not None and not interaction.client.owns_guild(interaction.guild_id):
        # Discord sends a guild's clicks to the process running its shard; one that strays here is that one's.
        log.warning(
            "Click %s in guild %s is for another process's shard; ignored", interaction.id, interaction.guild_id
        )
        return False
    question_id, position = int(match["q"]), int(match["p"])
    rounds = interaction.client.rounds
    try:
        live = rounds.by_question(question_id)
        if live is None:
            raise QuestionClosed("this question is closed")
        await rounds.answer(live, question_id, interaction.user.id, interaction.user.display_name, position)
    except QuizError as error:
        await _acknowledge(interaction, describe_error(error) or str(error))
        return True
    except Exception:
        # The store failed (the engine has withdrawn the answer): say so privately, rather than leave
        # the player with Discord's "This interaction failed" and no idea whether the answer counted.
        log.exception("Could not store the answer of user %s to question %s", interaction.user.id, question_id)
        await _acknowledge(interaction, NOT_RECORDED)
        return True
    await _acknowledge(interaction, f"Locked in: **{LETTERS[position]}**")
    return True


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
