"""P2: the leaderboard's top 10 plus the caller's rank, at 10k and 100k players (10 answers each).

    .venv/bin/python -m bench.leaderboard [--players 10000 100000]

Builds a migrated SQLite database per size (players, their score aggregates and ten recorded
answers each), then times what ``/quiz leaderboard`` reads for the all-time board: ``top(limit=10)``
and the caller's rank from the bot's ``RankIndex``, through the real repositories. The index's
first load (one sorted read of the guild's points) happens in a warm-up query and is reported
apart. Prints p50/p99 per size.
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

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.db import repos
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade_database
from bot.db.repos.ranks import RankIndex

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
    ranks = RankIndex()
    timings: list[float] = []
    try:
        for query in range(QUERIES + 1):
            caller = rng.randrange(1, players + 1)
            started = time.perf_counter()
            async with sessions() as session:
                page = await repos.top(session, GUILD, limit=10)
                mine = await ranks.rank_of(session, GUILD, caller)
            timings.append(time.perf_counter() - started)
            assert len(page) == 10 and mine is not None
            if query % 50 == 0:  # spot-check against counting in SQL
                async with sessions() as session:
                    assert mine == await repos.rank_of(session, GUILD, caller)
    finally:
        await engine.dispose()
    first, timings = timings[0], sorted(timings[1:])
    assert ranks.loads == 1
    return BoardTiming(
        players,
        answers,
        statistics.median(timings) * 1000,
        timings[int(len(timings) * 0.99) - 1] * 1000,
        first * 1000,
    )


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
            f"p50 {timing.p50_ms:.2f} ms, p99 {timing.p99_ms:.2f} ms (target p99 <= 5 ms at 100,000); "
            f"first query, loading the rank index: {timing.first_ms:.1f} ms"
        )


if __name__ == "__main__":
    main()
