"""P8's workload: schedules due at once, bot processes killed at a step of their start, every run counted.

Used by ``bench.run`` (P8) and by the exactly-once tests (``tests/bench/test_exactly_once.py``) with fewer
schedules. The driver records the schedules straight into the database, each due a few seconds ago, so
the bot finds them all due the moment its dispatcher starts; one process may be told to SIGKILL itself at a
step (``bench/harness/crash.py``) and is then started again without it. The outcome is read from the fake
(announcements per channel, duplicate posts, nonce replays) and from the database (occurrences).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.harness.cluster import cluster_env
from bench.harness.procs import BotProcess, FakeProcess
from bench.harness.workloads import BANKS_DIR, MODERATOR
from bot.db import create_engine, create_sessionmaker, repos
from bot.db.migrate import upgrade_database
from bot.db.models import RoundRow, ScheduleOccurrenceRow
from bot.schedules import parse_repeat

QUIZ_TIME = "🎯 **Quiz time!**"
BANK = "south-caucasus-russia"


@dataclass
class ScheduledRun:
    """What became of every due run."""

    schedules: int
    processes: int
    die_at: str | None
    #: Whether the process told to die did (before or after its READY line).
    died: bool = False
    announcements: dict[int, int] = field(default_factory=dict)
    #: Repeated announcements on the fake (its duplicate groups whose message is an announcement).
    duplicates: int = 0
    #: Other repeated posts (say a question posted by two processes that both resumed a round).
    other_duplicates: int = 0
    nonce_replays: int = 0
    occurrences: dict[str, int] = field(default_factory=dict)
    rounds: int = 0
    #: Seconds from the first process's start until every run was announced and recorded (or the wait ended).
    seconds: float = 0.0
    #: Shards in all (0: unsharded processes, each acting for every guild).
    shard_count: int = 0
    #: Runs recorded as started by a process that does not own the run's guild (by its shard).
    foreign: int = 0

    @property
    def twice(self) -> int:
        """Channels that got more than one announcement."""
        return sum(1 for count in self.announcements.values() if count > 1)

    @property
    def lost(self) -> int:
        """Schedules whose run was never announced."""
        return self.schedules - sum(1 for count in self.announcements.values() if count >= 1)

    @property
    def exactly_once(self) -> bool:
        """Every run announced once, recorded once, no duplicate post on the fake."""
        return (
            self.twice == 0
            and self.lost == 0
            and self.duplicates == 0
            and self.rounds == self.schedules
            and self.occurrences.get("started", 0) == self.schedules
            and self.foreign == 0
        )


async def add_due_schedules(url: str, channels: list[tuple[int, int]], *, late: timedelta) -> None:
    """One daily schedule per (guild, channel), each due ``late`` ago (inside the grace window)."""
    engine = create_engine(url)
    try:
        due = datetime.now(UTC).replace(microsecond=0) - late
        async with create_sessionmaker(engine).begin() as session:
            for guild_id, channel_id in channels:
                await repos.create_schedule(
                    session,
                    guild_id=guild_id,
                    channel_id=channel_id,
                    created_by=MODERATOR,
                    timezone="UTC",
                    starts_local=due.replace(tzinfo=None),
                    repeat=parse_repeat("daily"),
                    next_run_at=due,
                    remind_at=None,
                    bank_id=BANK,
                    questions=1,
                    seconds=60,
                )
    finally:
        await engine.dispose()


async def _database_state(url: str) -> tuple[dict[str, int], int]:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            occurrences = (
                await session.execute(
                    select(ScheduleOccurrenceRow.status, func.count()).group_by(ScheduleOccurrenceRow.status)
                )
            ).all()
            rounds = int((await session.execute(select(func.count()).select_from(RoundRow))).scalar_one())
        return {str(status): int(count) for status, count in occurrences}, rounds
    finally:
        await engine.dispose()


async def _starters(url: str) -> list[tuple[int, int]]:
    """Each started run's guild and the process id of its owner (``host:pid:nonce``, the dispatcher's name)."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            rows = (
                await session.execute(
                    select(ScheduleOccurrenceRow.guild_id, ScheduleOccurrenceRow.owner).where(
                        ScheduleOccurrenceRow.status == "started"
                    )
                )
            ).all()
        return [(int(guild_id), int(owner.split(":")[1])) for guild_id, owner in rows]
    finally:
        await engine.dispose()


