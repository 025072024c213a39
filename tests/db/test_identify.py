"""Identify turns through PostgreSQL advisory locks: one IDENTIFY per bucket per window, across processes."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import create_engine
from bot.db.identify import MARGIN_SECONDS, IdentifyTurns

WINDOW = 0.4


@pytest.fixture
async def postgres_url(database_url: str) -> str:
    """The migrated database, PostgreSQL only: SQLite keeps one process, which needs no turns."""
    if not database_url.startswith("postgresql"):
        pytest.skip("identify turns are for several processes, on PostgreSQL")
    return database_url


async def _turn_times(turns: list[IdentifyTurns], shards: list[int]) -> list[float]:
    """When each shard got its turn, each from its own IdentifyTurns (as from its own process), all asking at once."""
    started = time.perf_counter()

    async def one(gate: IdentifyTurns, shard: int) -> float:
        await gate.wait_turn(shard)
        return time.perf_counter() - started

    return list(await asyncio.gather(*(one(g, s) for g, s in zip(turns, shards, strict=True))))


async def test_shards_of_one_bucket_take_turns_a_window_apart(postgres_url: str) -> None:
    """Three processes, one bucket: each IDENTIFY comes at least a window after the one before."""
    engines: list[AsyncEngine] = [create_engine(postgres_url) for _ in range(3)]
    turns = [IdentifyTurns(engine, max_concurrency=1, window=WINDOW) for engine in engines]
    try:
        times = sorted(await _turn_times(turns, [0, 1, 2]))
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert all(gap >= WINDOW for gap in gaps), gaps
    finally:
        for gate, engine in zip(turns, engines, strict=True):
            await gate.aclose()
            await engine.dispose()


async def test_shards_of_different_buckets_identify_together(postgres_url: str) -> None:
    """With max_concurrency 2, shards 0 and 1 are in different buckets and neither waits for the other."""
    engines = [create_engine(postgres_url) for _ in range(2)]
    turns = [IdentifyTurns(engine, max_concurrency=2, window=WINDOW) for engine in engines]
    try:
        times = await _turn_times(turns, [0, 1])
        assert max(times) < WINDOW
    finally:
        for gate, engine in zip(turns, engines, strict=True):
            await gate.aclose()
            await engine.dispose()


async def test_closing_waits_out_the_window(postgres_url: str) -> None:
    """A process shutting down mid-window keeps its bucket to the end, so its own restart cannot identify early."""
    engine = create_engine(postgres_url)
    first, second = (IdentifyTurns(engine, max_concurrency=1, window=WINDOW) for _ in range(2))
    try:
        began = time.perf_counter()
        await first.wait_turn(0)
        await first.aclose()
        assert time.perf_counter() - began >= WINDOW
        await asyncio.wait_for(second.wait_turn(0), 5)  # and the bucket is free afterwards
        assert time.perf_counter() - began < WINDOW + MARGIN_SECONDS + 1
    finally:
        await second.aclose()
        await engine.dispose()
