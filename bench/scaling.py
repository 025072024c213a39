"""P7, P10 and P11: several quizbot processes, each owning some shards, on one PostgreSQL database (issue 12).

- P7: 2 processes x 2 shards, 4,000 guilds; 1,000 clicks within 2 s into a guild of each process at once. Every
  click acknowledged, p99 dispatch→callback, CPU per click of each process against the bare discord.py bot run
  the same way (2 processes x 2 shards, the same burst), and PostgreSQL's CPU (its backends serving the run's
  database, read from /proc: the server must run on this machine).
- P10: 2 processes x 2 shards, 1,000 guilds per shard, 100 rounds live per process: RSS of each process.
- P11: 4 processes started at once on an empty database: migrations applied once, commands synced once, zero
  identify violations, and the time until every shard is ready.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bench.fakediscord._sharding import shard_of
from bench.harness.cluster import cluster, split_shards
from bench.harness.measure import percentile, wait_for
from bench.harness.pgdb import fresh_database, server_from_env
from bench.harness.procs import BotProcess, FakeProcess
from bench.harness.workloads import (
    PLAYER_BASE,
    Target,
    _acked,
    _answer_ids,
    _clicks,
    _question_messages,
    _settle_cpu,
    _start_rounds,
)
from bot.quiz.rules import SECONDS_RANGE

JSON = dict[str, Any]
__all__ = ["p7_clicks", "p10_memory", "p11_start", "server_from_env"]
SYNC_ROUTE = "PUT /applications/{application_id}/commands"
MIGRATED = "Database migrated to"


@dataclass
class ProcessClicks:
    """One process's share of P7's burst."""

    kind: str
    shards: list[int]
    clicks: int
    acked: int
    p99_ms: float
    cpu_s: float

    @property
    def cpu_per_click_us(self) -> float:
        """CPU microseconds this process spent per click of its guild."""
        return self.cpu_s / self.clicks * 1e6 if self.clicks else float("nan")


@dataclass
class ClusterClicks:
    """P7 for one kind of bot: each process's figures, the overall p99, and PostgreSQL's CPU (quizbot only)."""

    kind: str
    processes: list[ProcessClicks]
    p99_ms: float
    postgres_cpu_s: float = float("nan")
    identifies: int = 0  # accepted by the fake in the whole run: more than the shards means sessions reconnected


@dataclass
class ClusterMemory:
    """P10: RSS of each process, and how many rounds each had live."""

    rss_mib: list[float]
    rounds_live: list[int]
    guilds: list[int]


@dataclass
class ClusterStart:
    """P11: what N processes started at once on an empty database did."""

    processes: int
    shards: int
    ready_s: float  # spawn of the first process to the last process's on_ready (every shard ready)
    migrations_applied: int
    commands_synced: int
    identify_violations: list[JSON] = field(default_factory=list)
    identifies: int = 0


# ---- PostgreSQL's CPU -------------------------------------------------------------------------------------------


async def _backend_cpu(database_url: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the database (from /proc; same machine only)."""
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            query = text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            pids = [int(pid) for pid in (await connection.execute(query)).scalars()]
    finally:
        await engine.dispose()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # not on this machine, or ended meanwhile
            continue
        cpu[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return cpu


def _cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


# ---- P7 ---------------------------------------------------------------------------------------------------------


SHARDS = 4
PROCESSES = 2


def _guild_per_process(world: JSON) -> list[tuple[int, int]]:
    """One (guild, channel) on the first shard of each process."""
    firsts = [ids[0] for ids in split_shards(SHARDS, PROCESSES)]
    return [
        next((g["id"], g["channel_ids"][0]) for g in world["guilds"] if shard_of(g["id"], SHARDS) == first)
        for first in firsts
    ]


async def _open_questions(fake: FakeProcess, channels: list[tuple[int, int]]) -> list[Target]:
    """Start a one-question round of 60 s in each channel; what to click in each."""
    await _start_rounds(fake, channels, questions=1, seconds=60)
    found: dict[int, JSON] = {}

    async def asked() -> bool:
        found.update({m["channel_id"]: m for m in await _question_messages(fake)})
        return all(channel in found for _, channel in channels)

    if not await wait_for(asked, 30):
        raise RuntimeError("quizbot never asked in every channel")
    return [(g, c, found[c]["message_id"], _answer_ids(found[c]["body"])) for g, c in channels]


async def p7_clicks(
    fake: FakeProcess, kind: str, tmp: Path, server: str, *, clicks: int = 1000, spread: float = 2.0
) -> ClusterClicks:
    """P7 for ``kind``: ``clicks`` clicks into a guild of each of 2 processes (2 shards each) within ``spread`` s."""
    world = await fake.post(
        "reset", {"guilds": 4000, "channels_per_guild": 1, "shard_count": SHARDS, "max_concurrency": SHARDS}
    )
    channels = _guild_per_process(world)
    async with fresh_database(server) as url:
        if kind == "quizbot":
            procs = cluster(fake.url, url, tmp / "p7", shard_count=SHARDS, processes=PROCESSES)
        else:
            procs = [
                BotProcess("baseline", fake.url, shard_count=SHARDS, shard_ids=ids, log_path=tmp / f"p7-base{i}.log")
                for i, ids in enumerate(split_shards(SHARDS, PROCESSES))
            ]
        try:
            await asyncio.gather(*(p.start(timeout=120) for p in procs))
            if kind == "quizbot":
                targets = await _open_questions(fake, channels)
                already = len(targets)
            else:
                targets = [(g, c, None, ["answer:0", "answer:1"]) for g, c in channels]
                already = 0
            warm = 50 * len(targets)
            await fake.post("burst", {"clicks": _clicks(targets, warm, 1), "spread_s": 0.25})
            await wait_for(lambda: _acked(fake, already + warm), 20)
            before = await asyncio.gather(*(_settle_cpu(p) for p in procs))
            pg_before = await _backend_cpu(url) if kind == "quizbot" else {}
            total = clicks * len(targets)
            await asyncio.gather(*(p.profile(True) for p in procs))  # QUIZBOT_BENCH_PROFILE, as in P1
            await fake.post("burst", {"clicks": _clicks(targets, total, PLAYER_BASE), "spread_s": spread})
            await wait_for(lambda: _acked(fake, already + warm + total), spread + 30)
            after = await asyncio.gather(*(_settle_cpu(p) for p in procs))
            await asyncio.gather(*(p.profile(False) for p in procs))
            pg_after = await _backend_cpu(url) if kind == "quizbot" else {}
            records = await fake.get("interactions")
            identifies = len((await fake.get("identifies"))["identifies"])
        finally:
            for proc in procs:
                await proc.stop()
    burst = [r for r in records if r["user_id"] >= PLAYER_BASE]
    per_process = []
    for index, ((guild_id, _), ids) in enumerate(zip(channels, split_shards(SHARDS, PROCESSES), strict=True)):
        mine = [r["latency"] * 1000 for r in burst if r["guild_id"] == guild_id and r["latency"] is not None]
        per_process.append(
            ProcessClicks(
                kind,
                ids,
                clicks,
                len(mine),
                percentile(mine, 99) if mine else float("nan"),
                after[index]["cpu_s"] - before[index]["cpu_s"],
            )
        )
    every = [r["latency"] * 1000 for r in burst if r["latency"] is not None]
    pg = _cpu_spent(pg_before, pg_after) if kind == "quizbot" else float("nan")
    return ClusterClicks(kind, per_process, percentile(every, 99) if every else float("nan"), pg, identifies)


def median_run(runs: list[ClusterClicks]) -> ClusterClicks:
    """Several P7 runs of one kind as one: each process's median CPU and p99, the worst acknowledged count."""
    if len(runs) == 1:
        return runs[0]
    processes = [
        ProcessClicks(
            shares[0].kind,
            shares[0].shards,
            shares[0].clicks,
            min(p.acked for p in shares),
            statistics.median(p.p99_ms for p in shares),
            statistics.median(p.cpu_s for p in shares),
        )
        for shares in zip(*(run.processes for run in runs), strict=True)
    ]
    return ClusterClicks(
        runs[0].kind,
        processes,
        statistics.median(run.p99_ms for run in runs),
        statistics.median(run.postgres_cpu_s for run in runs),
        max(run.identifies for run in runs),
    )


# ---- P10 --------------------------------------------------------------------------------------------------------


async def p10_memory(
    fake: FakeProcess, tmp: Path, server: str, *, per_shard: int = 1000, rounds: int = 100
) -> ClusterMemory:
    """P10: RSS of each of 2 processes x 2 shards, ``per_shard`` guilds a shard, ``rounds`` rounds live each."""
    world = await fake.post(
        "reset",
        {"guilds": per_shard * SHARDS, "channels_per_guild": 1, "shard_count": SHARDS, "max_concurrency": SHARDS},
    )
    shares = split_shards(SHARDS, PROCESSES)
    channels = [
        [(g["id"], g["channel_ids"][0]) for g in world["guilds"] if shard_of(g["id"], SHARDS) in ids][:rounds]
        for ids in shares
    ]
    async with fresh_database(server) as url:
        procs = cluster(fake.url, url, tmp / "p10", shard_count=SHARDS, processes=PROCESSES)
        try:
            await asyncio.gather(*(p.start(timeout=120) for p in procs))
            # The longest question /quiz start accepts: a longer one is refused and no round starts.
            longest = SECONDS_RANGE[1]
            await _start_rounds(fake, [c for share in channels for c in share], questions=1, seconds=longest)

            async def all_asked() -> bool:
                return len(await _question_messages(fake)) >= rounds * PROCESSES

            await wait_for(all_asked, 120, every=0.5)
            asked = {m["channel_id"] for m in await _question_messages(fake)}
            usage = await asyncio.gather(*(p.usage() for p in procs))
            guilds = [int(p.ready["guilds"]) for p in procs]
        finally:
            for proc in procs:
                await proc.stop()
    live = [sum(1 for _, c in share if c in asked) for share in channels]
    return ClusterMemory([u["rss_mib"] for u in usage], live, guilds)


# ---- P11 --------------------------------------------------------------------------------------------------------


async def p11_start(fake: FakeProcess, tmp: Path, server: str, *, processes: int = 4, shards: int = 8) -> ClusterStart:
    """P11: ``processes`` processes (``shards`` shards in all) started at once on an empty database.

    The fake allows 2 identifies at once (max_concurrency 2) in a window of 1 s instead of Discord's 5 s, and the
    bots are told the same window: the bucket rule is checked at a fifth of the wait.
    """
    window = 1.0
    await fake.post(
        "reset",
        {"guilds": shards * 2, "shard_count": shards, "max_concurrency": 2, "identify_window": window},
    )
    async with fresh_database(server) as url:
        procs = cluster(
            fake.url,
            url,
            tmp / "p11",
            shard_count=shards,
            processes=processes,
            log_info=["bot.db.auto_migrate"],
            identify_window_seconds=str(window),
        )
        began = time.perf_counter()
        try:
            await asyncio.gather(*(p.start(timeout=180) for p in procs))
            ready = time.perf_counter() - began
            stats = await fake.get("stats")
            identifies = await fake.get("identifies")
        finally:
            for proc in procs:
                await proc.stop()
    logs = [p.log_path.read_text(encoding="utf-8", errors="replace") if p.log_path else "" for p in procs]
    return ClusterStart(
        processes,
        shards,
        ready,
        sum(log.count(MIGRATED) for log in logs),
        int(stats["tally"]["requests"].get(SYNC_ROUTE, 0)),
        identifies["violations"],
        len(identifies["identifies"]),
    )
