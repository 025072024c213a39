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
``score_moves`` (``catch_up``, run as soon as a ``scores`` hint arrives, and by a read that finds its copy
behind before the hint did), and reloads only when those are missing.

Moves are applied to the copy in place, with no await in between: copying 100,000 points and names for
each close of another process cost more than the 5 ms a board read may take. So a reader takes what it
needs from a snapshot before its next await (`RankIndex.board` computes the ranks before reading names).
"""

from __future__ import annotations

import logging
from bisect import bisect_left, insort
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.driver import DriverReader
from bot.db.models import GuildRow, PlayerRow, ScoreRow
from bot.db.repos._sql import dialect_name, table
from bot.db.repos.answers import ClosedQuestion
from bot.db.repos.leaderboard import LeaderboardRow
from bot.db.repos.players import player_names, player_names_query
from bot.db.repos.score_moves import (
    Moves,
    score_moves_since,
    version_and_moves,
    version_and_moves_parameters,
    version_and_moves_query,
    version_and_steps,
)

log = logging.getLogger(__name__)

# Each move shifts the list (a memmove of the guild's entries); beyond this many, one sorted read is cheaper.
MAX_MOVES_IN_PLACE = 200
# A copy further behind than this many versions is reloaded rather than stepped forward.
MAX_CATCH_UP = 50
#: Guilds with at least this many players are loaded ahead of the first leaderboard (`RankIndex.preload`):
#: below it, a first load takes a few milliseconds anyway.
PRELOAD_PLAYERS = 2_000


@dataclass(slots=True)
class RankSnapshot:
    """A guild's all-time standings at one scores version: ``(points, user_id)`` ascending, and names seen.

    Stepped forward in place (`_move`), between two awaits of its readers, never during one's synchronous part.
    """

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
        self._reader: DriverReader | None = None

    def read_through(self, reader: DriverReader | None) -> None:
        """Check freshness and read names with ``reader`` (PostgreSQL through asyncpg) rather than sessions.

        The check runs before every board read in a process that shares the database: on the driver it costs a
        fraction of a session's round trip, checkout and pre-ping (issue 12's P9). The caller closes the reader.
        """
        self._reader = reader

    async def board(
        self, sessions: async_sessionmaker[AsyncSession], guild_id: int, viewer_id: int, *, offset: int, limit: int
    ) -> Standings:
        """A page of the all-time board and the viewer's line, as `repos.top` and `repos.rank_of` give them.

        One query (the scores version, with any moves since the cached copy's) and a second only for names
        not seen yet; none at all for a sole writer's copy whose names are known.
        """
        snapshot = await self.current(sessions, guild_id)
        if snapshot is None:
            return Standings([], None, 0)
        # Everything is taken from the copy now: a hint may step it forward while the names are read.
        taken = snapshot.version
        page = [(1 + snapshot.above(points), points, user) for points, user in snapshot.page(offset, limit)]
        mine = snapshot.points_of.get(viewer_id)
        shown = [user for _, _, user in page] + ([] if mine is None else [viewer_id])
        names = {user: snapshot.names[user] for user in shown if user in snapshot.names}
        mine_line = None if mine is None else (1 + snapshot.above(mine), mine)
        players = snapshot.players
        unnamed = {user for user in shown if user not in names}
        if unnamed:
            found = await self._names(sessions, guild_id, unnamed)
            self.round_trips += 1
            names.update((user, found.get(user)) for user in unnamed)
            if snapshot.version == taken:  # else a move may have dropped a name read before it: keep none
                snapshot.names.update((user, names[user]) for user in unnamed)
        rows = [LeaderboardRow(rank, user, names[user], points) for rank, points, user in page]
        line = None if mine_line is None else LeaderboardRow(mine_line[0], viewer_id, names[viewer_id], mine_line[1])
        return Standings(rows, line, players)

    def guilds(self) -> list[int]:
        """The guilds whose standings are cached."""
        return list(self._guilds)

    async def current(self, sessions: async_sessionmaker[AsyncSession], guild_id: int) -> RankSnapshot | None:
        """The guild's standings at the scores version a read must show (None for a guild without one).

        The one check of freshness, kept apart so that cross-process hints can decide it: a sole writer's
        copy is current by construction; otherwise the database says, in one query that also brings the
        moves of any closes another process made since the copy's version (unless a hint applied them first),
        run on the kept driver connection when there is one (`read_through`).
        """
        cached = self._guilds.get(guild_id)
        if self.sole_writer and cached is not None:
            return cached
        if cached is not None and self._reader is not None:
            start = cached.version
            self.round_trips += 1
            rows = await self._reader.fetch(
                version_and_moves_query(), version_and_moves_parameters(guild_id, start, most=MAX_CATCH_UP)
            )
            version, steps = version_and_steps(rows, start, most=MAX_CATCH_UP)
            return await self._step(sessions, guild_id, cached, start, version, steps)
        async with sessions() as session:
            self.round_trips += 1
            if dialect_name(session) == "postgresql":
                # One statement needs no transaction: without it, no BEGIN and ROLLBACK round trips, which are
                # most of what this read costs (each a wake-up of the server).
                await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            if cached is None:
                version = await _stored_version(session, guild_id)
                return None if version is None else await self._snapshot(session, guild_id, version)
            start = cached.version
            version, steps = await version_and_moves(session, guild_id, start, most=MAX_CATCH_UP)
        return await self._step(sessions, guild_id, cached, start, version, steps)

    async def _step(
        self,
        sessions: async_sessionmaker[AsyncSession],
        guild_id: int,
        cached: RankSnapshot,
        start: int,
        version: int | None,
        steps: list[Moves] | None,
    ) -> RankSnapshot | None:
        """The cached copy (read at version ``start``) brought to ``version`` with ``steps``, or reloaded."""
        if version is None:
            return None
        if cached.version >= version:
            return cached  # current, or stepped forward by a hint while the query ran
        if (
            steps is not None
            and sum(len(step) for step in steps) <= MAX_MOVES_IN_PLACE
            and self._guilds.get(guild_id) is cached
            and cached.version == start
        ):
            _move(cached, version, steps)
            self.caught_up += 1
            return cached
        latest = self._guilds.get(guild_id)
        if latest is not None and latest.version >= version:
            return latest
        async with sessions() as session:
            return await self._load(session, guild_id, version)

    async def _names(
        self, sessions: async_sessionmaker[AsyncSession], guild_id: int, users: set[int]
    ) -> dict[int, str]:
        if self._reader is not None:
            rows = await self._reader.fetch(player_names_query(), {"guild_id": guild_id, "users": sorted(users)})
            return {int(user): name for user, name in rows}
        async with sessions() as session:
            return await player_names(session, guild_id, users)

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
        _move(cached, closed.scores_version, [closed.moves])
        self.updates += 1

    async def catch_up(self, session: AsyncSession, guild_id: int, version: int) -> RankSnapshot | None:
        """Step a cached copy forward to ``version`` with the moves other processes' closes kept; None if it cannot.

        Only a cached copy behind ``version`` by at most ``MAX_CATCH_UP`` closes, all of whose moves are kept,
        is stepped forward; anything else is left for a reload.
        """
        cached = self._guilds.get(guild_id)
        if cached is not None and cached.version >= version:
            return cached  # a hint (or this process's own close) got it there first
        if cached is None or version - cached.version > MAX_CATCH_UP:
            return None
        start = cached.version
        steps = await score_moves_since(session, guild_id, start, version)
        if steps is None or sum(len(step) for step in steps) > MAX_MOVES_IN_PLACE:
            return None
        if self._guilds.get(guild_id) is not cached or cached.version != start:
            # Stepped forward (or dropped) while the moves were read: current if it got this far, else read again.
            return cached if self._guilds.get(guild_id) is cached and cached.version >= version else None
        _move(cached, version, steps)
        self.caught_up += 1
        return cached

    def hinted(self, guild_id: int, version: int, moves: Moves | None) -> bool:
        """Another process closed a question (a ``scores`` hint): apply its moves now, off the read path.

        True when done (or nothing to do); False when the copy needs the kept moves read (`catch_up`): the hint
        came without them, or the copy is more than one close behind.
        """
        cached = self._guilds.get(guild_id)
        if cached is None or cached.version >= version:
            return True
        if moves is None or cached.version != version - 1 or len(moves) > MAX_MOVES_IN_PLACE:
            return False
        _move(cached, version, [moves])
        self.caught_up += 1
        return True

    async def _snapshot(self, session: AsyncSession, guild_id: int, version: int) -> RankSnapshot:
        cached = self._guilds.get(guild_id)
        if cached is not None and cached.version >= version:
            return cached  # stepped forward by a hint since ``version`` was read: newer still
        if cached is not None and (stepped := await self.catch_up(session, guild_id, version)) is not None:
            return stepped
        # A hint may have stepped the copy forward while we read the moves.
        cached = self._guilds.get(guild_id)
        if cached is not None and cached.version >= version:
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


def _move(snapshot: RankSnapshot, version: int, steps: list[Moves]) -> None:
    """Apply each step's moves in order to the snapshot itself, and label it ``version``; no await inside."""
    entries, points_of, names = snapshot.entries, snapshot.points_of, snapshot.names
    for moves in steps:
        for user, before, after in moves:
            if before is not None:
                del entries[bisect_left(entries, (before, user))]
            insort(entries, (after, user))
            points_of[user] = after
            # A player's name is stored with their answers, so whoever scored may go by a new one.
            names.pop(user, None)
    snapshot.version = version
