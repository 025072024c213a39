"""docker-compose.yml cannot drift from what works: each bot service's command runs, with its environment.

There is no Docker engine here, so the services run as plain processes: PostgreSQL is the local server (a
scratch database per test), Discord is the fake, and only what points outside the machine is rewritten (the
database host, the data folder, the banks folder the image copies to /app/questions).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from bench.harness.measure import wait_for
from bench.harness.pgdb import fresh_database, server_from_env
from bench.harness.procs import REPO, FakeProcess
from tests.db.conftest import POSTGRES_SKIPPED
from tests.scaling.conftest import Commands, connected_shards

COMPOSE = REPO / "docker-compose.yml"
SYNC_ROUTE = "PUT /applications/{application_id}/commands"
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?::-(?P<default>[^}]*))?\}")


def compose() -> dict[str, Any]:
    """The compose file, parsed (YAML merge keys and all)."""
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def services(profile: str | None) -> dict[str, dict[str, Any]]:
    """The services of a profile (None: those that start with a plain ``docker compose up``)."""
    return {
        name: service
        for name, service in compose()["services"].items()
        if (profile is None and "profiles" not in service) or profile in service.get("profiles", [])
    }


def interpolate(value: str) -> str:
    """``${NAME:-default}`` as compose reads it, from this environment."""
    return VARIABLE.sub(lambda m: os.environ.get(m["name"]) or m["default"] or "", value)


def local_env(service: dict[str, Any], tmp: Path, database_url: str | None) -> dict[str, str]:
    """The service's environment, with only what points outside this machine rewritten."""
    env = {key: interpolate(str(value)) for key, value in (service.get("environment") or {}).items()}
    if "QUIZBOT_DATABASE_URL" in env:
        assert database_url is not None
        compose_url = make_url(env["QUIZBOT_DATABASE_URL"])
        assert compose_url.host == "postgres" and compose_url.drivername == "postgresql+asyncpg"
        env["QUIZBOT_DATABASE_URL"] = database_url
    env["QUIZBOT_DATA_DIR"] = str(tmp)
    if env.get("QUIZBOT_BANKS_DIR") == "/app/questions":
        env["QUIZBOT_BANKS_DIR"] = str(REPO / "questions")
    return env


def test_postgres_is_the_official_image_with_a_healthcheck_and_a_named_volume() -> None:
    """PostgreSQL runs from the official image, reports healthy, and keeps its data in a named volume."""
    postgres = compose()["services"]["postgres"]
    assert postgres["image"].split(":")[0] == "postgres"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in compose()["volumes"]
    assert postgres["profiles"] == ["cluster"]


def test_the_cluster_migrates_once_before_its_bots_and_shares_out_every_shard() -> None:
    """Every cluster bot waits for the one migrate service, and together they run each shard exactly once."""
    cluster = services("cluster")
    bots = {name: s for name, s in cluster.items() if s.get("command") == ["quizbot", "run"]}
    assert len(bots) >= 2
    assert cluster["migrate"]["command"] == ["quizbot", "db", "upgrade"]
    counts = {bot["environment"]["QUIZBOT_SHARD_COUNT"] for bot in bots.values()}
    assert len(counts) == 1
    owned = [i for bot in bots.values() for i in _ids(bot["environment"]["QUIZBOT_SHARD_IDS"])]
    assert sorted(owned) == list(range(int(counts.pop())))
    for bot in bots.values():
        assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def _ids(text: str) -> list[int]:
    from bot.shards import parse_shard_ids

    return list(parse_shard_ids(text) or ())


async def test_the_default_service_runs_one_bot_on_sqlite(
    fake: FakeProcess, commands: Commands, tmp_path: Path
) -> None:
    """``docker compose up``: the one default service, its command and environment, connects on SQLite."""
    default = services(None)
    assert list(default) == ["bot"]
    await fake.post("reset", {"guilds": 2})
    service = default["bot"]
    commands.start(service["command"], local_env(service, tmp_path / "data", None), tmp_path, "bot")
    assert await wait_for(lambda: _connected(fake, {(0, 1)}), 60, every=0.2), commands.log("bot")
    assert (tmp_path / "data" / "quizbot.sqlite3").exists()


@pytest.mark.skipif(server_from_env() is None, reason=POSTGRES_SKIPPED)
async def test_the_cluster_services_run_on_postgresql(fake: FakeProcess, commands: Commands, tmp_path: Path) -> None:
    """``docker compose up -d bot-0 bot-1``: migrate runs once and exits 0, then the bots bring every shard up."""
    server = server_from_env()
    assert server is not None
    cluster = services("cluster")
    bots = {name: s for name, s in cluster.items() if s.get("command") == ["quizbot", "run"]}
    count = int(next(iter(bots.values()))["environment"]["QUIZBOT_SHARD_COUNT"])
    # Two identify buckets with a one-second window, so the rule is checked without making the test slow.
    await fake.post("reset", {"guilds": 8, "shard_count": count, "max_concurrency": 2, "identify_window": 1.0})
    async with fresh_database(server, "quizbot_test") as url:
        migrate = cluster["migrate"]
        proc = commands.start(migrate["command"], local_env(migrate, tmp_path / "migrate", url), tmp_path, "migrate")
        assert await commands.wait_exit(proc, 90) == 0, commands.log("migrate")
        for name, bot in bots.items():
            env = local_env(bot, tmp_path / name, url) | {"QUIZBOT_IDENTIFY_WINDOW_SECONDS": "1"}
            commands.start(bot["command"], env, tmp_path, name)
        every = {(shard, count) for shard in range(count)}
        logs = "\n".join(commands.log(name) for name in bots)
        assert await wait_for(lambda: _connected(fake, every), 90, every=0.2), logs
        stats = await fake.get("stats")
        assert stats["tally"]["requests"].get(SYNC_ROUTE) == 1
        assert await fake.identify_violations() == []
        commands.stop_all()


async def _connected(fake: FakeProcess, shards: set[tuple[int, int]]) -> bool:
    return shards <= await connected_shards(fake)
