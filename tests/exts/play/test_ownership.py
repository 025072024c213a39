"""A click in a guild of another process's shard is left to that process: not answered, not recorded here."""

from __future__ import annotations

from bot.shards import Shards, shard_of
from tests.exts.conftest import BANK, World
from tests.exts.helpers import click, open_question


async def test_a_click_for_another_processs_shard_is_left_alone(world: World) -> None:
    """With the guild on a shard this process does not run, a click gets no reply and no answer is stored."""
    result = await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=2, seconds=20)
    assert result.response is not None
    message, qid, right = open_question(world)
    live = world.bot.rounds.in_channel(world.channel.id)
    assert live is not None

    theirs = 1 - shard_of(world.guild.id, 2)
    world.bot.ownership = Shards.of(2, [theirs])  # as a process started with only the other shard
    stray = await click(world.alice, message, qid, right)
    assert stray.response is None
    assert live.engine.answer_of(world.alice.id) is None

    world.bot.ownership = Shards.of(2, [1 - theirs])  # the guild's own process answers as always
    mine = await click(world.alice, message, qid, right)
    assert mine.response is not None and mine.response.content.startswith("Locked in")
