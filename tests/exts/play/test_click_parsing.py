"""discord.py is spared the message of an answer click (the custom_id says everything); other clicks keep theirs."""

from __future__ import annotations

from typing import Any

import discord

from bot.client import QuizBot
from bot.exts.play._button import skip_answer_messages
from tests.exts.conftest import BANK, World
from tests.exts.helpers import click, letter, open_question

SECONDS = 20


def _click(custom_id: str, *, kind: int = 3) -> dict[str, Any]:
    return {"type": kind, "id": "1", "data": {"custom_id": custom_id, "component_type": 2}, "message": {"id": "9"}}


def test_only_answer_clicks_lose_their_message_and_the_undo_restores_the_parser() -> None:
    """An answer click reaches discord.py without its message, on a copy; reports, commands and the rest keep it."""
    seen: list[dict[str, Any]] = []
    parsers: dict[str, Any] = {"INTERACTION_CREATE": seen.append}
    undo = skip_answer_messages(parsers)
    answer, report, command = _click("quiz:a:12:3"), _click("quiz:report:12"), _click("quiz:a:1:0", kind=2)
    for data in (answer, report, command):
        parsers["INTERACTION_CREATE"](data)
    assert "message" not in seen[0] and seen[0]["data"] == answer["data"]
    assert "message" in answer  # the caller's payload is left as it was
    assert seen[1] is report and seen[2] is command
    undo()
    assert parsers["INTERACTION_CREATE"] == seen.append


async def test_an_answer_click_is_handled_without_its_message_built(world: World) -> None:
    """The bot parses an answer click with no ``Message`` and still locks the answer in; unloading play undoes it."""
    messages: list[discord.Message | None] = []

    async def on_interaction(interaction: discord.Interaction[QuizBot]) -> None:
        messages.append(interaction.message)

    world.bot.add_listener(on_interaction)
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    message, qid, right = open_question(world)
    result = await click(world.alice, message, qid, right)
    assert result.response.content == f"Locked in: **{letter(right)}**"
    assert messages[-1] is None
    parser = world.bot._connection.parsers["INTERACTION_CREATE"]
    await world.bot.unload_extension("bot.exts.play")
    assert world.bot._connection.parsers["INTERACTION_CREATE"] is not parser
