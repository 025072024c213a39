"""The round service keeps the engine and the store in step: answers committed, closes awarded, rounds replayed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import repos
from bot.db.models import AnswerRow
from bot.quiz import AlreadyAnswered, Bank, QuestionClosed
from bot.rounds.errors import RoundAlreadyRunning
from bot.rounds.library import BankLibrary
from bot.rounds.service import RoundService
from tests.db.helpers import CHANNEL, GUILD, SOURCE, STARTER, make_question

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def library() -> BankLibrary:
    questions = tuple(make_question(f"q{i}") for i in range(6))
    return BankLibrary([Bank(id="bank", title="A bank", source=SOURCE, questions=questions)])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def service(
    maker: async_sessionmaker[AsyncSession], library: BankLibrary, clock: Clock
) -> AsyncIterator[RoundService]:
    service = RoundService(maker, library, clock)
    yield service
    await service.aclose()


async def _answers(maker: async_sessionmaker[AsyncSession]) -> int:
    async with maker() as session:
        return int((await session.execute(select(func.count()).select_from(AnswerRow))).scalar_one())


async def test_round_is_stored_played_and_finished(
    service: RoundService, maker: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """Answers are committed as they come; closing awards points; finishing ranks the players."""
    live = await service.start(
        guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank_ids=["bank"], count=2, seconds=20
    )
    opened = await service.open_next(live)
    question_id = live.current_question_id
    assert question_id is not None
    clock.now += timedelta(seconds=4)
    await service.answer(live, question_id, 1, "alice", opened.played.correct_position)
    assert await _answers(maker) == 1  # committed before answer() returned
    with pytest.raises(AlreadyAnswered):
        await service.answer(live, question_id, 1, "alice", 0)
    clock.now += timedelta(seconds=16)
    reveal = await service.close(live)
    assert [a.player_id for a in reveal.correct_answers] == [1]
    with pytest.raises(QuestionClosed):
        await service.answer(live, question_id, 2, "bob", 0)

    await service.open_next(live)
    await service.close(live)
    standings, changes = await service.finish(live)
    assert [(s.player_id, s.points) for s in standings] == [(1, reveal.correct_answers[0].points)]
    assert [(c.user_id, c.before, c.after) for c in changes] == [(1, None, 1)]
    async with maker() as session:
        assert (await repos.rank_of(session, GUILD, 1)) is not None


async def test_second_round_in_a_channel_is_refused(service: RoundService) -> None:
    """One running round per channel."""
    await service.start(guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank_ids=["bank"], count=1, seconds=20)
    with pytest.raises(RoundAlreadyRunning):
        await service.start(
            guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank_ids=["bank"], count=1, seconds=20
        )


async def test_a_burst_of_answers_shares_transactions(
    service: RoundService, maker: async_sessionmaker[AsyncSession]
) -> None:
    """200 simultaneous clicks are all committed, in far fewer transactions than clicks."""
    live = await service.start(
        guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank_ids=["bank"], count=1, seconds=20
    )
    await service.open_next(live)
    question_id = live.current_question_id
    assert question_id is not None
    await asyncio.gather(*(service.answer(live, question_id, user, f"p{user}", user % 4) for user in range(200)))
    assert await _answers(maker) == 200
    writer = service._writer
    assert writer.written == 200 and writer.batches < 50
    reveal = await service.close(live)
    assert sum(reveal.distribution) == 200


async def test_a_batch_window_gathers_clicks(
    maker: async_sessionmaker[AsyncSession], library: BankLibrary, clock: Clock
) -> None:
    """With a 20 ms window, 50 clicks a millisecond apart are committed in a handful of transactions."""
    service = RoundService(maker, library, clock, batch_window=0.02)
    live = await service.start(
        guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank_ids=["bank"], count=1, seconds=20
    )
    await service.open_next(live)
    question_id = live.current_question_id
    assert question_id is not None

    async def click(user: int) -> None:
        await asyncio.sleep(user / 1000)
        await service.answer(live, question_id, user, f"p{user}", 0)

    await asyncio.gather(*(click(user) for user in range(50)))
    assert await _answers(maker) == 50
    assert service._writer.batches <= 10
    await service.aclose()


async def test_a_failed_write_withdraws_the_answer(
    service: RoundService, maker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When storing an answer fails, the player is not told it counted and may answer again."""
    live = await service.start(
        guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank_ids=["bank"], count=1, seconds=20
    )
    await service.open_next(live)
    question_id = live.current_question_id
    assert question_id is not None

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(repos, "answers_write", broken)
    with pytest.raises(OSError, match="disk full"):
        await service.answer(live, question_id, 1, "alice", 0)
    monkeypatch.undo()
    await service.answer(live, question_id, 1, "alice", 1)
    assert await _answers(maker) == 1


async def test_restore_replays_the_stored_round(
    service: RoundService, maker: async_sessionmaker[AsyncSession], library: BankLibrary, clock: Clock
) -> None:
    """A new service on the same database rebuilds the round with the same answers and totals."""
    live = await service.start(
        guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank_ids=["bank"], count=3, seconds=20
    )
    for _ in range(2):
        opened = await service.open_next(live)
        question_id = live.current_question_id
        assert question_id is not None
        clock.now += timedelta(seconds=2)
        await service.answer(live, question_id, 1, "alice", opened.played.correct_position)
        await service.answer(live, question_id, 2, "bob", (opened.played.correct_position + 1) % 4)
        clock.now += timedelta(seconds=18)
        await service.close(live)
    opened = await service.open_next(live)
    question_id = live.current_question_id
    assert question_id is not None
    await service.answer(live, question_id, 2, "bob", opened.played.correct_position)

    (restored,) = await RoundService(maker, library, clock).restore()
    assert restored.id == live.id and restored.current_question_id == question_id
    assert restored.engine.tallies.keys() == live.engine.tallies.keys()
    assert {p: t.points for p, t in restored.engine.tallies.items()} == {
        p: t.points for p, t in live.engine.tallies.items()
    }
    assert restored.engine.answer_of(2) == live.engine.answer_of(2)
    assert restored.names == {1: "alice", 2: "bob"}
