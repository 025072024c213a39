"""Clicks Discord delivers twice, and the same choice clicked twice: the answer that counted is acknowledged."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db.models import AnswerRow
from tests.exts.conftest import BANK, World
from tests.exts.helpers import click, letter, open_question

SECONDS = 20


def deliver_interactions_twice(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every INTERACTION_CREATE reaches the bot twice at once, as when two sessions of a shard both receive it."""
    parsers: dict[str, Callable[[Any], None]] = world.bot._connection.parsers
    original = parsers["INTERACTION_CREATE"]

    def twice(data: Any) -> None:
        original(copy.deepcopy(data))
        original(data)

    monkeypatch.setitem(parsers, "INTERACTION_CREATE", twice)


async def test_an_interaction_delivered_twice_is_acknowledged_by_the_copy_that_counted(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """One answer stored; the player reads "Locked in", never "You already answered" for their only click."""
    caplog.set_level(logging.INFO)
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    message, qid, right = open_question(world)
    deliver_interactions_twice(world, monkeypatch)
    result = await click(world.alice, message, qid, right)
    await world.env.settle()
    assert result.response.content == f"Locked in: **{letter(right)}**"
    assert "delivered twice" in caplog.text
    async with world.bot.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(AnswerRow))).scalar_one() == 1


async def test_the_same_choice_clicked_twice_is_locked_in_both_times(world: World) -> None:
    """A double click on one button: both clicks are told the choice is locked in, once it is stored."""
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    message, qid, right = open_question(world)
    first = await click(world.bob, message, qid, right)
    second = await click(world.bob, message, qid, right)
    assert first.response.content == second.response.content == f"Locked in: **{letter(right)}**"
