"""A full round in a channel, as players and moderators see it."""

from __future__ import annotations

import re

import discord
import pytest
import simcord

from bot.db import repos
from bot.exts._common.checks import NotModerator
from bot.rounds.errors import RoundAlreadyRunning
from tests.exts.conftest import BANK, World
from tests.exts.helpers import announcement, click, letter, open_question, wrong

SECONDS = 20
PAUSE = 8


async def start(world: World, questions: int = 3, channel: object = None) -> None:
    """A moderator starts a round."""
    result = await world.mod.slash(
        channel or world.channel, "quiz start", bank=BANK, questions=questions, seconds=SECONDS
    )
    assert result.response is not None and result.response.content.startswith("Round ")
    assert "Quiz time!" in announcement(result)


async def test_full_round_with_three_players(world: World) -> None:
    """Start, clicks (double and late), reveal with passage and distribution, final standings."""
    await start(world, questions=2)

    message, qid, right = open_question(world)
    embed = message.embeds[0]
    assert embed.title == "Question 1/2"
    assert "<t:" in (embed.description or "") and ":R>" in (embed.description or "")
    buttons = message.components[0].children
    assert len(buttons) >= 2 and all(not b.disabled for b in buttons)

    first = await click(world.alice, message, qid, right)
    assert first.ephemeral and first.response.content == f"Locked in: **{letter(right)}**"
    again = await click(world.alice, message, qid, wrong(right))
    assert again.ephemeral and "You already answered: **" + letter(right) in again.response.content
    await world.env.advance_time(3)
    await click(world.bob, message, qid, right)
    await click(world.carol, message, qid, wrong(right))

    # The bot's edit of the question fails once, so the buttons stay clickable: a late click races the close.
    world.env.inject_error("PATCH", "/webhooks/*/*/messages/*", status=500)
    await world.env.advance_time(SECONDS - 3)
    late = await click(world.carol, message, qid, right)
    assert late.ephemeral and late.response.content == "This question is closed."

    reveal = world.channel.last_message.embeds[0]
    assert reveal.title.startswith("Question 1/2 · Answer " + letter(right))
    description = reveal.description or ""
    assert "\n> " in "\n" + description and "— ¶" in description and "Anna Matveeva" in description
    fields = {f.name: f.value for f in reveal.fields}
    answers = fields["Answers"].splitlines()
    assert answers[right].startswith("✅") and " 2 (67%)" in answers[right]
    assert " 1 (33%)" in answers[wrong(right)]
    right_field = fields["Right (2/3)"]
    assert right_field.index("alice") < right_field.index("bob")

    await world.env.advance_time(PAUSE)
    message, qid, right = open_question(world)
    assert message.embeds[0].title == "Question 2/2"
    await click(world.bob, message, qid, right)
    await world.env.advance_time(SECONDS)

    closed = world.channel.history()[-3]  # question, reveal, final standings
    styles = [(b.disabled, b.style) for b in closed.components[0].children]
    assert all(disabled for disabled, _ in styles)
    assert styles[right][1] is discord.ButtonStyle.success

    final = world.channel.last_message.embeds[0]
    assert final.title == "🏁 Final standings"
    lines = (final.description or "").splitlines()
    assert lines[0].startswith("🥇 bob") and "2/2 right" in lines[0]
    assert lines[1].startswith("🥈 alice") and lines[2].startswith("🥉 carol")
    assert world.bot.rounds.in_channel(world.channel.id) is None
    bob_points = int(re.search(r"\*\*([\d,]+)\*\* pts", lines[0])[1].replace(",", ""))
    alice_points = int(re.search(r"\*\*([\d,]+)\*\* pts", lines[1])[1].replace(",", ""))
    moves = {f.name: f.value for f in final.fields}["Server leaderboard"]
    assert "🆕 bob · new at #1" in moves

    board = await world.carol.slash(world.channel, "quiz leaderboard")
    rows = (board.response.embeds[0].description or "").splitlines()
    assert rows[0] == f"`#1` bob · {bob_points:,} pts"
    assert rows[1] == f"`#2` alice · {alice_points:,} pts"

    stats = await world.alice.slash(world.channel, "quiz stats")
    fields = {f.name: f.value for f in stats.response.embeds[0].fields}
    assert fields["Points"] == f"{alice_points:,}"
    assert fields["Rank"] == "#2 of 3"
    assert fields["Rounds played"] == "1"
    assert fields["Accuracy"] == "100% (1 of 1 right)"  # she skipped question 2


