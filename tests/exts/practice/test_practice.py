"""``/quiz practice``: a private round for one player, with the same reveals, that never scores."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import func, select

from bot.db.models import AnswerRow, ScoreRow
from bot.quiz import LETTERS
from tests.exts.conftest import BANK, World


def correct_position(world: World, description: str, labels: list[str]) -> int:
    """The button of the right answer, found from the question's prompt in the bot's banks."""
    question = next(
        q for bank in world.bot.library.visible(world.guild.id) for q in bank.questions if q.prompt in description
    )
    return next(i for i, label in enumerate(labels) if label == f"{LETTERS[i]}: {question.correct_choice}")


async def test_practice_round_is_private_explained_and_not_counted(world: World) -> None:
    """Two questions answered in ephemeral messages, reveals quote the passage, and nothing is stored."""
    result = await world.alice.slash(world.channel, "quiz practice", bank=BANK, questions=2)
    assert result.ephemeral
    assert result.response.embeds[0].title == "Question 1/2"
    assert "don't count" in (result.response.content or "")
    assert world.channel.history() == []  # nothing public

    message = result.response
    for number in (1, 2):
        buttons = message.components[0]["components"]
        picked = await world.alice.click(message, custom_id=buttons[0]["custom_id"])
        reveal = picked.response.embeds[0]
        assert reveal.title.startswith(f"Question {number}/2 · Answer ")
        assert "\n> " in "\n" + (reveal.description or "") and "— ¶" in (reveal.description or "")
        message = picked.response
        next_label = "See results" if number == 2 else "Next question"
        nxt = message.components[0]["components"][0]
        assert nxt["label"] == next_label
        advanced = await world.alice.click(message, custom_id=nxt["custom_id"])
        message = advanced.response

    summary = message.embeds[0]
    assert summary.title == "🎓 Practice finished"
    assert summary.footer.text == "Practice rounds don't count on the server leaderboard."
    async with world.bot.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(AnswerRow))).scalar_one() == 0
        assert (await session.execute(select(func.count()).select_from(ScoreRow))).scalar_one() == 0


async def test_practice_answer_after_the_time_limit_does_not_count(world: World) -> None:
    """A practice question left past its time is revealed with a notice, and no answer counted."""
    result = await world.bob.slash(world.channel, "quiz practice", bank=BANK, questions=1)
    await world.env.advance_time(600)
    assert result.response is not None
    reveal = result.response.embeds[0]
    assert "Time's up" in (reveal.description or "")
    # The solo reveal has no answer distribution (no "Right (0/0)" field): it says what you chose.
    assert reveal.fields == [] and "You didn't answer" in (reveal.description or "")


async def test_practice_follows_the_banks_own_seconds(world: World) -> None:
    """A bank's own seconds apply to practice as to a round of it (practice once always used the server's)."""
    shipped = world.bot.library.get(BANK)
    world.bot.library.replace([dataclasses.replace(shipped, seconds=45)])
    result = await world.alice.slash(world.channel, "quiz practice", bank=BANK, questions=1)
    deadline = world.env.now() + timedelta(seconds=45)
    assert f"Closes <t:{int(deadline.timestamp())}:R>" in (result.response.embeds[0].description or "")


async def test_a_practice_question_closes_at_its_deadline_and_reveals(world: World) -> None:
    """Left alone, the question is revealed at its deadline in place, with a Next button and no choices left."""
    result = await world.bob.slash(world.channel, "quiz practice", bank=BANK, questions=2)
    await world.env.advance_time(5)
    assert result.response is not None and result.response.embeds[0].title == "Question 1/2"
    await world.env.advance_time(60)
    shown = result.response
    reveal = shown.embeds[0]
    assert reveal.title.startswith("Question 1/2 · Answer ")
    description = reveal.description or ""
    assert "Time's up" in description and "You didn't answer; the answer is **" in description
    assert [c["label"] for c in shown.components[0]["components"]] == ["Next question"]


async def test_the_solo_reveal_says_what_you_chose_without_a_distribution(world: World) -> None:
    """A wrong answer reads "You chose X; the answer is Y", with no answer bars and no "Nobody got this one"."""
    result = await world.alice.slash(world.channel, "quiz practice", bank=BANK, questions=1)
    buttons = result.response.components[0]["components"]
    right = correct_position(world, result.response.embeds[0].description or "", [b["label"] for b in buttons])
    wrong = (right + 1) % len(buttons)
    picked = await world.alice.click(result.response, custom_id=buttons[wrong]["custom_id"])
    reveal = picked.response.embeds[0]
    expected = f"❌ You chose **{LETTERS[wrong]}**; the answer is **{LETTERS[right]}**."
    assert expected in (reveal.description or "")
    assert reveal.fields == []
    assert "Nobody got this one" not in str(reveal.to_dict())


async def test_the_summary_gives_no_medal_for_nothing(world: World) -> None:
    """A practice round with no answer ends with "You answered none of the 2 questions", and no medal."""
    shown = await world.carol.slash(world.channel, "quiz practice", bank=BANK, questions=2)
    for _ in range(2):
        await world.env.advance_time(60)  # each question closes on its own
        assert shown.response is not None
        nxt = shown.response.components[0]["components"][0]
        shown = await world.carol.click(shown.response, custom_id=nxt["custom_id"])
    message = shown.response
    assert message is not None
    summary = message.embeds[0]
    assert summary.title == "🎓 Practice finished"
    assert summary.description == "You answered none of the 2 questions."
    assert not any(medal in str(summary.to_dict()) for medal in ("🥇", "🥈", "🥉"))
