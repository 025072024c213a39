"""Several quizbot processes on one PostgreSQL database, each owning some shards: the set-up of P7, P10 and P11.

Each run gets a database of its own (created on the server of ``QUIZBOT_BENCH_POSTGRES_URL``, or of
``QUIZBOT_TEST_POSTGRES_URL``, and dropped afterwards), so runs and tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bench.harness.procs import REPO, BotProcess

POSTGRES_ENVS = ("QUIZBOT_BENCH_POSTGRES_URL", "QUIZBOT_TEST_POSTGRES_URL")
BANKS_DIR = REPO / "questions"


def postgres_server() -> str | None:
    """The PostgreSQL server URL to create scratch databases on, if one is configured."""
    return next((url for name in POSTGRES_ENVS if (url := os.environ.get(name))), None)


@asynccontextmanager
async def scratch_database(server: str, prefix: str = "quizbot_bench") -> AsyncIterator[str]:
    """A new, empty database on ``server``, dropped on the way out (with any connection still open to it)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(server).set(database=name).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as connection:
                await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.dispose()


def split_shards(shard_count: int, processes: int) -> list[list[int]]:
    """Shards 0..count-1 in contiguous runs, one per process (as an operator writes ``0-1``, ``2-3``)."""
    per, extra = divmod(shard_count, processes)
    runs, start = [], 0
    for index in range(processes):
        size = per + (1 if index < extra else 0)
        runs.append(list(range(start, start + size)))
        start += size
    return runs


def cluster_env(database_url: str, shard_count: int, shard_ids: list[int], **settings: str) -> dict[str, str]:
    """The environment of one process of the cluster: its database, the shard count and its shards."""
    env = {
        "QUIZBOT_DATABASE_URL": database_url,
        "QUIZBOT_SHARD_COUNT": str(shard_count),
        "QUIZBOT_SHARD_IDS": ",".join(map(str, shard_ids)),
    }
    env.update({f"QUIZBOT_{key.upper()}": value for key, value in settings.items()})
    return env


def cluster(
    fake_url: str,
    database_url: str,
    tmp: Path,
    *,
    shard_count: int,
    processes: int,
    reveal_pause: float = 8.0,
    log_info: list[str] | None = None,
    **settings: str,
) -> list[BotProcess]:
    """``processes`` quizbot processes (not started) sharing ``shard_count`` shards and one database."""
    return [
        BotProcess(
            "quizbot",
            fake_url,
            data_dir=tmp / f"proc{index}",
            banks_dir=BANKS_DIR,
            reveal_pause=reveal_pause,
            log_path=tmp / f"proc{index}.log",
            env=cluster_env(database_url, shard_count, ids, **settings),
            log_info=log_info,
        )
        for index, ids in enumerate(split_shards(shard_count, processes))
    ]
