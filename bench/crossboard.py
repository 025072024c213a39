"""P9: the leaderboard at 100,000 players read in process A right after process B closed a question.

    .venv/bin/python -m bench.crossboard --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres

On a new PostgreSQL database: a guild of ``players`` players with points. "Process" A and B are each an
engine of their own and a rank index of their own, as two bot processes have (they share this driver's
event loop, not two OS processes: what is measured is A's read path, which does not depend on that).
Each of ``QUERIES`` times B closes a question the way the round service does (five players' answers
scored by ``close_question``, the score moves kept in the same transaction) and commits; A then at once
reads the top 10 and a random player's rank the way ``/quiz leaderboard`` does (`RankIndex.board`),
without waiting for the hint. Reported: p50/p99 of A's read, how many full reloads of the guild's points
A did after its warm-up (0 is the target), and how many of B's closes A applied from the kept moves.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bench.harness.pgdb import fresh_database
from bot.banks import load_banks
from bot.banks.service import BankService
from bot.banks.uploads import UploadLimits
from bot.crossprocess import follow_hints
from bot.db import repos
from bot.db.driver import driver_reader
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.hints import Hints
from bot.db.migrate import upgrade_database
from bot.db.models import PlayerRow, ScoreRow
from bot.db.repos._sql import dialect_name
from bot.db.repos.ranks import RankIndex
from bot.db.repos.score_moves import record_score_moves
from bot.quiz import PlayedQuestion

GUILD = 1
CHANNEL = 2
QUERIES = 200
PLAYERS_PER_CLOSE = 5
BANKS_DIR = Path(__file__).resolve().parents[1] / "questions"
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class CrossTiming:
    """A's reads right after B's closes."""

    players: int
    hints: bool
    p50_ms: float
    p99_ms: float
    reloads: int
    caught_up: int
    #: A's CPU per read (this process's CPU time over the read; steadier than wall time on a shared machine).
    cpu_p50_ms: float
    cpu_p99_ms: float
    #: Queries A sent per read, on average (the scores version; the moves when the hint was late; names).
    round_trips: float


async def _fill(url: str, players: int, rng: random.Random) -> None:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            await repos.ensure_guild(session, GUILD)
            for start in range(1, players + 1, 10_000):
                users = range(start, min(start + 10_000, players + 1))
                await session.execute(
                    insert(PlayerRow),
                    [{"guild_id": GUILD, "user_id": u, "display_name": f"player{u}", "updated_at": T0} for u in users],
                )
                await session.execute(
                    insert(ScoreRow),
                    [
                        {"guild_id": GUILD, "user_id": u, "points": rng.randrange(0, 20_000), "answered": 10}
                        for u in users
                    ],
                )
        async with engine.connect() as connection:
            await connection.exec_driver_sql("ANALYZE")  # as after any bulk load: the planner needs the sizes
    finally:
        await engine.dispose()


def _questions(count: int) -> list[PlayedQuestion]:
    bank = load_banks([BANKS_DIR]).banks[0]
    ids = bank.question_ids
    return [PlayedQuestion.shuffled(n, bank.question(ids[(n - 1) % len(ids)]), 7) for n in range(1, count + 1)]


async def measure(url: str, players: int = 100_000, queries: int = QUERIES, *, hints: bool = False) -> CrossTiming:
    """Time A's reads after each of B's closes, on the database at ``url`` filled with ``players``.

    With ``hints``, A listens as the bot does (``scores`` hints step its copy forward off the read path).
    """
    rng = random.Random(players)
    engine_a, engine_b = create_engine(url), create_engine(url)
    sessions_a, sessions_b = create_sessionmaker(engine_a), create_sessionmaker(engine_b)
    ranks_a, ranks_b = RankIndex(), RankIndex()
    reads_a = driver_reader(engine_a)  # as the bot does (bot.client)
    ranks_a.read_through(reads_a)
    listener = Hints()
    if hints:
        follow_hints(
            listener,
            BankService(BANKS_DIR, max_bank_bytes=1, limits=UploadLimits(1, 1), clock=lambda: T0),
            ranks_a,
            sessions_a,
        )
        listener.start(engine_a)
        await asyncio.wait_for(listener.connected.wait(), 10)
    timings: list[float] = []
    cpus: list[float] = []
    try:
        async with sessions_b.begin() as session:
            played = _questions(queries)
            stored = await repos.create_round(
                session,
                guild_id=GUILD,
                channel_id=CHANNEL + hints,  # one running round per channel
                started_by=1,
                seed=7,
                seconds=20,
                bank_ids=[played[0].question.bank_id],
                questions=played,
                started_at=T0,
            )
        async with sessions_a() as session:
            await ranks_a.snapshot(session, GUILD)  # the warm-up: A's one full load
        trips_before = ranks_a.round_trips
        for index, question in enumerate(stored.questions):
            at = T0 + timedelta(minutes=index)
            users = rng.sample(range(1, players + 1), PLAYERS_PER_CLOSE)
            async with sessions_b.begin() as session:
                await repos.mark_question_opened(
                    session, question.id, opened_at=at, deadline=at + timedelta(seconds=20)
                )
                answers = [
                    repos.NewAnswer(question.id, GUILD, user, question.bank_id, question.question_id, 0,
                                    question.choice_order[0], at, 1500)
                    for user in users
                ]  # fmt: skip
                write = repos.answers_write(dialect_name(session), answers)
                await session.execute(write.statement, write.rows)
                results = [repos.AnswerResult(user, True, rng.randrange(100, 1000), 1) for user in users]
                closed = await repos.close_question(session, question.id, at + timedelta(seconds=20), results)
                assert closed is not None
                await record_score_moves(session, closed)
            ranks_b.record(closed)
            caller = rng.randrange(1, players + 1)
            started, cpu = time.perf_counter(), time.process_time()
            standings = await ranks_a.board(sessions_a, GUILD, caller, offset=0, limit=10)
            timings.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            assert len(standings.rows) == 10 and standings.mine is not None
            if index % 50 == 0:  # spot-check against counting in SQL
                async with sessions_a() as session:
                    assert standings.mine == await repos.rank_of(session, GUILD, caller)
                    assert standings.rows == await repos.top(session, GUILD, limit=10)
    finally:
        await listener.stop()
        if reads_a is not None:
            await reads_a.aclose()
        await engine_a.dispose()
        await engine_b.dispose()
    timings.sort()
    cpus.sort()
    round_trips = (ranks_a.round_trips - trips_before) / len(timings)
    return CrossTiming(
        players,
        hints,
        statistics.median(timings) * 1000,
        timings[max(0, int(len(timings) * 0.99) - 1)] * 1000,
        ranks_a.loads - 1,
        ranks_a.caught_up,
        statistics.median(cpus) * 1000,
        cpus[max(0, int(len(cpus) * 0.99) - 1)] * 1000,
        round_trips,
    )


async def run(server_url: str, players: int = 100_000) -> list[CrossTiming]:
    """Measure without and with hints on a new database on the server of ``server_url``, dropped afterwards."""
    async with fresh_database(server_url, "quizbot_p9") as url:
        await upgrade_database(url)
        await _fill(url, players, random.Random(players))
        return [await measure(url, players, hints=False), await measure(url, players, hints=True)]


def main() -> None:
    """Print A's read latency after B's closes."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True, help="a PostgreSQL server URL (a new database is made on it)")
    parser.add_argument("--players", type=int, default=100_000)
    args = parser.parse_args()
    for timing in asyncio.run(run(args.postgres, args.players)):
        print(
            f"{timing.players:,} players, {'A listening to hints' if timing.hints else 'no hints'}: "
            f"A's top 10 + rank right after B's close: p50 {timing.p50_ms:.2f} ms, "
            f"p99 {timing.p99_ms:.2f} ms (target <= 5 ms); full reloads after the warm-up: {timing.reloads}; "
            f"stepped forward with B's moves: {timing.caught_up}; queries per read: {timing.round_trips:.2f}; "
            f"A's CPU per read p50 {timing.cpu_p50_ms:.2f} ms, p99 {timing.cpu_p99_ms:.2f} ms"
        )


if __name__ == "__main__":
    main()
