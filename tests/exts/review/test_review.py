"""``/quiz review``: the questions a player missed come back privately when FSRS says they are due."""

from __future__ import annotations

import re

import discord
import simcord
from sqlalchemy import func, select

from bot.db.models import PendingReviewRow, ReviewCardRow
from tests.exts.conftest import BANK, World
from tests.exts.helpers import click, open_question, wrong

SECONDS = 20
PAUSE = 8
DAY = 24 * 60 * 60


async def play_round(world: World, answers: list[bool]) -> list[str]:
    """A round where alice answers each question right or wrong (right ones at once); returns the prompts asked."""
    result = await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=len(answers), seconds=SECONDS)
    assert result.response is not None
    prompts = []
    for number, right_answer in enumerate(answers):
        message, qid, right = open_question(world)
        prompts.append(prompt_of(message.embeds[0]))
        await click(world.alice, message, qid, right if right_answer else wrong(right))
        await world.env.advance_time(SECONDS + (PAUSE if number < len(answers) - 1 else 0))
    assert world.channel.last_message.embeds[0].title == "🏁 Final standings"
    return prompts


def prompt_of(embed: discord.Embed) -> str:
    """A question's prompt: the first line of its embed."""
    return (embed.description or "").split("\n")[0]


async def review(world: World) -> simcord.InteractionResult:
    """alice runs ``/quiz review``."""
    return await world.alice.slash(world.channel, "quiz review")


async def answer_review(world: World, message: discord.Message, *, right_answer: bool) -> discord.Message:
    """Answer the open review card (right after 6 s, a "Good"), returning the reveal message."""
    live = message.components[0]["components"]
    await world.env.advance_time(6)
    correct = _correct_position(world, message)
    position = correct if right_answer else (correct + 1) % len(live)
    picked = await world.alice.click(message, custom_id=live[position]["custom_id"])
    assert picked.response is not None
    return picked.response


def _correct_position(world: World, message: discord.Message) -> int:
    """The right display position of the open review card, from the bank (prompt → question → shown choices)."""
    prompt = prompt_of(message.embeds[0])
    question = next(q for q in world.bot.library.get(BANK).questions if q.prompt == prompt)
    labels = [c["label"] for c in message.components[0]["components"]]
    return next(i for i, label in enumerate(labels) if label.split(": ", 1)[-1] == question.correct_choice)


async def test_missed_questions_come_back_when_due_and_a_right_review_waits(world: World) -> None:
    """Two misses in a round are served exactly, a day later; one answered right stops coming back until due."""
    prompts = await play_round(world, [False, True, False])
    missed = {prompts[0], prompts[2]}

    early = await review(world)
    assert early.ephemeral
    text = early.response.content or ""
    assert text.startswith("Nothing to review right now. Your next card is due <t:") and ":R>" in text
    assert text.endswith("you have 3 cards.")
    found = re.search(r"<t:(\d+):R>", text)
    assert found is not None
    # The first miss closed two questions and two pauses ago: it is due a day after that.
    assert int(found[1]) == int(world.env.now().timestamp()) + DAY - (2 * SECONDS + 2 * PAUSE)

    await world.env.advance_time(DAY)
    result = await review(world)
    assert result.ephemeral and "don't count" in (result.response.content or "")
    message = result.response
    served = [prompt_of(message.embeds[0])]
    assert message.embeds[0].title == "Review 1/2"
    first = await answer_review(world, message, right_answer=True)
    reveal = first.embeds[0]
    assert reveal.title.startswith("Review 1/2 · Answer ")
    description = reveal.description or ""
    assert "✅ You chose **" in description and "the right answer" in description
    assert "Last time you chose " in description and "Next review <t:" in description
    assert "\n> " in "\n" + description and "— ¶" in description  # the passage, as in a round
    rows = [[c["label"] for c in row["components"]] for row in first.components]
    assert rows == [["Next card"], ["Report"]]
    nxt = await world.alice.click(first, custom_id=first.components[0]["components"][0]["custom_id"])
    message = nxt.response
    served.append(prompt_of(message.embeds[0]))
    second = await answer_review(world, message, right_answer=False)
    assert "❌ You chose **" in (second.embeds[0].description or "")
    assert set(served) == missed

    # A day on: the card answered right waits for its later due date; the one missed again is back.
    await world.env.advance_time(DAY)
    again = await review(world)
    assert again.response.embeds[0].title == "Review 1/1"
    assert prompt_of(again.response.embeds[0]) == served[1]


async def test_nothing_answered_means_no_cards(world: World) -> None:
    """A player who never answered has no cards, and is told how cards are made."""
    result = await review(world)
    assert result.ephemeral and (result.response.content or "").startswith("You have no cards yet")


async def test_turning_review_off_deletes_the_cards_and_stops_new_ones(world: World) -> None:
    """``/quiz review switch:off`` deletes the player's cards; later answers make none until it is on again."""
    await play_round(world, [False])
    off = await world.alice.slash(world.channel, "quiz review", switch="off")
    assert "Review is off" in (off.response.content or "") and "1 card deleted" in (off.response.content or "")
    assert (await review(world)).response.content.startswith("You turned review off here")
    await world.env.advance_time(PAUSE)
    await play_round(world, [False])
    async with world.bot.sessions() as session:
        for model in (ReviewCardRow, PendingReviewRow):
            count = select(func.count()).select_from(model).where(model.user_id == world.alice.id)
            assert (await session.execute(count)).scalar_one() == 0
    on = await world.alice.slash(world.channel, "quiz review", switch="on")
    assert "Review is on" in (on.response.content or "")


async def test_stats_show_cards_due_and_retention(world: World) -> None:
    """The player's own ``/quiz stats`` counts their cards, those due, and their retention."""
    await play_round(world, [False, True])
    stats = await world.alice.slash(world.channel, "quiz stats")
    assert (stats.response.embeds[0].description or "").startswith(
        "🧠 Review cards: 0 due of 2 · retention not measured yet"
    )
    other = await world.bob.slash(world.channel, "quiz stats", member=world.alice)
    assert "Review cards" not in (other.response.embeds[0].description or "")


async def test_practice_answers_become_cards(world: World) -> None:
    """A practice answer makes a card as a round's does."""
    result = await world.alice.slash(world.channel, "quiz practice", bank=BANK, questions=1)
    button = result.response.components[0]["components"][0]
    await world.alice.click(result.response, custom_id=button["custom_id"])
    summary = await world.bot.reviews.summary(world.guild.id, world.alice.id)
    assert summary.cards == 1
