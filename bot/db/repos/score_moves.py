"""Each question close's score moves, kept by the scores version it made, so other processes apply them.

``close_question`` bumps ``guilds.scores_version``; the moves written here in the same transaction let
a rank index at the previous version step forward instead of reading every player's points again. A
gap (a close with too many moves to keep, or moves pruned) makes that index reload, never guess.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.hints import notify_in
from bot.db.models import ScoreMoveRow
from bot.db.repos._sql import table
from bot.db.repos.answers import ClosedQuestion

# Beyond this many changed players, a reload is cheaper than applying the moves: they are not kept.
MAX_KEPT_MOVES = 200
# Versions kept per guild; an index further behind than this reloads.
KEEP_VERSIONS = 1000

#: Each scored player's user id, points before (None: new) and after.
Moves = list[tuple[int, int | None, int]]


async def record_score_moves(session: AsyncSession, closed: ClosedQuestion) -> None:
    """Keep a close's moves under its version and hint the other processes (PostgreSQL), in the close's transaction."""
    moves = table(ScoreMoveRow)
    if len(closed.moves) <= MAX_KEPT_MOVES:
        await session.execute(
            moves.insert().values(
                guild_id=closed.guild_id,
                version=closed.scores_version,
                moves=[[user, before, after] for user, before, after in closed.moves],
            )
        )
    if closed.scores_version % 100 == 0:
        await session.execute(
            delete(moves).where(
                moves.c.guild_id == closed.guild_id, moves.c.version <= closed.scores_version - KEEP_VERSIONS
            )
        )
    await notify_in(session, "scores", f"{closed.guild_id}:{closed.scores_version}")


async def score_moves_since(session: AsyncSession, guild_id: int, after: int, upto: int) -> list[Moves] | None:
    """The moves of versions ``after + 1`` to ``upto`` in order, or None if any of them is not kept."""
    moves = table(ScoreMoveRow)
    rows = (
        await session.execute(
            select(moves.c.version, moves.c.moves)
            .where(moves.c.guild_id == guild_id, moves.c.version > after, moves.c.version <= upto)
            .order_by(moves.c.version)
        )
    ).all()
    if [int(row.version) for row in rows] != list(range(after + 1, upto + 1)):
        return None
    if any(len(move) != 3 for row in rows for move in row.moves):
        return None  # kept without the players' ids (written before the index needed them): reload
    return [[(user, before, after_) for user, before, after_ in row.moves] for row in rows]
