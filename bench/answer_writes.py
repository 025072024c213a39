"""The answer writer's cost alone: CPU per answer of each way of committing batches of clicks.

    .venv/bin/python -m bench.answer_writes [--postgres URL] [--answers 3000] [--batch 6] [--rounds 5]

P1 and P7 measure the whole bot; this isolates what the group commit costs the bot's process per answer
(``time.process_time``: every thread, so SQLite's writer thread counts too), with a player's new name
in each answer as in a burst of first clicks. On SQLite it compares the async engine (aiosqlite) with
``ThreadWriteRunner``; on PostgreSQL the async engine with ``DriverWriteRunner``. The runners take turns
(``--rounds`` rounds), each round on a fresh question, and the median per answer of each is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.banks import load_bank
from bot.banks.library import BankLibrary
from bot.db import repos
from bot.db.batches import AsyncWriteRunner, DriverWriteRunner, ThreadWriteRunner, WriteRunner
from bot.db.engine import create_engine, create_sqlite_thread_engine
from bot.db.migrate import upgrade_database
from bot.rounds.service import RoundService
from bot.rounds.writer import AnswerWriter

BANK = Path(__file__).resolve().parents[1] / "questions" / "south-caucasus-russia.yaml"
GUILD, CHANNEL, STARTER = 1, 2, 3
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class WriterCost:
    """Median CPU microseconds per answer of one runner, and each round's figure."""

    runner: str
    cpu_us: float
    rounds_us: list[float]


def _runners(engine: AsyncEngine) -> dict[str, Callable[[], WriteRunner]]:
    thread_engine = create_sqlite_thread_engine(engine.url)
    if thread_engine is not None:
        return {"async engine (aiosqlite)": lambda: AsyncWriteRunner(engine), "thread": lambda: ThreadWriteRunner(
            thread_engine)}  # fmt: skip
    return {"async engine (asyncpg)": lambda: AsyncWriteRunner(engine), "driver": lambda: DriverWriteRunner(engine)}


async def measure(url: str, *, answers: int, batch: int, rounds: int) -> list[WriterCost]:
    """Commit ``answers`` answers in batches of ``batch`` through each runner, ``rounds`` times in turn."""
    await upgrade_database(url)
    engine = create_engine(url)
    service = RoundService(engine, BankLibrary([load_bank(BANK)]), lambda: NOW)
    makers = _runners(engine)
    figures: dict[str, list[float]] = {name: [] for name in makers}
    user = 1
    try:
        plan = await service.plan(
            guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank=BANK.stem, questions=rounds + 1, seconds=20
        )
        live = await service.start(plan)
        async with AsyncExitStack() as stack:
            writers = {name: AnswerWriter(make()) for name, make in makers.items()}
            for writer in writers.values():
                stack.push_async_callback(writer.aclose)
            for round_number in range(rounds + 1):  # the first round warms each runner up
                opened = await service.open_next(live)
                question_id = live.current_question_id
                assert question_id is not None
                for name, writer in writers.items():
                    begun = time.process_time()
                    for start in range(0, answers, batch):
                        clicks = []
                        for offset in range(min(batch, answers - start)):
                            question = opened.played.question
                            record = repos.NewAnswer(
                                question_id,
                                GUILD,
                                user,
                                question.bank_id,
                                question.id,
                                offset % 2,
                                offset % 2,
                                NOW,
                                1500,
                            )
                            clicks.append(writer.write(record, f"player{user}"))
                            user += 1
                        await asyncio.gather(*clicks)
                    if round_number:
                        figures[name].append((time.process_time() - begun) / answers * 1e6)
                await service.close(live)
    finally:
        await service.aclose()
        await engine.dispose()
    return [WriterCost(name, statistics.median(values), values) for name, values in figures.items()]


async def run(postgres: str | None, *, answers: int = 3000, batch: int = 6, rounds: int = 5) -> list[WriterCost]:
    """Measure on a temporary SQLite file, or on a fresh database of the PostgreSQL server ``postgres``."""
    if postgres is None:
        with tempfile.TemporaryDirectory(prefix="quizbot-writes-") as directory:
            url = f"sqlite+aiosqlite:///{Path(directory) / 'writes.sqlite3'}"
            return await measure(url, answers=answers, batch=batch, rounds=rounds)
    from bench.harness.pgdb import fresh_database

    async with fresh_database(postgres, "quizbot_writes") as url:
        return await measure(url, answers=answers, batch=batch, rounds=rounds)


def main() -> None:
    """Parse the arguments, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (postgresql+asyncpg://...); else SQLite")
    parser.add_argument("--answers", type=int, default=3000, help="answers per runner and round")
    parser.add_argument("--batch", type=int, default=6, help="answers per commit (P1 commits about 6)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds, after one to warm up")
    args = parser.parse_args()
    for cost in asyncio.run(run(args.postgres, answers=args.answers, batch=args.batch, rounds=args.rounds)):
        runs = ", ".join(f"{value:.0f}" for value in cost.rounds_us)
        print(f"{cost.runner}: {cost.cpu_us:.0f} µs CPU per answer (median of {len(cost.rounds_us)}; {runs})")


if __name__ == "__main__":
    main()
