"""Answers: recorded once per player and question, scored exactly once when the question closes."""

from __future__ import annotations

import functools
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.batches import Write
from bot.db.models import AnswerRow, GuildRow, RoundQuestionRow, RoundRow, ScoreRow
from bot.db.repos._sql import rowcount, table, upsert
from bot.db.repos.cards import Rated, record_ratings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClosedQuestion:
    """What closing a question changed: the guild's new scores version, and each scored player's points."""

    guild_id: int
    scores_version: int
    moves: list[tuple[int, int | None, int]]  # each player's all-time points before (None: new) and after


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """The engine's verdict on one answer, written when its question closes."""

    user_id: int
    correct: bool
    points: int
    streak: int


@dataclass(frozen=True, slots=True)
class NewAnswer:
    """An answer to store, as the round service hands it over."""

    round_question_id: int
    guild_id: int
    user_id: int
    bank_id: str
    question_id: str
    position: int
    choice_index: int
    answered_at: datetime
    elapsed_ms: int


def answers_write(dialect: str, answers: Sequence[NewAnswer]) -> Write:
    """The bulk insert of ``answers`` (a second answer by the same player is ignored), for a write runner."""
    return Write(_insert_answers(dialect), [_columns(answer) for answer in answers])


@functools.cache
def _insert_answers(dialect: str) -> Any:
    """The bulk insert, built once per dialect: this runs for every batch of clicks."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table(AnswerRow)).on_conflict_do_nothing(index_elements=["round_question_id", "user_id"])


def _columns(answer: NewAnswer) -> dict[str, object]:
    return {
        "round_question_id": answer.round_question_id,
        "guild_id": answer.guild_id,
        "user_id": answer.user_id,
        "bank_id": answer.bank_id,
        "question_id": answer.question_id,
        "position": answer.position,
        "choice_index": answer.choice_index,
        "answered_at": answer.answered_at,
        "elapsed_ms": answer.elapsed_ms,
    }


async def close_question(
    session: AsyncSession,
    round_question_id: int,
    closed_at: datetime,
    results: Sequence[AnswerResult],
    broken_streaks: Collection[int] = (),
    ratings: Sequence[Rated] = (),
) -> ClosedQuestion | None:
    """Close a question and score its answers, once; what changed, or None if it was already closed.

    One transaction of named steps. The conditional UPDATE of ``closed_at`` decides the winner
    when several processes close the same question: only the winner writes each answer's
    verdict and adds it to ``scores``. ``broken_streaks`` are the players the engine says lost
    their streak by not answering (``Reveal.broken_streaks``); their all-time current streak ends too.
    ``ratings`` are the players' review ratings of the question (``bot.review``), appended for their cards.
    """
    if not await _claim_close(session, round_question_id, closed_at):
        return None
    guild_id = await _guild_of(session, round_question_id)
    version = await _bump_scores_version(session, guild_id)
    scored = await _with_stored_answers(session, round_question_id, results)
    await _write_verdicts(session, round_question_id, scored)
    old_points = await _add_to_scores(session, guild_id, round_question_id, scored, closed_at)
    await _end_streaks(session, guild_id, broken_streaks)
    await _record_ratings(session, guild_id, scored, ratings, closed_at)
    moves = [(r.user_id, old_points.get(r.user_id), old_points.get(r.user_id, 0) + r.points) for r in scored]
    return ClosedQuestion(guild_id, version, moves)


async def _claim_close(session: AsyncSession, round_question_id: int, closed_at: datetime) -> bool:
    """Mark the question closed unless it already is; True for the one caller that closed it."""
    questions = table(RoundQuestionRow)
    statement = (
        update(questions)
        .where(questions.c.id == round_question_id, questions.c.closed_at.is_(None))
        .values(closed_at=closed_at)
    )
    return await rowcount(session, statement) == 1


async def _guild_of(session: AsyncSession, round_question_id: int) -> int:
    """The guild whose round asked this question."""
    questions, rounds = table(RoundQuestionRow), table(RoundRow)
    query = (
        select(rounds.c.guild_id)
        .join(questions, questions.c.round_id == rounds.c.id)
        .where(questions.c.id == round_question_id)
    )
    return int((await session.execute(query)).scalar_one())


async def _bump_scores_version(session: AsyncSession, guild_id: int) -> int:
    """Count one more change to the guild's scores, and return the new version."""
    guilds = table(GuildRow)
    await session.execute(
        update(guilds).where(guilds.c.id == guild_id).values(scores_version=guilds.c.scores_version + 1)
    )
    # Read after the bump, which holds the guild's row (and on SQLite the database) until commit:
    # nobody else can change these scores or this version in between.
    version = (await session.execute(select(guilds.c.scores_version).where(guilds.c.id == guild_id))).scalar_one()
    return int(version)


