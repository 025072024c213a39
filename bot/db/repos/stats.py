"""A player's statistics in a guild: totals, all-time rank and per-question record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AnswerRow, ScoreRow
from bot.db.repos._sql import table


@dataclass(frozen=True, slots=True)
class QuestionStat:
    """How often a player answered one question, and how often correctly."""

    bank_id: str
    question_id: str
    answered: int
    correct: int


@dataclass(frozen=True, slots=True)
class PlayerStats:
    """A player's all-time record in a guild."""

    user_id: int
    rounds_played: int
    answered: int
    correct: int
    points: int
    best_streak: int
    current_streak: int
    last_played_at: datetime | None
    rank: int
    per_question: tuple[QuestionStat, ...]

    @property
    def accuracy(self) -> float:
        """The share of answers that were right, 0.0 before any answer."""
        return self.correct / self.answered if self.answered else 0.0


async def player_stats(session: AsyncSession, guild_id: int, user_id: int) -> PlayerStats | None:
    """The player's statistics, or None if they have never had an answer scored in the guild."""
    scores = table(ScoreRow)
    score = (
        await session.execute(select(scores).where(scores.c.guild_id == guild_id, scores.c.user_id == user_id))
    ).one_or_none()
    if score is None:
        return None
    above = (
        await session.execute(select(func.count()).where(scores.c.guild_id == guild_id, scores.c.points > score.points))
    ).scalar_one()

    answers = table(AnswerRow)
    per_question = (
        await session.execute(
            select(
                answers.c.bank_id,
                answers.c.question_id,
                func.count().label("answered"),
                func.sum(case((answers.c.correct.is_(True), 1), else_=0), type_=Integer).label("correct"),
            )
            .where(answers.c.guild_id == guild_id, answers.c.user_id == user_id, answers.c.correct.is_not(None))
            .group_by(answers.c.bank_id, answers.c.question_id)
            .order_by(answers.c.bank_id, answers.c.question_id)
        )
    ).all()
    return PlayerStats(
        user_id=user_id,
        rounds_played=score.rounds_played,
        answered=score.answered,
        correct=score.correct,
        points=int(score.points),
        best_streak=score.best_streak,
        current_streak=score.current_streak,
        last_played_at=score.last_played_at,
        rank=1 + int(above),
        per_question=tuple(
            QuestionStat(r.bank_id, r.question_id, int(r.answered), int(r.correct)) for r in per_question
        ),
    )