async def announcements(fake: FakeProcess, channel_ids: list[int]) -> dict[int, int]:
    """How many round announcements the fake holds in each channel."""
    counts = dict.fromkeys(channel_ids, 0)
    for message in await fake.get("messages"):
        channel_id = int(message["channel_id"])
        if channel_id in counts and str(message.get("content", "")).startswith(QUIZ_TIME):
            counts[channel_id] += 1
    return counts


async def scheduled_starts(
    fake: FakeProcess,
    tmp: Path,
    *,
    database_url: str,
    schedules: int,
    processes: int = 1,
    die_at: str | None = None,
    lease: float = 3.0,
    wait: float = 90.0,
    shards_per_process: int = 0,
) -> ScheduledRun:
    """``schedules`` runs due at once over ``processes`` bots; the first dies at ``die_at`` and restarts.

    With ``shards_per_process``, process ``i`` runs shards ``i * k`` to ``i * k + k - 1`` of ``processes * k``, and
    every run is checked to have been started by the process whose shard its guild is on; otherwise each process
    is unsharded and acts for every guild.
    """
    shard_count = processes * shards_per_process
    sharding = {"shard_count": shard_count, "max_concurrency": shard_count} if shard_count else {}
    world = await fake.post("reset", {"guilds": schedules, "channels_per_guild": 1, **sharding})
    channels = [(int(g["id"]), int(g["channel_ids"][0])) for g in world["guilds"]]
    await upgrade_database(database_url)
    await add_due_schedules(database_url, channels, late=timedelta(seconds=5))
    result = ScheduledRun(schedules, processes, die_at, shard_count=shard_count)

    def bot(index: int, dying: bool) -> BotProcess:
        extra = ["--lease", str(lease)] + (["--die-at", die_at] if dying and die_at else [])
        shards = range(index * shards_per_process, (index + 1) * shards_per_process)
        return BotProcess(
            "quizbot",
            fake.url,
            data_dir=tmp / f"data{index}",
            banks_dir=BANKS_DIR,
            log_path=tmp / f"bot{index}.log",
            env=(
                cluster_env(database_url, shard_count, list(shards))
                if shard_count
                else {"QUIZBOT_DATABASE_URL": database_url}
            ),
            extra=extra,
        )

    bots = [bot(i, dying=i == 0) for i in range(processes)]
    #: Every process id each bot ran as (the first one's changes when it is restarted).
    index_of: dict[int, int] = {}
    begun = time.perf_counter()
    try:
        starts = await asyncio.gather(*(b.start(timeout=60) for b in bots), return_exceptions=True)
        # (A process that died before its READY line keeps its id here until it is replaced.)
        index_of.update((pid, i) for i, b in enumerate(bots) if (pid := b.pid) is not None)
        for outcome in starts:
            if isinstance(outcome, BaseException) and not isinstance(outcome, RuntimeError):
                raise outcome  # a RuntimeError is the dying process exiting before READY
        if die_at is not None:
            result.died = await bots[0].wait(timeout=60) is not None
            bots[0] = bot(0, dying=False)
            await bots[0].start(timeout=60)
            index_of[bots[0].pid or 0] = 0
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            result.occurrences, result.rounds = await _database_state(database_url)
            if result.occurrences.get("started", 0) + result.occurrences.get("done", 0) >= schedules:
                break
            await asyncio.sleep(0.25)
        result.seconds = time.perf_counter() - begun
        await asyncio.sleep(1.0)  # anything still in flight lands before counting
        result.announcements = await announcements(fake, [c for _, c in channels])
        stats: dict[str, Any] = await fake.get("stats")
        result.nonce_replays = int(stats.get("nonce_replays", 0))
        contents = {str(m["id"]): str(m.get("content", "")) for m in await fake.get("messages")}
        for group in (await fake.get("duplicates"))["groups"]:
            repeats = len(group) - 1
            if contents.get(str(group[0]), "").startswith(QUIZ_TIME):
                result.duplicates += repeats
            else:
                result.other_duplicates += repeats
        result.occurrences, result.rounds = await _database_state(database_url)
        if shard_count:
            result.foreign = sum(
                1
                for guild_id, pid in await _starters(database_url)
                if index_of.get(pid) != ((guild_id >> 22) % shard_count) // shards_per_process
            )
    finally:
        for b in bots:
            await b.kill()
    return result
