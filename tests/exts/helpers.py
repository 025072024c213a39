"""Helpers for end-to-end tests: a started round's announcement, the open question, clicks on it."""

from __future__ import annotations

from typing import Any

import discord
import simcord

from bot.quiz import LETTERS
from tests.exts.conftest import World


def announcement(started: simcord.InteractionResult) -> str:
    """The public announcement of a ``/quiz start``, after the starter's private acknowledgement; "" if none."""
    assert started.response is not None and started.ephemeral, "a start is acknowledged privately first"
    public = [followup.content for followup in started.followups if not followup.ephemeral]
    return public[0] if public else ""


def open_question(world: World, channel: Any = None) -> tuple[discord.Message, int, int]:
    """The open question's message in ``channel``, its store id and the right display position."""
    channel = channel or world.channel
    live = world.bot.rounds.in_channel(channel.id)
    assert live is not None and live.engine.current is not None, "no question is open"
    message = channel.last_message
    assert message is not None
    question_id = live.current_question_id
    assert question_id is not None
    return message, question_id, live.engine.current.played.correct_position


async def click(member: Any, message: discord.Message, question_id: int, position: int) -> simcord.InteractionResult:
    """Click the answer button at ``position``."""
    return await member.click(message, custom_id=f"quiz:a:{question_id}:{position}")


def wrong(position: int) -> int:
    """Some position that is not ``position``."""
    return (position + 1) % 2 if position < 2 else 0


def letter(position: int) -> str:
    """The letter shown for a display position."""
    return LETTERS[position]
