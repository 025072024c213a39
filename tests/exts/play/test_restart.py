"""Restarts mid-round: answers survive, old buttons still work, the open question resumes or closes."""

from __future__ import annotations

import asyncio
import copy
import sys
from collections.abc import Callable
from typing import Any

import pytest
from simcord.http import router

from bot.client import QuizBot
from tests.exts.conftest import BANK, World
from tests.exts.helpers import click, letter, open_question, wrong

SECONDS = 20
PAUSE = 8


async def _restart(world: World, make_bot: Callable[[], QuizBot]) -> QuizBot:
    """Replace the running bot with a fresh one on the same database, as a process restart would."""
    old = world.bot
    new = make_bot()
    await world.env.restart_bot(new)
    await old.close()
    return new


async def test_restart_mid_question_resumes_with_the_time_left(world: World, make_bot: Callable[[], QuizBot]) -> None:
    """An answer given before the restart counts; the old message's buttons still take answers until the deadline."""
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)
    await world.env.advance_time(5)

    await _restart(world, make_bot)

    again = await click(world.alice, message, qid, wrong(right))  # the same choice again is "Locked in" (issue 16)
    assert again.response.content.startswith("You already answered: **" + letter(right))
    bob = await click(world.bob, message, qid, right)
    assert bob.response.content == f"Locked in: **{letter(right)}**"
    await world.env.advance_time(SECONDS - 6)
    assert world.channel.last_message.id == message.id  # not closed early
    await world.env.advance_time(1)

    reveal = world.channel.history()[-2].embeds[0]
    assert "Right (2/2)" in [f.name for f in reveal.fields]
    final = world.channel.last_message.embeds[0]
    assert (final.description or "").startswith("🥇 alice")  # answered first, before the restart


async def test_restart_after_the_deadline_closes_with_a_notice(world: World, make_bot: Callable[[], QuizBot]) -> None:
    """A question whose deadline passed while the bot was down closes at start-up, saying why."""
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=2, seconds=SECONDS)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)
    conductor = getattr(world.bot.get_cog("Play"), "conductor", None)
    assert conductor is not None
    for task in conductor.tasks.values():
        task.cancel()  # the process dies before the deadline
    await world.env.advance_time(60)

    await _restart(world, make_bot)

    reveal = world.channel.last_message.embeds[0]
    assert "The bot restarted while this question was open" in (reveal.description or "")
    assert "Right (1/1)" in [f.name for f in reveal.fields]
    assert all(b.disabled for b in world.channel.history()[-2].components[0].children)
    await world.env.advance_time(8)
    assert world.channel.last_message.embeds[0].title == "Question 2/2"


async def test_duplicated_click_records_one_answer(world: World) -> None:
    """The same player clicking twice (a duplicated event) stores a single answer."""
    from sqlalchemy import func, select

    from bot.db.models import AnswerRow

    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)
    await click(world.alice, message, qid, right)
    async with world.bot.sessions() as session:
        count = (await session.execute(select(func.count()).select_from(AnswerRow))).scalar_one()
    assert count == 1


