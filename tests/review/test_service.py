"""The review service: ratings folded into cards per player, cards following their questions, opt-outs."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.banks.library import BankLibrary
from bot.db.repos.cards import Rated
from bot.review import Rating
from bot.review.service import ReviewService
from tests.quiz.helpers import make_bank

GUILD, ALICE, BOB = 1, 10, 11
T0 = datetime(2026, 1, 1, tzinfo=UTC)


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def miss(user: int, question: str) -> Rated:
    """A wrong answer to a question of the test bank."""
    return Rated(user, "bank", question, int(Rating.Again), 1)


async def test_cards_follow_their_question_and_deleted_questions_drop_theirs(
    maker: async_sessionmaker[AsyncSession],
) -> None:
    """A new bank version keeps a card (same id, new wording); a question removed from the bank drops its card."""
    bank = make_bank(size=3)
    library = BankLibrary()
    library.put_guild_bank(GUILD, bank, 1)
    clock = Clock()
    service = ReviewService(maker, library, clock)
    await service.record(GUILD, [miss(ALICE, "q0"), miss(ALICE, "q1"), miss(BOB, "q2")])

    clock.now = T0 + timedelta(days=1)
    reworded = dataclasses.replace(bank.questions[0], prompt="A better prompt?")
    library.put_guild_bank(GUILD, dataclasses.replace(bank, questions=(reworded,)), 2)
    due = await service.due(GUILD, ALICE)
    assert [(d.question.id, d.question.prompt) for d in due] == [("q0", "A better prompt?")]
    assert due[0].card.last_choice == 1
    summary = await service.summary(GUILD, ALICE)
    assert (summary.cards, summary.due) == (1, 1)  # q1 went with its question
    assert (await service.summary(GUILD, BOB)).cards == 1  # bob's card is his own; nothing of alice's touched it


async def test_a_review_reschedules_and_counts_retention(maker: async_sessionmaker[AsyncSession]) -> None:
    """Answering a due card right moves it out and counts as remembered; the next due date is reported."""
    library = BankLibrary([make_bank(size=2)])
    clock = Clock()
    service = ReviewService(maker, library, clock)
    await service.record(GUILD, [miss(ALICE, "q0"), Rated(ALICE, "bank", "q1", int(Rating.Easy), 0)])
    clock.now = T0 + timedelta(days=1)
    card = await service.review(GUILD, Rated(ALICE, "bank", "q0", int(Rating.Good), 0))
    assert card is not None and card.due > clock.now + timedelta(days=1)
    summary = await service.summary(GUILD, ALICE)
    assert (summary.cards, summary.due, summary.retention) == (2, 0, 1.0)
    assert summary.next_due == min(card.due, T0 + timedelta(days=8))


async def test_opted_out_players_keep_no_cards(maker: async_sessionmaker[AsyncSession]) -> None:
    """Turning review off deletes the player's cards and keeps new ratings out; turning it on lets them in."""
    service = ReviewService(maker, BankLibrary([make_bank(size=2)]), Clock())
    await service.record(GUILD, [miss(ALICE, "q0"), miss(BOB, "q0")])
    assert await service.set_opted_out(GUILD, ALICE, True) == 1
    await service.record(GUILD, [miss(ALICE, "q1")])
    assert (await service.summary(GUILD, ALICE)).cards == 0
    assert (await service.summary(GUILD, BOB)).cards == 1
    await service.set_opted_out(GUILD, ALICE, False)
    await service.record(GUILD, [miss(ALICE, "q1")])
    assert (await service.summary(GUILD, ALICE)).cards == 1
