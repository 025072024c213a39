"""Several quizbot processes on one PostgreSQL database, each owning some shards: the set-up of P7, P10 and P11.

Each run gets a database of its own (``bench.harness.pgdb.fresh_database``), so runs and tests never see each
other's rows.
"""

from __future__ import annotations

from pathlib import Path

from bench.harness.procs import REPO, BotProcess

BANKS_DIR = REPO / "questions"


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
