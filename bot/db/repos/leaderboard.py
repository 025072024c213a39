"""Leaderboards: all-time from ``scores``, weekly and per-bank summed from ``answers``.

Equal points share a rank: a player's rank is one more than the number of players with
more points, so a page can start mid-tie and still number correctly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, Subquery, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AnswerRow, PlayerRow, RoundQuestionRow, ScoreRow
from bot.db.repos._sql import table

Scope = Literal["all", "week", "bank"]


@dataclass(frozen=True, slots=True)
class LeaderboardRow:
    """One line of a leaderboard; ``display_name`` is None for players never named."""

    rank: int
    user_id: int
    display_name: str | None
    points: int


def standings(guild_id: int, scope: Scope, *, bank_id: str | None, since: datetime | None) -> Subquery:
    """A ``(user_id, points)`` subquery of every ranked player in the scope.

    "all" reads ``scores``; "week" needs ``since`` (the start of the week, computed by the
    caller in the guild's time zone) and may add ``bank_id``; "bank" needs ``bank_id`` and
    may add ``since``. Only scored answers count.
    """
    if scope == "all":
        if bank_id is not None or since is not None:
            raise ValueError("the all-time leaderboard takes no bank_id or since; use scope 'bank' or 'week'")
        scores = table(ScoreRow)
        return select(scores.c.user_id, scores.c.points).where(scores.c.guild_id == guild_id).subquery("standings")
    if scope == "week" and since is None:
        raise ValueError("the weekly leaderboard needs since")
    if scope == "bank" and bank_id is None:
        raise ValueError("the bank leaderboard needs bank_id")
    answers = table(AnswerRow)
    query = select(answers.c.user_id, func.sum(answers.c.points).label("points")).where(
        answers.c.guild_id == guild_id, answers.c.correct.is_not(None)
    )
    if since is not None:
        query = query.where(answers.c.answered_at >= since)
    if bank_id is not None:
        query = query.where(answers.c.bank_id == bank_id)
    return query.group_by(answers.c.user_id).subquery("standings")


async def _players_above(session: AsyncSession, board: Subquery, points: int) -> int:
    query = select(func.count()).select_from(board).where(board.c.points > points)
    return int((await session.execute(query)).scalar_one())


def _named(board: Subquery, guild_id: int) -> Select[Any]:
    """The standings with each player's display name."""
    players = table(PlayerRow)
    return select(board.c.user_id, board.c.points, players.c.display_name).outerjoin(
        players, and_(players.c.guild_id == guild_id, players.c.user_id == board.c.user_id)
    )


async def top(
    session: AsyncSession,
    guild_id: int,
    *,
    limit: int = 10,
    offset: int = 0,
    scope: Scope = "all",
    bank_id: str | None = None,
    since: datetime | None = None,
) -> list[LeaderboardRow]:
    """One page of the leaderboard, most points first; ties share a rank."""
    board = standings(guild_id, scope, bank_id=bank_id, since=since)
    query = (
        _named(board, guild_id)
        # Descending on both columns so the all-time page is a backward scan of the scores index.
        .order_by(board.c.points.desc(), board.c.user_id.desc())
        .limit(limit)
        .offset(offset)
    )
    rows = (await session.execute(query)).all()
    if not rows:
        return []
    result: list[LeaderboardRow] = []
    # Nobody has more points than the first row of the first page: skip the count there.
    rank = 1 if offset == 0 else 1 + await _players_above(session, board, rows[0].points)
    for place, row in enumerate(rows, start=offset + 1):
        if result and row.points != result[-1].points:
            rank = place
        result.append(LeaderboardRow(rank, row.user_id, row.display_name, int(row.points)))
    return result


async def rank_of(
    session: AsyncSession,
    guild_id: int,
    user_id: int,
    *,
    scope: Scope = "all",
    bank_id: str | None = None,
    since: datetime | None = None,
) -> LeaderboardRow | None:
    """The player's line on the leaderboard, wherever it falls; None if they have no points entry in the scope."""
    board = standings(guild_id, scope, bank_id=bank_id, since=since)
    # One round trip: the player's row and, correlated, how many players have more points.
    others = standings(guild_id, scope, bank_id=bank_id, since=since).alias("others")
    above = select(func.count()).select_from(others).where(others.c.points > board.c.points).scalar_subquery()
    query = _named(board, guild_id).add_columns(above.label("above"))
    row = (await session.execute(query.where(board.c.user_id == user_id))).one_or_none()
    if row is None:
        return None
    return LeaderboardRow(1 + int(row.above), row.user_id, row.display_name, int(row.points))


async def count_players(
    session: AsyncSession,
    guild_id: int,
    *,
    scope: Scope = "all",
    bank_id: str | None = None,
    since: datetime | None = None,
) -> int:
    """How many players the leaderboard has, for paging."""
    board = standings(guild_id, scope, bank_id=bank_id, since=since)
    return int((await session.execute(select(func.count()).select_from(board))).scalar_one())


async def round_players_totals(session: AsyncSession, guild_id: int, round_id: int) -> dict[int, int]:
    """The all-time points of everyone who answered in a round, in one query (a subquery, not a list of ids)."""
    scores, answers, questions = table(ScoreRow), table(AnswerRow), table(RoundQuestionRow)
    players = (
        select(answers.c.user_id)
        .join(questions, questions.c.id == answers.c.round_question_id)
        .where(questions.c.round_id == round_id)
    )
    query = select(scores.c.user_id, scores.c.points).where(
        scores.c.guild_id == guild_id, scores.c.user_id.in_(players)
    )
    return {int(row.user_id): int(row.points) for row in (await session.execute(query)).all()}
