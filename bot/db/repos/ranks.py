"""All-time standings in memory: each guild's players sorted by points, valid while its scores version holds.

A rank is one more than the number of players with more points. Counting that range of an index is
linear in its size (50,000 entries for a mid-table player of a 100,000-player guild), so ranks are read
from a sorted copy of the guild's ``(points, user_id)`` with ``bisect`` instead, and a page of the
all-time board is a slice of it: `RankIndex.board` serves the board with no SQL at all once the copy is
loaded and known to be current (display names are read once and kept with the copy).

``close_question`` bumps ``guilds.scores_version`` in the transaction that changes any score. Whether a
copy is still current is decided in one place, `RankIndex.version`: it asks the database, unless the
index was told this process is the database's only writer (SQLite), in which case a copy kept up to date
by ``record`` is current by construction. The process that closed a question applies its changes to its
own copy (``record``); another process steps its copy forward with the moves each close kept in
``score_moves`` (``catch_up``, also run when a ``scores`` hint arrives), and reloads only when those are
missing.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, insort
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import GuildRow, PlayerRow, ScoreRow
from bot.db.repos._sql import table
from bot.db.repos.answers import ClosedQuestion
from bot.db.repos.leaderboard import LeaderboardRow
from bot.db.repos.players import player_names
from bot.db.repos.score_moves import Moves, score_moves_since

log = logging.getLogger(__name__)

# Each move shifts the list (a memmove of the guild's entries); beyond this many, one sorted read is cheaper.
MAX_MOVES_IN_PLACE = 200
# A copy further behind than this many versions is reloaded rather than stepped forward.
MAX_CATCH_UP = 50
#: Guilds with at least this many players are loaded ahead of the first leaderboard (`RankIndex.preload`):
#: below it, a first load takes a few milliseconds anyway.
PRELOAD_PLAYERS = 2_000


@dataclass(frozen=True, slots=True)
class RankSnapshot:
    """A guild's all-time standings at one scores version: ``(points, user_id)`` ascending, and names seen."""

    version: int
    entries: list[tuple[int, int]]
    points_of: dict[int, int]
    #: Display names (None: never named); dropped for a player whose points change, read again when shown.
    names: dict[int, str | None] = field(default_factory=dict, compare=False)

    @property
    def players(self) -> int:
        """How many players have a score."""
        return len(self.entries)

    def above(self, points: int) -> int:
        """How many players have more than ``points``."""
        # (points + 1,) sorts before every entry with points + 1 or more: bisect finds the first of them.
        return len(self.entries) - bisect_left(self.entries, (points + 1,))

    def page(self, offset: int, limit: int) -> list[tuple[int, int]]:
        """``limit`` entries from ``offset``, most points first and, among equals, the highest user id first."""
        end = len(self.entries) - offset
        if end <= 0 or limit <= 0:
            return []
        return self.entries[max(0, end - limit) : end][::-1]


@dataclass(frozen=True, slots=True)
class Standings:
    """What the all-time board shows: one page, the viewer's own line, and how many players there are."""

    rows: list[LeaderboardRow]
    mine: LeaderboardRow | None
    players: int