def _answerers(round_question_id: int) -> Any:
    """The players with a stored answer to the question (a subquery: SQLite refuses lists past 32,766 ids)."""
    answers = table(AnswerRow)
    return select(answers.c.user_id).where(answers.c.round_question_id == round_question_id)


async def _with_stored_answers(
    session: AsyncSession, round_question_id: int, results: Sequence[AnswerResult]
) -> list[AnswerResult]:
    """The verdicts whose answer is stored; a verdict without one is logged and left out, never invented."""
    stored = set((await session.execute(_answerers(round_question_id))).scalars())
    for result in results:
        if result.user_id not in stored:
            log.warning("No stored answer of user %s to question %s; not scored", result.user_id, round_question_id)
    return [result for result in results if result.user_id in stored]


async def _write_verdicts(session: AsyncSession, round_question_id: int, scored: Sequence[AnswerResult]) -> None:
    """Write each answer's verdict, points and streak."""
    if not scored:
        return
    # One executemany, not a statement per answer: a question a thousand players answered closed in 0.6 s.
    verdicts = [
        {"question": round_question_id, "user": r.user_id, "verdict": r.correct, "awarded": r.points, "run": r.streak}
        for r in scored
    ]
    await session.execute(_score_answers(), verdicts)


async def _add_to_scores(
    session: AsyncSession,
    guild_id: int,
    round_question_id: int,
    scored: Sequence[AnswerResult],
    closed_at: datetime,
) -> dict[int, int]:
    """Add the verdicts to the players' all-time scores; returns the points they had before."""
    if not scored:
        return {}
    scores = table(ScoreRow)
    totals_query = select(scores.c.user_id, scores.c.points).where(
        scores.c.guild_id == guild_id, scores.c.user_id.in_(_answerers(round_question_id))
    )
    old_points = {int(row.user_id): int(row.points) for row in await session.execute(totals_query)}
    statement = upsert(session, scores)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["guild_id", "user_id"],
        set_={
            "points": scores.c.points + excluded.points,
            "answered": scores.c.answered + 1,
            "correct": scores.c.correct + excluded.correct,
            # The engine's streak after this answer, which counts on from the all-time one within a round.
            "current_streak": excluded.current_streak,
            "best_streak": case(
                (excluded.best_streak > scores.c.best_streak, excluded.best_streak), else_=scores.c.best_streak
            ),
            "last_played_at": excluded.last_played_at,
        },
    )
    params = [
        {
            "guild_id": guild_id,
            "user_id": r.user_id,
            "points": r.points,
            "answered": 1,
            "correct": int(r.correct),
            "rounds_played": 0,
            "current_streak": r.streak,
            "best_streak": r.streak,
            "last_played_at": closed_at,
        }
        for r in scored
    ]
    await session.execute(statement, params)
    return old_points


async def _record_ratings(
    session: AsyncSession,
    guild_id: int,
    scored: Sequence[AnswerResult],
    ratings: Sequence[Rated],
    closed_at: datetime,
) -> None:
    """Append the review ratings: of stored answers, and of players who left the question unanswered."""
    answered = {r.user_id for r in scored}
    await record_ratings(
        session, guild_id, [r for r in ratings if r.choice is None or r.user_id in answered], closed_at
    )


async def _end_streaks(session: AsyncSession, guild_id: int, player_ids: Collection[int]) -> None:
    """Set these players' current streak to zero (one executemany, whatever their number)."""
    if not player_ids:
        return
    await session.execute(_end_streak(), [{"guild": guild_id, "user": user_id} for user_id in player_ids])


@functools.cache
def _end_streak() -> Any:
    """The UPDATE ending one player's current streak, run once per player in one executemany."""
    scores = table(ScoreRow)
    return (
        update(scores)
        .where(scores.c.guild_id == bindparam("guild"), scores.c.user_id == bindparam("user"))
        .values(current_streak=0)
    )


@functools.cache
def _score_answers() -> Any:
    """The UPDATE writing one answer's verdict, run once per answer of a closing question in one executemany."""
    answers = table(AnswerRow)
    return (
        update(answers)
        .where(answers.c.round_question_id == bindparam("question"), answers.c.user_id == bindparam("user"))
        .values(correct=bindparam("verdict"), points=bindparam("awarded"), streak=bindparam("run"))
    )
