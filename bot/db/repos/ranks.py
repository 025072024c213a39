"""All-time ranks in O(log n): each guild's points, sorted in memory, valid while its scores version holds.

A rank is one more than the number of players with more points. Counting that range of an index is
linear in its size (50,000 entries for a mid-table player of a 100,000-player guild), so the rank is
read from a sorted copy of the guild's points with ``bisect`` instead. ``close_question`` bumps
``guilds.scores_version`` in the transaction that changes any score; a copy read at another version
is not served, so several processes sharing one database never serve a stale rank. The process that
closed a question applies its changes to its own copy (``record``); another process steps its copy
forward with the moves each close kept in ``score_moves`` (``catch_up``, also run when a ``scores`` hint
arrives), and reloads only when those are missing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import GuildRow, PlayerRow, ScoreRow
from bot.db.repos._sql import table
from bot.db.repos.answers import ClosedQuestion
from bot.db.repos.leaderboard import LeaderboardRow
from bot.db.repos.score_moves import Moves, score_moves_since

# Each move shifts the list (a memmove of the guild's points); beyond this many, one sorted read is cheaper.
MAX_MOVES_IN_PLACE = 200
# A copy further behind than this many versions is reloaded rather than stepped forward.
MAX_CATCH_UP = 50


@dataclass(frozen=True, slots=True)
class RankSnapshot:
    """A guild's all-time points at one scores version, ascending."""

    version: int
    points: list[int]

    def above(self, points: int) -> int:
        """How many players have more than ``points``."""
        return len(self.points) - bisect_right(self.points, points)


class RankIndex:
    """Cached, sorted points per guild; one process-wide instance, passed to whoever needs ranks."""

    def __init__(self) -> None:
        self._guilds: dict[int, RankSnapshot] = {}
        self.loads = 0
        self.updates = 0
        self.caught_up = 0

    async def rank_of(self, session: AsyncSession, guild_id: int, user_id: int) -> LeaderboardRow | None:
        """The player's all-time line (as ``repos.rank_of`` gives it); None if they have no score."""
        scores, players, guilds = table(ScoreRow), table(PlayerRow), table(GuildRow)
        query = (
            select(scores.c.points, players.c.display_name, guilds.c.scores_version)
            .join(guilds, guilds.c.id == scores.c.guild_id)
            .outerjoin(players, and_(players.c.guild_id == guild_id, players.c.user_id == user_id))
            .where(scores.c.guild_id == guild_id, scores.c.user_id == user_id)
        )
        row = (await session.execute(query)).one_or_none()
        if row is None:
            return None
        snapshot = await self._snapshot(session, guild_id, row.scores_version)
        return LeaderboardRow(1 + snapshot.above(row.points), user_id, row.display_name, int(row.points))

    async def count(self, session: AsyncSession, guild_id: int) -> int:
        """How many players the guild's all-time leaderboard has."""
        return len((await self.snapshot(session, guild_id)).points)

    async def snapshot(self, session: AsyncSession, guild_id: int) -> RankSnapshot:
        """The guild's points as they stand now (empty for an unknown guild), for many ranks at once."""
        guilds = table(GuildRow)
        version = (await session.execute(select(guilds.c.scores_version).where(guilds.c.id == guild_id))).scalar()
        if version is None:
            return RankSnapshot(0, [])
        return await self._snapshot(session, guild_id, version)

    def record(self, closed: ClosedQuestion) -> None:
        """Apply a question close this process committed to the cached points, so the next read needs no reload.

        Only a copy that was current just before the close is updated (its version one behind the close's);
        any other is left to be reloaded. Past ``MAX_MOVES_IN_PLACE`` players, reloading is cheaper.
        """
        cached = self._guilds.get(closed.guild_id)
        if cached is None or cached.version != closed.scores_version - 1:
            return
        if len(closed.moves) > MAX_MOVES_IN_PLACE:
            del self._guilds[closed.guild_id]
            return
        self._guilds[closed.guild_id] = RankSnapshot(closed.scores_version, _moved(cached.points, [closed.moves]))
        self.updates += 1

    async def catch_up(self, session: AsyncSession, guild_id: int, version: int) -> RankSnapshot | None:
        """Step a cached copy forward to ``version`` with the moves other processes' closes kept; None if it cannot.

        Only a cached copy behind ``version`` by at most ``MAX_CATCH_UP`` closes, all of whose moves are kept,
        is stepped forward; anything else is left for a reload.
        """
        cached = self._guilds.get(guild_id)
        if cached is None or cached.version > version or version - cached.version > MAX_CATCH_UP:
            return None
        if cached.version == version:
            return cached
        steps = await score_moves_since(session, guild_id, cached.version, version)
        if steps is None or sum(len(step) for step in steps) > MAX_MOVES_IN_PLACE:
            return None
        if self._guilds.get(guild_id) is not cached:
            return None  # changed while we read the moves: let the caller read again
        snapshot = RankSnapshot(version, _moved(cached.points, steps))
        self._guilds[guild_id] = snapshot
        self.caught_up += 1
        return snapshot

    async def hinted(self, session: AsyncSession, guild_id: int, version: int) -> None:
        """Another process closed a question (a ``scores`` hint): step a cached copy forward now, off the read path."""
        if guild_id in self._guilds:
            await self.catch_up(session, guild_id, version)

    async def _snapshot(self, session: AsyncSession, guild_id: int, version: int) -> RankSnapshot:
        cached = self._guilds.get(guild_id)
        if cached is not None and cached.version == version:
            return cached
        if cached is not None and (stepped := await self.catch_up(session, guild_id, version)) is not None:
            return stepped
        # A hint may have stepped the copy forward while we read the moves.
        cached = self._guilds.get(guild_id)
        if cached is not None and cached.version == version:
            return cached
        scores, guilds = table(ScoreRow), table(GuildRow)
        # The version is read in the same statement as the points, so the snapshot is labelled truly.
        rows = (
            await session.execute(
                select(scores.c.points, guilds.c.scores_version)
                .join(guilds, guilds.c.id == scores.c.guild_id)
                .where(scores.c.guild_id == guild_id)
                .order_by(scores.c.points)
            )
        ).all()
        snapshot = RankSnapshot(rows[0].scores_version if rows else version, [int(r.points) for r in rows])
        self._guilds[guild_id] = snapshot
        self.loads += 1
        return snapshot


def _moved(points: list[int], steps: list[Moves]) -> list[int]:
    """A new sorted list: ``points`` with each step's moves applied in order (a reader may hold the old one)."""
    moved = list(points)
    for moves in steps:
        for before, after in moves:
            if before is not None:
                del moved[bisect_left(moved, before)]
            insort(moved, after)
    return moved