class RankIndex:
    """Cached, sorted standings per guild; one process-wide instance, passed to whoever needs ranks."""

    def __init__(self, *, sole_writer: bool = False) -> None:
        """``sole_writer``: this process makes every change to the scores (one process on SQLite)."""
        self.sole_writer = sole_writer
        self._guilds: dict[int, RankSnapshot] = {}
        self.loads = 0
        self.updates = 0
        self.round_trips = 0
        self.caught_up = 0

    async def board(
        self, sessions: async_sessionmaker[AsyncSession], guild_id: int, viewer_id: int, *, offset: int, limit: int
    ) -> Standings:
        """A page of the all-time board and the viewer's line, as `repos.top` and `repos.rank_of` give them.

        No session is opened when the copy is current and every name on the page is known.
        """
        version = await self.version(sessions, guild_id)
        if version is None:
            return Standings([], None, 0)
        snapshot = self._guilds.get(guild_id)
        if snapshot is None or snapshot.version != version:
            async with sessions() as session:
                snapshot = await self._snapshot(session, guild_id, version)
        page = snapshot.page(offset, limit)
        mine = snapshot.points_of.get(viewer_id)
        names = snapshot.names
        unnamed = {user for _, user in page if user not in names}
        if mine is not None and viewer_id not in names:
            unnamed.add(viewer_id)
        if unnamed:
            async with sessions() as session:
                found = await player_names(session, guild_id, unnamed)
            self.round_trips += 1
            for user in unnamed:
                names[user] = found.get(user)
        rows = [LeaderboardRow(1 + snapshot.above(points), user, names[user], points) for points, user in page]
        line = None if mine is None else LeaderboardRow(1 + snapshot.above(mine), viewer_id, names[viewer_id], mine)
        return Standings(rows, line, snapshot.players)

    async def version(self, sessions: async_sessionmaker[AsyncSession], guild_id: int) -> int | None:
        """The scores version a read of the guild must show (None for a guild without one).

        The one check of freshness, kept apart so that cross-process hints can decide it: a sole writer's
        copy is current by construction; otherwise the database says.
        """
        cached = self._guilds.get(guild_id)
        if self.sole_writer and cached is not None:
            return cached.version
        async with sessions() as session:
            self.round_trips += 1
            return await _stored_version(session, guild_id)

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
        return (await self.snapshot(session, guild_id)).players

    async def snapshot(self, session: AsyncSession, guild_id: int) -> RankSnapshot:
        """The guild's standings as they stand now (empty for an unknown guild), for many ranks at once."""
        version = await _stored_version(session, guild_id)
        if version is None:
            return RankSnapshot(0, [], {})
        return await self._snapshot(session, guild_id, version)

    async def preload(self, sessions: async_sessionmaker[AsyncSession], *, min_players: int = PRELOAD_PLAYERS) -> int:
        """Load the standings of every guild with ``min_players`` or more, so no command waits for it."""
        scores = table(ScoreRow)
        async with sessions() as session:
            query = select(scores.c.guild_id).group_by(scores.c.guild_id).having(func.count() >= min_players)
            guild_ids = [int(guild_id) for guild_id in (await session.execute(query)).scalars()]
        for guild_id in guild_ids:
            async with sessions() as session:
                await self.snapshot(session, guild_id)
        log.debug("Rank index preloaded for %d guilds", len(guild_ids))
        return len(guild_ids)

    def record(self, closed: ClosedQuestion) -> None:
        """Apply a question close this process committed to the cached standings, so the next read needs no reload.

        Only a copy that was current just before the close is updated (its version one behind the close's);
        any other is dropped, to be reloaded. Past ``MAX_MOVES_IN_PLACE`` players, reloading is cheaper.
        """
        cached = self._guilds.get(closed.guild_id)
        if cached is None:
            return
        if cached.version != closed.scores_version - 1 or len(closed.moves) > MAX_MOVES_IN_PLACE:
            del self._guilds[closed.guild_id]
            return
        self._guilds[closed.guild_id] = _moved(cached, closed.scores_version, [closed.moves])
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
        snapshot = _moved(cached, version, steps)
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
        return await self._load(session, guild_id, version)

    async def _load(self, session: AsyncSession, guild_id: int, version: int) -> RankSnapshot:
        scores, guilds, players = table(ScoreRow), table(GuildRow), table(PlayerRow)
        # The version is read in the same statement as the points, so the snapshot is labelled truly; the
        # names come along, so that a viewer's own line needs no query of its own.
        rows = (
            await session.execute(
                select(scores.c.points, scores.c.user_id, players.c.display_name, guilds.c.scores_version)
                .join(guilds, guilds.c.id == scores.c.guild_id)
                .outerjoin(players, and_(players.c.guild_id == guild_id, players.c.user_id == scores.c.user_id))
                .where(scores.c.guild_id == guild_id)
                .order_by(scores.c.points, scores.c.user_id)
            )
        ).all()
        if rows:
            version = int(rows[0].scores_version)
        entries = [(int(row.points), int(row.user_id)) for row in rows]
        names = {int(row.user_id): row.display_name for row in rows}
        snapshot = RankSnapshot(version, entries, {user: points for points, user in entries}, names)
        self._guilds[guild_id] = snapshot
        self.loads += 1
        return snapshot


async def _stored_version(session: AsyncSession, guild_id: int) -> int | None:
    guilds = table(GuildRow)
    version = (await session.execute(select(guilds.c.scores_version).where(guilds.c.id == guild_id))).scalar()
    return None if version is None else int(version)


def _moved(snapshot: RankSnapshot, version: int, steps: list[Moves]) -> RankSnapshot:
    """A new snapshot: each step's moves applied in order, to new containers (a reader may hold the old ones)."""
    entries, points_of, names = list(snapshot.entries), dict(snapshot.points_of), dict(snapshot.names)
    for moves in steps:
        for user, before, after in moves:
            if before is not None:
                del entries[bisect_left(entries, (before, user))]
            insort(entries, (after, user))
            points_of[user] = after
            # A player's name is stored with their answers, so whoever scored may go by a new one.
            names.pop(user, None)
    return RankSnapshot(version, entries, points_of, names)
