"""What follows P1's burst: closing a question 1,000 players answered, and ending their round.

    .venv/bin/python -m bench.closing [--players 1000] [--rounds 3]

Through the real ``RoundService`` on a migrated SQLite file, with the shipped bank: each round asks
three questions, every player answers each (the stored answers go through the answer writer as in
the bot), then the round ends. Times ``close`` (the question's answers scored, the scores table
updated) and ``finish`` (the round stored as finished, and each player's move on the all-time
leaderboard for the podium). The first round is a warm-up; the medians of the others are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.banks import load_bank
from bot.banks.library import BankLibrary
from bot.db.engine import create_engine
from bot.db.migrate import upgrade_database
from bot.rounds.service import RoundService

BANK = Path(__file__).resolve().parents[1] / "questions" / "south-caucasus-russia.yaml"
GUILD, CHANNEL, STARTER = 1, 2, 3
QUESTIONS = 3


@dataclass(frozen=True)
class ClosingTiming:
    """Median wall and CPU milliseconds of one question's close and of one round's end."""

    players: int
    close_ms: float
    close_cpu_ms: float
    finish_ms: float
    finish_cpu_ms: float


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def measure(players: int, rounds: int, directory: Path) -> ClosingTiming:
    """Play ``rounds`` rounds of ``players`` players; time each close and each finish after the first round."""
    url = f"sqlite+aiosqlite:///{directory / 'closing.sqlite3'}"
    await upgrade_database(url)
    engine = create_engine(url)
    clock = _Clock()
    service = RoundService(engine, BankLibrary([load_bank(BANK)]), clock)
    closes: list[tuple[float, float]] = []
    finishes: list[tuple[float, float]] = []
    try:
        for round_number in range(rounds):
            plan = await service.plan(
                guild_id=GUILD, channel_id=CHANNEL, started_by=STARTER, bank=BANK.stem, questions=QUESTIONS, seconds=20
            )
            live = await service.start(plan)
            for _ in range(QUESTIONS):
                opened = await service.open_next(live)
                question_id = live.current_question_id
                assert question_id is not None
                clock.now += timedelta(seconds=2)
                choices, right = len(opened.played.order), opened.played.correct_position
                clicks = [
                    service.answer(live, question_id, u, f"p{u}", (right + u) % choices) for u in range(1, players + 1)
                ]
                await asyncio.gather(*clicks)
                clock.now += timedelta(seconds=18)
                closes.append(await _timed(service.close(live)))
            finishes.append(await _timed(service.finish(live)))
            if round_number == 0:  # warm-up
                closes.clear()
                finishes.clear()
    finally:
        await service.aclose()
        await engine.dispose()
    return ClosingTiming(
        players,
        statistics.median(wall for wall, _ in closes),
        statistics.median(cpu for _, cpu in closes),
        statistics.median(wall for wall, _ in finishes),
        statistics.median(cpu for _, cpu in finishes),
    )


async def _timed(step: Awaitable[object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    await step
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


async def run(players: int = 1000, rounds: int = 3) -> ClosingTiming:
    """Measure in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="quizbot-closing-") as directory:
        return await measure(players, rounds, Path(directory))


def main() -> None:
    """Parse the arguments, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--players", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds to play; the first is a warm-up")
    args = parser.parse_args()
    timing = asyncio.run(run(args.players, args.rounds))
    print(
        f"{timing.players:,} players: close a question {timing.close_ms:.1f} ms ({timing.close_cpu_ms:.1f} ms CPU),"
        f" end the round {timing.finish_ms:.1f} ms ({timing.finish_cpu_ms:.1f} ms CPU)"
    )


if __name__ == "__main__":
    main()
