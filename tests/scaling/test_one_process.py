"""One bot process: SQLite refuses a second one (CLI reads go on), and `auto` runs Discord's shard count in it."""

from __future__ import annotations

import time
from pathlib import Path

from bench.harness.measure import wait_for
from bench.harness.procs import REPO, FakeProcess
from bot.runner import EXIT_CONFIG
from tests.scaling.conftest import Commands, connected_shards

RUN = ["quizbot", "run"]


async def test_a_second_bot_on_one_sqlite_file_exits_at_once_and_cli_reads_still_work(
    fake: FakeProcess, commands: Commands, tmp_path: Path
) -> None:
    """The first bot runs; the second exits 2 within seconds saying PostgreSQL is needed; ``stats`` still reads."""
    await fake.post("reset", {"guilds": 1})
    env = {"QUIZBOT_DATA_DIR": str(tmp_path / "data"), "QUIZBOT_BANKS_DIR": str(REPO / "questions")}
    commands.start(RUN, env, tmp_path, "first")
    assert await wait_for(lambda: _shard_connected(fake), 60, every=0.2), commands.log("first")

    started = time.monotonic()
    second = commands.start(RUN, env, tmp_path, "second")
    assert await commands.wait_exit(second, 30) == EXIT_CONFIG
    assert time.monotonic() - started < 15  # it never got as far as connecting or migrating
    said = commands.log("second")
    assert "another quizbot is already running on" in said
    assert "use PostgreSQL" in said and "docs/scaling.md" in said
    assert "Traceback" not in said

    reads = commands.start(["quizbot", "stats", "south-caucasus-russia"], env, tmp_path, "stats")
    assert await commands.wait_exit(reads, 60) == 0, commands.log("stats")
    assert (await fake.get("world"))["sessions"][0]["connected"]  # the first bot ran on throughout


async def _shard_connected(fake: FakeProcess) -> bool:
    return (0, 1) in await connected_shards(fake)


async def test_auto_runs_discords_recommended_shards_in_one_process(
    fake: FakeProcess, commands: Commands, tmp_path: Path
) -> None:
    """``QUIZBOT_SHARD_COUNT=auto``: the count comes from ``GET /gateway/bot``, and the one process runs every shard."""
    await fake.post("reset", {"guilds": 4, "shard_count": 3, "max_concurrency": 3})
    env = {"QUIZBOT_DATA_DIR": str(tmp_path / "data"), "QUIZBOT_BANKS_DIR": str(REPO / "questions")}
    commands.start(RUN, env | {"QUIZBOT_SHARD_COUNT": "auto"}, tmp_path, "auto")
    every = {(0, 3), (1, 3), (2, 3)}
    assert await wait_for(lambda: _connected(fake, every), 60, every=0.2), commands.log("auto")
    assert "This process runs shards 0-2 of 3" in commands.log("auto")


async def _connected(fake: FakeProcess, shards: set[tuple[int, int]]) -> bool:
    return shards <= await connected_shards(fake)
