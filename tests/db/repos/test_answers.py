"""Answers: one per player and question, scored exactly once, with the scores table kept in step."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AnswerRow
from bot.db.repos import AnswerResult, close_question, player_stats

from ..helpers import GUILD, T0, answer, load_round, start_round


async def _answer_count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(AnswerRow))).scalar_one())


async def test_record_answer_is_idempotent(session: AsyncSession) -> None:
    """A second answer by the same player is ignored: False, and the first one stays."""
    rnd = await start_round(session)
    assert await answer(session, rnd, 0, 1, 2)
    assert not await answer(session, rnd, 0, 1, 3)
    assert await answer(session, rnd, 1, 1, 3)
    assert await _answer_count(session) == 2
    loaded = await load_round(session, rnd.id)
    assert loaded is not None
    assert [a.position for a in loaded.questions[0].answers] == [2]


async def test_close_question_scores_once(session: AsyncSession) -> None:
    """Closing writes each verdict and adds it to the scores; a second close changes nothing."""
    rnd = await start_round(session)
    await answer(session, rnd, 0, 1, 0)
    await answer(session, rnd, 0, 2, 1)
    results = [AnswerResult(1, True, 950, 1), AnswerResult(2, False, 0, 0)]
    assert await close_question(session, rnd.questions[0].id, T0 + timedelta(seconds=20), results)
    assert not await close_question(session, rnd.questions[0].id, T0 + timedelta(seconds=21), results)

    loaded = await load_round(session, rnd.id)
    assert loaded is not None
    assert loaded.questions[0].closed_at == T0 + timedelta(seconds=20)
    assert [(a.user_id, a.correct, a.points, a.streak) for a in loaded.questions[0].answers] == [
        (1, True, 950, 1),
        (2, False, 0, 0),
    ]
    first = await player_stats(session, GUILD, 1)
    second = await player_stats(session, GUILD, 2)
    assert first is not None
    assert second is not None
    assert (first.points, first.answered, first.correct, first.best_streak) == (950, 1, 1, 1)
    assert first.last_played_at == T0 + timedelta(seconds=20)
    assert (second.points, second.answered, second.correct, second.best_streak) == (0, 1, 0, 0)


async def test_streaks_follow_the_engine(session: AsyncSession) -> None:
    """Current streak is what the engine gave; best streak is the maximum; skipping a question resets it."""
    rnd = await start_round(session)
    q0, q1, q2 = (q.id for q in rnd.questions)
    for index, qid, streak in ((0, q0, 1), (1, q1, 2)):
        await answer(session, rnd, index, 1, 0)
        await answer(session, rnd, index, 2, 0)
        await close_question(session, qid, T0, [AnswerResult(1, True, 500, streak), AnswerResult(2, True, 500, streak)])
    # Player 1 answers wrong, player 2 does not answer at all: both lose their streak.
    await answer(session, rnd, 2, 1, 1)
    await close_question(session, q2, T0, [AnswerResult(1, False, 0, 0)], broken_streaks=[2])  # as the engine says

    for user_id in (1, 2):
        stats = await player_stats(session, GUILD, user_id)
        assert stats is not None
        assert (stats.current_streak, stats.best_streak) == (0, 2)


async def test_result_without_a_stored_answer_is_not_scored(session: AsyncSession) -> None:
    """A verdict for a player with no stored answer is skipped rather than invented."""
    rnd = await start_round(session)
    assert await close_question(session, rnd.questions[0].id, T0, [AnswerResult(9, True, 1000, 1)])
    assert await player_stats(session, GUILD, 9) is None


async def test_concurrent_closes_award_once(maker: async_sessionmaker[AsyncSession]) -> None:
    """Two sessions closing the same question at once: the second waits, then loses."""
    async with maker() as setup:
        rnd = await start_round(setup)
        await answer(setup, rnd, 0, 1, 0)
        await setup.commit()
    qid = rnd.questions[0].id
    results = [AnswerResult(1, True, 800, 1)]

    async with maker() as first, maker() as second:
        assert await close_question(first, qid, T0, results)
        late = asyncio.create_task(close_question(second, qid, T0, results))
        await asyncio.sleep(0.3)
        assert not late.done(), "the second close should wait for the first transaction"
        await first.commit()
        assert not await asyncio.wait_for(late, timeout=10)
        await second.commit()

    async with maker() as check:
        stats = await player_stats(check, GUILD, 1)
    assert stats is not None
    assert (stats.points, stats.answered) == (800, 1)
