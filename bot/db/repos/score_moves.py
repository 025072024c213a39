"""Each question close's score moves, kept by the scores version it made, so other processes apply them.

``close_question`` bumps ``guilds.scores_version``; the moves written here in the same transaction let
a rank index at the previous version step forward instead of reading every player's points again. A
gap (a close with too many moves to keep, or moves pruned) makes that index reload, never guess.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Select, and_, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.hints import notify_in
from bot.db.models import GuildRow, ScoreMoveRow
from bot.db.repos._sql import table
from bot.db.repos.answers import ClosedQuestion

# Beyond this many changed players, a reload is cheaper than applying the moves: they are not kept.
MAX_KEPT_MOVES = 200
# Versions kept per guild; an index further behind than this reloads.
KEEP_VERSIONS = 1000
# The moves ride in the ``scores`` hint when they fit well within PostgreSQL's 8,000-byte payload (about
# 150 players): the listening processes then apply them without a query.
MAX_HINT_MOVES_CHARS = 6000

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
    await notify_in(session, "scores", scores_hint(closed))


def scores_hint(closed: ClosedQuestion) -> str:
    """The ``scores`` hint of a close: ``guild:version``, and ``:moves`` (JSON) when they fit in a notification."""
    hint = f"{closed.guild_id}:{closed.scores_version}"
    moves = json.dumps([[user, before, after] for user, before, after in closed.moves], separators=(",", ":"))
    return f"{hint}:{moves}" if len(moves) <= MAX_HINT_MOVES_CHARS else hint


def parse_scores_hint(argument: str) -> tuple[int, int, Moves | None]:
    """The guild, scores version and (if they came along) moves of a ``scores`` hint."""
    guild_id, _, rest = argument.partition(":")
    version, _, moves = rest.partition(":")
    if not moves:
        return int(guild_id), int(version), None
    return int(guild_id), int(version), [(int(user), before, int(after)) for user, before, after in json.loads(moves)]


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
    return _steps([(row.version, row.moves) for row in rows], after, upto)


async def version_and_moves(
    session: AsyncSession, guild_id: int, after: int, *, most: int
) -> tuple[int | None, list[Moves] | None]:
    """The guild's scores version now (None: no such guild) and, in the same query, the moves since ``after``.

    The moves are None when the version is more than ``most`` ahead or any step is not kept. One round trip
    instead of two: this is what a read of a cached board costs when another process closed a question.
    """
    parameters = version_and_moves_parameters(guild_id, after, most=most)
    rows = (await session.execute(version_and_moves_query(), parameters)).all()
    return version_and_steps(rows, after, most=most)


def version_and_moves_parameters(guild_id: int, after: int, *, most: int) -> dict[str, int]:
    """The parameters of `version_and_moves_query`."""
    return {"guild_id": guild_id, "after": after, "upto": after + most}


@functools.cache
def version_and_moves_query() -> Select[Any]:
    """The guild's scores version, and the kept moves of versions ``after`` + 1 to ``upto``, one row per move.

    Built once: it also runs straight on the driver (`bot.db.driver.DriverReader`), whose plans are kept by statement.
    """
    guilds, moves = table(GuildRow), table(ScoreMoveRow)
    return (
        select(guilds.c.scores_version, moves.c.version, moves.c.moves)
        .select_from(guilds)
        .outerjoin(
            moves,
            and_(
                moves.c.guild_id == guilds.c.id,
                moves.c.version > bindparam("after", type_=BigInteger),
                moves.c.version <= guilds.c.scores_version,
                moves.c.version <= bindparam("upto", type_=BigInteger),
            ),
        )
        .where(guilds.c.id == bindparam("guild_id", type_=BigInteger))
        .order_by(moves.c.version)
    )


def version_and_steps(rows: Sequence[Any], after: int, *, most: int) -> tuple[int | None, list[Moves] | None]:
    """What `version_and_moves` returns, from its query's rows (whose moves a driver gives as JSON text)."""
    if not rows:
        return None, None
    version = int(rows[0][0])
    if version <= after:
        return version, []
    if version - after > most:
        return version, None
    kept = [(row[1], json.loads(row[2]) if isinstance(row[2], str) else row[2]) for row in rows if row[1] is not None]
    return version, _steps(kept, after, version)


def _steps(rows: Sequence[tuple[Any, Any]], after: int, upto: int) -> list[Moves] | None:
    """Each ``(version, moves)`` row's moves, if they are exactly the versions ``after`` + 1 to ``upto``, all whole."""
    if [int(version) for version, _ in rows] != list(range(after + 1, upto + 1)):
        return None
    if any(len(move) != 3 for _, kept in rows for move in kept):
        return None  # kept without the players' ids (written before the index needed them): reload
    return [[(user, before, after_) for user, before, after_ in kept] for _, kept in rows]
