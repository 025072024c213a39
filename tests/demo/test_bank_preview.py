"""``quizbot preview``: every question of a bank and its reveal, posted as players see them, limits applied."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.banks import load_banks
from bot.demo.bank_preview import post_bank, summary
from bot.demo.world import DemoWorld
from bot.quiz import Bank
from bot.settings import Settings
from tests.demo.conftest import QUESTIONS, embed_title


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[DemoWorld]:
    """A started demo world, without its page or players at work."""
    world = DemoWorld(settings)
    await world.start()
    try:
        yield world
    finally:
        await world.close()


@pytest.fixture(scope="module")
def bank() -> Bank:
    """The shipped bank."""
    report = load_banks([QUESTIONS])
    assert not report.issues
    return report.banks[0]


async def test_every_question_then_its_reveal(world: DemoWorld, bank: Bank) -> None:
    """Each question is posted, closed (buttons disabled) and followed by its reveal quoting the passage."""
    problems = await post_bank(world, bank)
    assert problems == []
    history = world.channel.history()
    total = len(bank.questions)
    assert len(history) == 2 * total + 1
    for number, question in enumerate(bank.questions, start=1):
        asked, revealed = history[2 * number - 2], history[2 * number - 1]
        assert embed_title(asked) == f"Question {number}/{total}"
        assert question.prompt in (asked.embeds[0].description or "")
        assert all(button.disabled for row in asked.components for button in row.children)  # type: ignore[union-attr]
        assert embed_title(revealed).startswith(f"Question {number}/{total} · Answer")
        assert "> " in (revealed.embeds[0].description or "")
    assert embed_title(history[-1]) == "🏁 Final standings"
    assert "fit Discord's limits" in summary(bank, problems)


async def test_a_refused_message_is_reported_with_its_question(world: DemoWorld, bank: Bank) -> None:
    """A message Discord refuses (400 / 50035) is listed with its question id and noted in the channel."""
    small = Bank(id=bank.id, title=bank.title, source=bank.source, questions=bank.questions[:2])
    world.env.inject_error(
        "POST", "/channels/*/messages", status=400, code=50035, message="embeds[0].description: Must be 4096 or fewer"
    )
    problems = await post_bank(world, small)
    first = small.questions[0].id
    assert [(p.question_id, p.message) for p in problems] == [(first, "question")]
    assert "50035" in problems[0].error and "4096" in problems[0].error
    notice = world.channel.history()[0]
    assert notice.content.startswith(f"⚠️ Question `{first}`: Discord would refuse the question")
    assert "would be refused" in summary(small, problems)
