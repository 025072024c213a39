"""The answer buttons, and the clicks on them.

Clicks are taken straight from ``on_interaction`` by their custom_id (``quiz:a:<question>:<choice>``)
rather than through discord.py's views: the id carries everything needed, so clicks on messages
posted before a restart work with nothing to re-register, and a click costs no View rebuilding,
which matters when a thousand players answer within two seconds. For the same reason discord.py is told not to
build the message an answer click was made on (``skip_answer_messages``): nothing here reads it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Any

import discord

from bot.exts._common.replies import describe_error, reply
from bot.exts._common.retry import DISCORD_ERRORS, with_retry
from bot.exts.play.render import button_labels
from bot.quiz import LETTERS, AlreadyAnswered, PlayedQuestion, QuestionClosed, QuizError

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

ANSWER_ID = re.compile(r"quiz:a:(?P<q>\d+):(?P<p>\d)")
ANSWER_PREFIX = "quiz:a:"
COMPONENT = 3  # the gateway's interaction type of a click
# Discord error codes that mean "this interaction can no longer be answered", and how to log them; the answer
# is stored anyway. 40060: the other copy of a click delivered twice (two sessions of one shard) answered it.
UNKNOWN_INTERACTION = 10062
ALREADY_ACKNOWLEDGED = 40060
UNANSWERABLE = {
    UNKNOWN_INTERACTION: "expired before it was acknowledged",
    ALREADY_ACKNOWLEDGED: "was already acknowledged",
}
NOT_RECORDED = "Couldn't record that answer; try again."
# Interactions being answered in this process. The same interaction delivered twice (a gateway replay, two
# sessions of one shard) is answered by the copy that arrived first: the one whose answer counted.
_in_flight: set[int] = set()


def locked_in(position: int) -> str:
    """The acknowledgement of a stored answer."""
    return f"Locked in: **{LETTERS[position]}**"


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


def skip_answer_messages(parsers: MutableMapping[str, Callable[[Any], None]]) -> Callable[[], None]:
    """Have discord.py's ``INTERACTION_CREATE`` parser leave out the message of an answer click; returns the undo.

    discord.py builds a whole ``Message`` (the question's embed, every button) for each click before any handler
    runs: about half its parsing of a click, and a click on an answer needs only its custom_id. ``parsers`` is the
    client's ``_connection.parsers``. Other clicks (reports, practice, paging) keep their message.
    """
    original = parsers["INTERACTION_CREATE"]

    def parse(data: dict[str, Any]) -> None:
        inner = data.get("data")
        if (
            data.get("type") == COMPONENT
            and "message" in data
            and isinstance(inner, dict)
            and str(inner.get("custom_id", "")).startswith(ANSWER_PREFIX)
        ):
            data = {key: value for key, value in data.items() if key != "message"}
        original(data)

    def undo() -> None:
        if parsers.get("INTERACTION_CREATE") is parse:
            parsers["INTERACTION_CREATE"] = original

    parsers["INTERACTION_CREATE"] = parse
    return undo


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
    if interaction.id in _in_flight:
        log.info("Click %s delivered twice; the first copy answers it", interaction.id)
        return True
    _in_flight.add(interaction.id)
    try:
        await _acknowledge(interaction, await _record(interaction, question_id, position))
    finally:
        _in_flight.discard(interaction.id)
    return True


async def _record(interaction: discord.Interaction[QuizBot], question_id: int, position: int) -> str:
    """Store the click's answer; what to tell the player."""
    rounds = interaction.client.rounds
    user = interaction.user
    live = rounds.by_question(question_id)
    try:
        if live is None:
            raise QuestionClosed("this question is closed")
        await rounds.answer(live, question_id, user.id, user.display_name, position)
    except AlreadyAnswered as error:
        if error.position != position or live is None:
            return describe_error(error) or str(error)
        # The same choice again (a double click, a repeated delivery): it is locked in once its first copy is stored.
        return locked_in(position) if await rounds.settled(live, user.id) else NOT_RECORDED
    except QuizError as error:
        return describe_error(error) or str(error)
    except Exception:
        # The store failed (the engine has withdrawn the answer): say so privately, rather than leave
        # the player with Discord's "This interaction failed" and no idea whether the answer counted.
        log.exception("Could not store the answer of user %s to question %s", user.id, question_id)
        return NOT_RECORDED
    return locked_in(position)


async def _acknowledge(interaction: discord.Interaction[QuizBot], content: str) -> None:
    """Reply privately, retrying a passing failure; an expired, doubled or refused reply is logged, never raised."""
    try:
        await with_retry(lambda: reply(interaction, content), what=f"Click {interaction.id} reply")
    except DISCORD_ERRORS as error:
        code = error.code if isinstance(error, discord.HTTPException) else None
        if code in UNANSWERABLE:
            log.warning("Click %s %s (%d)", interaction.id, UNANSWERABLE[code], code)
        else:
            log.warning("Click %s could not be answered: %s", interaction.id, error)
