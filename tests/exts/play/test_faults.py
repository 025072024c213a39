"""Faults Discord throws at a round: rate limits, expired interactions, missing permissions, size limits."""

from __future__ import annotations

import discord
import pytest
import simcord

from bot.exts.play._button import answer_view
from bot.exts.play.render import closed_view, name_lookup, question_embed, reveal_embed, standings_embed
from bot.quiz import Answer, Bank, PlayedQuestion, Question, Reveal, Standing
from bot.rounds.errors import MissingPermissions
from tests.exts.conftest import BANK, World
from tests.exts.helpers import click, open_question

SECONDS = 20


async def test_rate_limited_send_is_retried(world: World) -> None:
    """A 429 on posting the question is retried, and the round goes on."""
    world.env.inject_error("POST", "/webhooks/*/*", status=429, message="You are being rate limited.")
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    await world.env.settle()
    message, _, _ = open_question(world)
    assert message.embeds[0].title == "Question 1/1"
    posts = [r for r in world.env.http_requests if r.method == "POST" and r.path.startswith("/webhooks/")]
    assert len(posts) == 2  # the rate-limited attempt, then the retry


async def test_expired_click_is_logged_and_the_answer_kept(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """A 10062 on the acknowledgement is logged; the stored answer still counts at the reveal."""
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    message, qid, right = open_question(world)
    world.env.inject_error("POST", "/interactions/*/*/callback", status=404, code=10062, message="Unknown interaction")
    result = await click(world.alice, message, qid, right)
    assert not result.acknowledged
    assert "expired before it was acknowledged (10062)" in caplog.text
    await world.env.advance_time(SECONDS)
    reveal = world.channel.history()[-2].embeds[0]
    assert "Right (1/1)" in [f.name for f in reveal.fields]


async def test_already_acknowledged_click_does_not_break_the_round(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A 40060 on the acknowledgement is logged and the round carries on."""
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=SECONDS)
    message, qid, right = open_question(world)
    world.env.inject_error("POST", "/interactions/*/*/callback", status=400, code=40060, message="Already acknowledged")
    await click(world.bob, message, qid, right)
    assert "already acknowledged (40060)" in caplog.text
    await world.env.advance_time(SECONDS)
    assert world.channel.last_message.embeds[0].title == "🏁 Final standings"


async def test_missing_permission_is_named_to_the_moderator(world: World) -> None:
    """Without Embed Links in the channel the bot refuses to start and says which permission it lacks."""
    me = world.guild.me
    assert me is not None
    locked = world.guild.create_text_channel("locked", overwrites={me: discord.PermissionOverwrite(embed_links=False)})
    result = await world.mod.slash(locked, "quiz start", bank=BANK)
    assert result.ephemeral
    assert result.response.content == "I can't run a round here: I need **Embed Links** in this channel."
    assert world.bot.rounds.in_channel(locked.id) is None
    simcord.assert_error(world.env, MissingPermissions)


def _longest(banks: list[Bank]) -> Question:
    return max(
        (q for bank in banks for q in bank.questions),
        key=lambda q: len(q.prompt) + sum(map(len, q.choices)) + len(q.explanation) + len(q.passage),
    )


def _worst_case(template: Question) -> Question:
    """A question at every limit the bank validator allows."""
    return Question(
        id="worst-case",
        bank_id=template.bank_id,
        prompt="P" * 1000,
        choices=tuple(f"{i}" + "c" * 79 for i in range(5)),
        answer=4,
        explanation="E" * 1000,
        passage="Q" * 1000,
        source=template.source,
        paragraph=999,
        tags=tuple(f"tag{i}" for i in range(10)),
    )


@pytest.mark.parametrize("which", ["longest shipped", "worst case allowed"])
async def test_longest_question_renders_within_discord_limits(world: World, which: str) -> None:
    """The question, its buttons, its reveal and a full podium are accepted by Discord's size checks."""
    question = _longest(list(world.bot.library))
    if which == "worst case allowed":
        question = _worst_case(question)
    played = PlayedQuestion.shuffled(10, question, seed=1)
    when = world.env.now()
    answers = tuple(Answer(10**17 + i, played.correct_position, when, when - when, True, 1500, 3) for i in range(200))
    reveal = Reveal(
        played, tuple(200 if i == played.correct_position else 0 for i in range(5))[: len(played.choices)], answers, 10
    )
    names = {a.player_id: "n" * 32 + "_*`" for a in answers}
    standings = [Standing(i + 1, a.player_id, 99_999, 10, 10, 10) for i, a in enumerate(answers)]
    channel = world.bot.get_partial_messageable(world.channel.id)
    await channel.send(embed=question_embed(played, 10, when), view=answer_view(1, played))
    await channel.send(embed=reveal_embed(reveal, name_lookup(names), notice="n" * 200), view=closed_view(played))
    await channel.send(
        embed=standings_embed(standings, 10, name_lookup(names), {s.player_id: (None, s.rank) for s in standings})
    )
    assert len(world.channel.history()) == 3
