"""Builders for the database tests: questions, rounds and whole played questions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import RoundRow
from bot.db.repos import (
    AnswerResult,
    LeaderboardRow,
    NewAnswer,
    StoredRound,
    answers_write,
    close_question,
    create_round,
    finish_round,
    mark_question_opened,
    names_write,
)
from bot.db.repos._sql import dialect_name
from bot.db.repos.ranks import RankIndex
from bot.db.repos.rounds import _round, _rounds_query
from bot.db.repos.score_moves import record_score_moves
from bot.quiz import PlayedQuestion
from tests.quiz.helpers import make_question

T0 = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
GUILD = 111_111_111_111_111_111
OTHER_GUILD = 222_222_222_222_222_222
CHANNEL = 333_333_333_333_333_333
STARTER = 444_444_444_444_444_444


def played(count: int, *, bank_id: str = "bank", seed: int = 7) -> list[PlayedQuestion]:
    """``count`` questions of one bank, shuffled with ``seed``."""
    return [
        PlayedQuestion.shuffled(n, make_question(f"q{n}", bank_id=bank_id, answer=n % 4), seed)
        for n in range(1, count + 1)
    ]


async def start_round(
    session: AsyncSession,
    *,
    count: int = 3,
    guild_id: int = GUILD,
    channel_id: int = CHANNEL,
    bank_id: str = "bank",
    started_at: datetime = T0,
) -> StoredRound:
    """Create a running round of ``count`` questions of ``bank_id``."""
    return await create_round(
        session,
        guild_id=guild_id,
        channel_id=channel_id,
        started_by=STARTER,
        seed=2**63 - 1,
        seconds=20,
        bank_ids=[bank_id],
        questions=played(count, bank_id=bank_id),
        started_at=started_at,
    )


async def answer(
    session: AsyncSession, rnd: StoredRound, index: int, user_id: int, position: int, *, at: datetime = T0
) -> bool:
    """Record ``user_id``'s answer at ``position`` to question ``index`` of ``rnd``."""
    question = rnd.questions[index]
    return await store_answer(
        session,
        NewAnswer(
            round_question_id=question.id,
            guild_id=rnd.guild_id,
            user_id=user_id,
            bank_id=question.bank_id,
            question_id=question.question_id,
            position=position,
            choice_index=question.choice_order[position],
            answered_at=at,
            elapsed_ms=1500,
        ),
    )


async def store_answer(session: AsyncSession, new: NewAnswer) -> bool:
    """Store an answer with the answer writer's own statement; False if the player had already answered."""
    write = answers_write(dialect_name(session), [new])
    result = await session.execute(write.statement, write.rows[0])
    return cast(CursorResult[Any], result).rowcount == 1


async def store_names(
    session: AsyncSession, guild_id: int, names: Mapping[int, str], *, now: datetime | None = None
) -> None:
    """Store display names with the answer writer's own statement."""
    write = names_write(dialect_name(session), guild_id, names, now=now)
    await session.execute(write.statement, write.rows)


async def load_round(session: AsyncSession, round_id: int) -> StoredRound | None:
    """The round with its questions and answers as the store reads them after a restart, finished or not."""
    row = (await session.execute(_rounds_query().where(RoundRow.id == round_id))).scalar_one_or_none()
    return None if row is None else _round(row)


async def play_question(
    session: AsyncSession,
    points: Mapping[int, int],
    *,
    guild_id: int = GUILD,
    bank_id: str = "bank",
    at: datetime = T0,
    channel_id: int = CHANNEL,
    ranks: RankIndex | None = None,
    keep_moves: bool = False,
) -> StoredRound:
    """Play and finish a one-question round in which each user earns the given points (0 = wrong).

    With ``ranks``, the close is recorded in that index, as the round service does; with ``keep_moves``
    its score moves are kept (and hinted) for other processes, as the round service does too.
    """
    rnd = await start_round(session, count=1, guild_id=guild_id, bank_id=bank_id, started_at=at, channel_id=channel_id)
    question = rnd.questions[0]
    await mark_question_opened(session, question.id, opened_at=at, deadline=at + timedelta(seconds=20))
    results: list[AnswerResult] = []
    for user_id, earned in points.items():
        right = earned > 0
        position = question.correct_position if right else (question.correct_position + 1) % 4
        assert await answer(session, rnd, 0, user_id, position, at=at)
        results.append(AnswerResult(user_id, right, earned, 1 if right else 0))
    closed = await close_question(session, question.id, at + timedelta(seconds=20), results)
    assert closed is not None
    if keep_moves:
        await record_score_moves(session, closed)
    if ranks is not None:
        ranks.record(closed)
    assert await finish_round(session, rnd.id, ended_at=at + timedelta(seconds=21))
    return rnd


def user_ids(rows: Sequence[LeaderboardRow]) -> list[int]:
    """The user ids of leaderboard rows, in order."""
    return [row.user_id for row in rows]