async def test_a_reveal_committed_but_never_posted_is_posted_after_the_restart(
    world: World, make_bot: Callable[[], QuizBot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between the close's commit and the reveal's post: the outbox owes the reveal, the restart posts it."""
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=2, seconds=SECONDS)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)

    def killed(*args: object, **kwargs: object) -> None:
        raise asyncio.CancelledError  # the round's task ends here, as the process would

    # The module the running bot loaded (each bot's extensions are imported afresh).
    play = world.bot.get_cog("Play")
    assert play is not None
    conductor_module = sys.modules[type(play.conductor).__module__]  # type: ignore[attr-defined]
    monkeypatch.setattr(conductor_module, "reveal_embed", killed)
    await world.env.advance_time(SECONDS + 1)
    assert world.channel.last_message.id == message.id  # closed and scored, but no reveal
    monkeypatch.undo()

    await _restart(world, make_bot)

    reveal = world.channel.last_message.embeds[0]
    assert "The bot restarted before this reveal was posted" in (reveal.description or "")
    assert "Right (1/1)" in [f.name for f in reveal.fields]
    await world.env.advance_time(PAUSE - 1)
    assert world.channel.last_message.embeds[0] == reveal  # the pause before the next question is kept
    await world.env.advance_time(2)
    assert world.channel.last_message.embeds[0].title == "Question 2/2"
    titles = [m.embeds[0].title or "" for m in world.channel.history() if m.embeds]
    assert len([t for t in titles if t.startswith("Question 1/2 · Answer")]) == 1


def honour_nonces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make simcord's Create Message keep Discord's nonce rule: a repeated enforced nonce returns the first message.

    (The fake Discord in ``bench/`` implements and tests the rule itself; simcord ignores nonces.)
    """
    posts = router._ROUTES["POST"]
    index = next(i for i, (_, handler) in enumerate(posts) if handler.__name__ == "send_message")
    segments, send_message = posts[index]
    first: dict[str, Any] = {}

    def with_nonces(ctx: Any) -> Any:
        body = ctx.json or {}
        nonce = body.get("nonce") if body.get("enforce_nonce") else None
        if nonce is not None and nonce in first:
            return copy.deepcopy(first[nonce])
        message = send_message(ctx)
        if nonce is not None:
            first[nonce] = copy.deepcopy(message)
        return message

    monkeypatch.setitem(router._ROUTES, "POST", [*posts[:index], (segments, with_nonces), *posts[index + 1 :]])


async def test_a_question_posted_just_before_a_kill_is_found_again_and_closed(
    world: World, make_bot: Callable[[], QuizBot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after Discord created the question but before its id was stored: found by its nonce, then closed."""
    honour_nonces(monkeypatch)
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=2, seconds=SECONDS)
    await _restart(world, make_bot)  # the round goes on through the channel, whose posts carry nonces
    await world.env.advance_time(SECONDS + 1)

    async def killed(*args: object, **kwargs: object) -> None:
        raise asyncio.CancelledError  # the post returned; the process dies before storing the message id

    monkeypatch.setattr(world.bot.rounds, "set_message", killed)
    await world.env.advance_time(PAUSE + 1)
    question = world.channel.last_message
    assert question.embeds[0].title == "Question 2/2"

    await _restart(world, make_bot)
    await world.env.advance_time(SECONDS)

    messages = [m for m in world.channel.history() if m.embeds]
    assert [m.id for m in messages if m.embeds[0].title == "Question 2/2"] == [question.id]  # not posted twice
    closed = next(m for m in world.channel.history() if m.id == question.id)
    assert all(button.disabled for button in closed.components[0].children)
    assert world.channel.last_message.embeds[0].title == "🏁 Final standings"


async def _outbox(bot: QuizBot) -> list[str]:
    """The kinds of the outbox's entries."""
    from sqlalchemy import select

    from bot.db.models import OutboxRow

    async with bot.sessions() as session:
        return list((await session.execute(select(OutboxRow.kind))).scalars())


async def test_a_stopped_round_owes_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reveal still owed when the round is stopped is dropped with the round's end: no restart posts it."""
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=2, seconds=SECONDS)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)

    def killed(*args: object, **kwargs: object) -> None:
        raise asyncio.CancelledError  # the round's task ends between the close's commit and the reveal

    play = world.bot.get_cog("Play")
    assert play is not None
    monkeypatch.setattr(sys.modules[type(play.conductor).__module__], "reveal_embed", killed)  # type: ignore[attr-defined]
    await world.env.advance_time(SECONDS + 1)
    monkeypatch.undo()
    assert await _outbox(world.bot) == ["reveal"]

    await world.mod.slash(world.channel, "quiz stop")
    assert (world.channel.last_message.embeds[0].title or "").startswith("🛑 Round stopped")
    assert await _outbox(world.bot) == []


async def test_a_finished_round_owes_nothing_once_its_standings_are_posted(world: World) -> None:
    """The standings are owed from the round's end until they are posted, then the outbox is empty."""
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)
    await world.env.advance_time(SECONDS + 1)
    assert world.channel.last_message.embeds[0].title == "🏁 Final standings"
    assert await _outbox(world.bot) == []


async def test_a_question_sent_through_the_webhook_just_before_a_kill_is_found_not_posted_again(
    world: World, make_bot: Callable[[], QuizBot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the webhook posted the question (no nonce there) but before its id was stored: the restart finds
    it among the channel's messages by its buttons, posts no second copy, and closes it at the deadline."""

    async def killed(*args: object, **kwargs: object) -> None:
        raise asyncio.CancelledError  # the post returned; the process dies before storing the message id

    monkeypatch.setattr(world.bot.rounds, "set_message", killed)
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=2, seconds=SECONDS)
    question = world.channel.last_message
    assert question.embeds[0].title == "Question 1/2"
    monkeypatch.undo()

    await _restart(world, make_bot)
    await world.env.advance_time(SECONDS + 1)

    messages = [m for m in world.channel.history() if m.embeds]
    assert [m.id for m in messages if m.embeds[0].title == "Question 1/2"] == [question.id]  # not posted twice
    closed = next(m for m in world.channel.history() if m.id == question.id)
    assert all(button.disabled for button in closed.components[0].children)
    assert (world.channel.last_message.embeds[0].title or "").startswith("Question 1/2 · Answer")


async def test_standings_the_webhook_posted_just_before_a_kill_are_not_posted_again(
    world: World, make_bot: Callable[[], QuizBot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the webhook posted the standings (no nonce there) but before the outbox entry was cleared:
    the restart finds them in the channel and posts no second copy."""

    async def killed(*args: object, **kwargs: object) -> None:
        raise asyncio.CancelledError  # the standings are posted; the process dies before clearing the debt

    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)
    monkeypatch.setattr(world.bot.rounds, "standings_posted", killed)
    await world.env.advance_time(SECONDS + 1)
    assert world.channel.last_message.embeds[0].title == "🏁 Final standings"
    monkeypatch.undo()
    assert await _outbox(world.bot) == ["standings"]

    await _restart(world, make_bot)
    await world.env.advance_time(1)

    titles = [m.embeds[0].title for m in world.channel.history() if m.embeds]
    assert titles.count("🏁 Final standings") == 1
    assert await _outbox(world.bot) == []
