"""A round survives Discord's errors, or ends cleanly: never a channel stuck with a round and no task."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import RoundRow, ScoreRow
from tests.exts.conftest import BANK, World
from tests.exts.helpers import click, open_question

SECONDS = 20
PAUSE = 8


async def _start(world: World, questions: int = 2) -> None:
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=questions, seconds=SECONDS)
    await world.env.settle()


async def _status(world: World) -> str:
    async with world.bot.sessions() as session:
        return str((await session.execute(select(RoundRow.status))).scalar_one())


async def test_a_503_on_the_question_post_is_retried_and_logged(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """discord.py raises a 503 at once; the round retries it with backoff and goes on."""
    world.env.inject_error("POST", "/webhooks/*/*", status=503, message="Service Unavailable", times=2)
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    await world.env.advance_time(5)
    message, _, _ = open_question(world)
    assert message.embeds[0].title == "Question 1/1"
    assert "failed (503); retry 1" in caplog.text
    await world.env.advance_time(SECONDS + 1)
    assert world.channel.last_message.embeds[0].title == "🏁 Final standings"
    assert await _status(world) == "finished"


async def test_invalid_webhook_token_moves_the_round_to_the_channel(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A 401 ``50027`` from the interaction's webhook moves the round to the channel at once, long before 15 min."""
    await _start(world)
    message, qid, right = open_question(world)
    world.env.inject_error("*", "/webhooks/*", status=401, code=50027, message="Invalid Webhook Token", times=None)
    world.env.inject_error("*", "/webhooks/*/*", status=401, code=50027, message="Invalid Webhook Token", times=None)
    world.env.inject_error(
        "*", "/webhooks/*/*/messages/*", status=401, code=50027, message="Invalid Webhook Token", times=None
    )
    await click(world.alice, message, qid, right)
    await world.env.advance_time(SECONDS + PAUSE + 1)

    second, _, _ = open_question(world)
    assert second.embeds[0].title == "Question 2/2"
    channel_posts = [r for r in world.env.http_requests if r.method == "POST" and r.path.startswith("/channels/")]
    assert len(channel_posts) >= 2  # the reveal and the next question, through the channel
    assert "the round goes on through the channel" in caplog.text
    await world.env.advance_time(SECONDS + 1)
    assert world.channel.last_message.embeds[0].title == "🏁 Final standings"
    assert await _status(world) == "finished"


async def test_an_error_it_cannot_get_past_ends_the_round_cleanly(world: World) -> None:
    """Discord failing every post: the answered question is scored, the round stopped, the channel free again."""
    await _start(world)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)
    for path in ("/webhooks/*/*", "/channels/*/messages"):
        world.env.inject_error("POST", path, status=503, message="Service Unavailable", times=None)
    await world.env.advance_time(SECONDS + 30)

    assert world.bot.rounds.in_channel(world.channel.id) is None
    assert await _status(world) == "stopped"
    async with world.bot.sessions() as session:
        points = (await session.execute(select(ScoreRow.points).where(ScoreRow.user_id == world.alice.id))).scalar()
    assert points and points > 0

    world.env.backend.faults.clear()
    await _start(world, questions=1)
    assert open_question(world)[0].embeds[0].title == "Question 1/1"


async def test_the_stop_notice_reaches_the_channel_when_it_can(world: World) -> None:
    """When only the round's posts fail for good (its webhook, then a channel error burst), the channel is told."""
    await _start(world)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)
    world.env.inject_error("POST", "/webhooks/*/*", status=503, message="Service Unavailable", times=None)
    world.env.inject_error("POST", "/channels/*/messages", status=503, message="Service Unavailable", times=3)
    await world.env.advance_time(SECONDS + 30)

    assert world.bot.rounds.in_channel(world.channel.id) is None
    notice = world.channel.last_message.embeds[0]
    assert notice.title == "⚠️ Round stopped: Discord kept failing"
    assert "alice" in (notice.description or "")


async def test_a_503_on_a_clicks_reply_is_retried(world: World) -> None:
    """The acknowledgement of a stored answer is retried after a passing server error: the player is answered."""
    await _start(world, questions=1)
    message, qid, right = open_question(world)
    world.env.inject_error("POST", "/interactions/*/*/callback", status=503, message="Service Unavailable")
    result = await click(world.alice, message, qid, right)
    await world.env.settle()
    assert result.acknowledged and result.response.content.startswith("Locked in")
