"""``/quiz practice``: a private round for one player, with the same reveals, that never scores."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import func, select

from bot.db.models import AnswerRow, ScoreRow
from tests.exts.conftest import BANK, World


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
    """Answering a practice question after its time is up shows the reveal with a notice and no points."""
    result = await world.bob.slash(world.channel, "quiz practice", bank=BANK, questions=1)
    await world.env.advance_time(600)
    buttons = result.response.components[0]["components"]
    picked = await world.bob.click(result.response, custom_id=buttons[0]["custom_id"])
    reveal = picked.response.embeds[0]
    assert "Time's up" in (reveal.description or "")
    assert "Right (0/0)" in [f.name for f in reveal.fields]


async def test_practice_follows_the_banks_own_seconds(world: World) -> None:
    """A bank's own seconds apply to practice as to a round of it (practice once always used the server's)."""
    shipped = world.bot.library.get(BANK)
    world.bot.library.replace([dataclasses.replace(shipped, seconds=45)])
    result = await world.alice.slash(world.channel, "quiz practice", bank=BANK, questions=1)
    deadline = world.env.now() + timedelta(seconds=45)
    assert f"Closes <t:{int(deadline.timestamp())}:R>" in (result.response.embeds[0].description or "")