async def test_mentions_are_disabled_in_every_message(world: World) -> None:
    """Every message the bot posts during a round disables mentions."""
    await start(world, questions=1)
    await world.env.advance_time(SECONDS)
    posts = [r for r in world.env.http_requests if r.method == "POST" and r.path.startswith("/webhooks/")]
    assert len(posts) >= 2
    assert all(r.json.get("allowed_mentions") == {"parse": []} for r in posts)


async def test_one_round_per_channel_and_two_channels_at_once(world: World) -> None:
    """A second start in the same channel is refused; another channel runs its own round alongside."""
    await start(world, questions=1)
    second = await world.mod.slash(world.channel, "quiz start", bank=BANK)
    assert second.ephemeral and "already running" in second.response.content
    simcord.assert_error(world.env, RoundAlreadyRunning)
    await start(world, questions=1, channel=world.other_channel)

    msg1, q1, right1 = open_question(world, world.channel)
    msg2, q2, right2 = open_question(world, world.other_channel)
    await click(world.alice, msg1, q1, right1)
    await click(world.alice, msg2, q2, wrong(right2))
    await world.env.advance_time(SECONDS)
    final1 = world.channel.last_message.embeds[0]
    final2 = world.other_channel.last_message.embeds[0]
    assert "1/1 right" in (final1.description or "")
    assert "0/1 right" in (final2.description or "")


@pytest.mark.parametrize("command", ["quiz start", "quiz stop"])
async def test_plain_member_is_refused(world: World, command: str) -> None:
    """A plain member can neither start nor stop someone else's round."""
    await start(world, questions=1)
    result = await world.alice.slash(world.channel, command)
    assert result.ephemeral
    assert "moderators" in result.response.content.lower()
    if command == "quiz start":
        simcord.assert_error(world.env, NotModerator)
    assert world.bot.rounds.in_channel(world.channel.id) is not None


async def test_stop_ends_the_round_with_standings(world: World) -> None:
    """A moderator's stop disables the open question and posts the standings so far."""
    await start(world, questions=3)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)
    result = await world.mod.slash(world.channel, "quiz stop")
    assert result.ephemeral and result.response.content == "Stopping the round."
    assert world.channel.last_message.embeds[0].title == "🛑 Round stopped by mod"
    assert all(b.disabled for b in world.channel.history()[-2].components[0].children)
    assert world.bot.rounds.in_channel(world.channel.id) is None
    await world.env.advance_time(60)  # nothing else is posted
    assert world.channel.last_message.embeds[0].title == "🛑 Round stopped by mod"


async def test_a_round_stopped_during_question_two_counts_the_question_revealed(world: World) -> None:
    """Stopped while question 2 of 3 is open, the standings count one question: "1/1 right", not "1/3"."""
    await start(world, questions=3)
    message, qid, right = open_question(world)
    await click(world.alice, message, qid, right)
    await world.env.advance_time(SECONDS + PAUSE)
    assert open_question(world)[0].embeds[0].title == "Question 2/3"
    await world.mod.slash(world.channel, "quiz stop")
    standings = world.channel.last_message.embeds[0].description or ""
    assert "1/1 right" in standings, standings


async def test_messages_go_through_the_starting_interaction_then_the_channel(world: World) -> None:
    """A started round posts as follow-ups (exempt from the global rate limit) until the token nears expiry."""
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=8, seconds=120)
    for _ in range(8):
        await world.env.advance_time(120 + PAUSE)
    posts = [(r.path.split("/")[1], r.json) for r in world.env.http_requests if r.method == "POST" and r.json]
    kinds = [kind for kind, body in posts if body.get("embeds")]
    # 14 minutes in, the 15-minute token is retired: later questions and the podium use the channel.
    assert kinds[0] == "webhooks" and kinds[-1] == "channels"
    assert kinds.index("channels") > 8
    assert world.channel.last_message.embeds[0].title == "🏁 Final standings"


async def test_a_click_the_store_cannot_record_is_told_to_try_again(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """When storing an answer fails, the player is told privately to try again, and the retry counts."""
    await start(world, questions=1)
    message, qid, right = open_question(world)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(repos, "answers_write", broken)
    failed = await click(world.alice, message, qid, right)
    assert failed.ephemeral and failed.response.content == "Couldn't record that answer; try again."
    assert "Could not store the answer" in caplog.text
    monkeypatch.undo()
    retried = await click(world.alice, message, qid, right)
    assert retried.ephemeral and retried.response.content == f"Locked in: **{letter(right)}**"
