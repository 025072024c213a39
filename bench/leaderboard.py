"""P2: the leaderboard's top 10 plus the caller's rank, at 10k and 100k players (10 answers each).

    .venv/bin/python -m bench.leaderboard [--players 10000 100000]

Builds a migrated SQLite database per size (players, their score aggregates and ten recorded
answers each), then times what ``/quiz leaderboard`` reads for the all-time board:
``RankIndex.board`` (page one, the caller's line and the player count), as the bot on SQLite runs it
(the sole writer: no version check against the database). The index's load, which the bot does in the
background at start-up (``RankIndex.preload``), is timed apart, as is the first read after it (which
reads the page's names). Every 50th read is compared with the SQL repositories' answer. The same reads
with the version checked in the database each time (several processes sharing it) are timed too.
Prints p50/p99 per size.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.db import repos
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade_database
from bot.db.repos.ranks import PRELOAD_PLAYERS, RankIndex

GUILD = 1
ANSWERS_PER_PLAYER = 10
QUERIES = 400


@dataclass(frozen=True)
class BoardTiming:
    """Latency of one leaderboard read (top 10 + the caller's rank) at one size."""

    players: int
    answers: int
    p50_ms: float
    p99_ms: float
    first_ms: float
    preload_ms: float
    shared_p99_ms: float


def fill(path: Path, players: int, rng: random.Random) -> int:
    """Write ``players`` players with scores and ten scored answers each; returns the answer count."""
    now = "2026-11-01 12:00:00.000000"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "INSERT INTO guilds (id, timezone, default_seconds, default_questions, allowed_channel_ids,"
        " show_answerers, created_at) VALUES (?, 'UTC', 20, 10, '[]', 1, ?)",
        (GUILD, now),
    )
    db.execute(
        "INSERT INTO rounds (id, guild_id, channel_id, started_by, kind, status, seed, seconds, bank_ids,"
        " started_at) VALUES (1, ?, 1, 1, 'channel', 'finished', 1, 20, ?, ?)",
        (GUILD, '["b"]', now),
    )
    db.executemany(
        "INSERT INTO round_questions (id, round_id, position, bank_id, question_id, choice_order, correct_position)"
        " VALUES (?, 1, ?, 'b', ?, '[0,1,2,3]', 0)",
        [(q, q, f"q{q}") for q in range(1, 101)],
    )
    db.executemany(
        "INSERT INTO players (guild_id, user_id, display_name, updated_at) VALUES (?, ?, ?, ?)",
        ((GUILD, user, f"player{user}", now) for user in range(1, players + 1)),
    )
    db.executemany(
        "INSERT INTO scores (guild_id, user_id, points, answered, correct, rounds_played, best_streak,"
        " current_streak, last_played_at) VALUES (?, ?, ?, 10, 5, 1, 3, 0, ?)",
        ((GUILD, user, rng.randrange(0, 20_000), now) for user in range(1, players + 1)),
    )
    db.executemany(
        "INSERT INTO answers (round_question_id, guild_id, user_id, bank_id, question_id, position, choice_index,"
        " answered_at, elapsed_ms, correct, points, streak) VALUES (?, ?, ?, 'b', ?, 0, 0, ?, 5000, 1, 900, 1)",
        (
            (q, GUILD, user, f"q{q}", now)
            for user in range(1, players + 1)
            for q in rng.sample(range(1, 101), ANSWERS_PER_PLAYER)
        ),
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return players * ANSWERS_PER_PLAYER


async def measure(players: int, directory: Path) -> BoardTiming:
    """Build the database for ``players`` and time QUERIES leaderboard reads."""
    path = directory / f"board-{players}.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade_database(url)
    rng = random.Random(players)
    answers = fill(path, players, rng)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    ranks = RankIndex(sole_writer=True)
    try:
        started = time.perf_counter()
        assert await ranks.preload(sessions) == (1 if players >= PRELOAD_PLAYERS else 0)
        preload = time.perf_counter() - started
        timings = await _reads(ranks, sessions, players, rng)
        shared = await _reads(RankIndex(), sessions, players, rng)
    finally:
        await engine.dispose()
    first, timings = timings[0], sorted(timings[1:])
    assert ranks.loads == 1
    return BoardTiming(
        players,
        answers,
        statistics.median(timings) * 1000,
        _p99(timings) * 1000,
        first * 1000,
        preload * 1000,
        _p99(sorted(shared[1:])) * 1000,
    )


def _p99(timings: list[float]) -> float:
    return timings[int(len(timings) * 0.99) - 1]


async def _reads(
    ranks: RankIndex, sessions: async_sessionmaker[AsyncSession], players: int, rng: random.Random
) -> list[float]:
    """Time QUERIES + 1 reads of page one and a random caller's line, checking some against SQL."""
    timings: list[float] = []
    for query in range(QUERIES + 1):
        caller = rng.randrange(1, players + 1)
        started = time.perf_counter()
        board = await ranks.board(sessions, GUILD, caller, offset=0, limit=10)
        timings.append(time.perf_counter() - started)
        assert len(board.rows) == 10 and board.mine is not None
        if query % 50 == 0:  # spot-check against counting in SQL
            async with sessions() as session:
                assert board.rows == await repos.top(session, GUILD, limit=10)
                assert board.mine == await repos.rank_of(session, GUILD, caller)
                assert board.players == await repos.count_players(session, GUILD)
    return timings


async def run(sizes: list[int]) -> list[BoardTiming]:
    """Measure every size in one temporary folder."""
    with tempfile.TemporaryDirectory(prefix="quizbot-p2-") as directory:
        return [await measure(size, Path(directory)) for size in sizes]


def main() -> None:
    """Print the latency per size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--players", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    for timing in asyncio.run(run(args.players)):
        print(
            f"{timing.players:>9,} players, {timing.answers:>10,} answers: "
            f"p50 {timing.p50_ms:.3f} ms, p99 {timing.p99_ms:.3f} ms (target p99 <= 1 ms at 100,000); "
            f"preload {timing.preload_ms:.0f} ms, then first read {timing.first_ms:.1f} ms (target <= 50 ms); "
            f"version checked in the database each read: p99 {timing.shared_p99_ms:.2f} ms"
        )


if __name__ == "__main__":
    main()
