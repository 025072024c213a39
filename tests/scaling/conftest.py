"""``quizbot`` commands run as real processes against the fake Discord, as an operator (or compose) runs them.

The processes are pointed at the fake by a ``sitecustomize`` module on their ``PYTHONPATH`` that sets
discord.py's REST base and gateway address: nothing in the bot knows it is under test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

import pytest

from bench.harness.measure import wait_for
from bench.harness.procs import REPO, FakeProcess

SHIM = """\
import os

_FAKE = os.environ.get("QUIZBOT_TEST_FAKE_DISCORD")
if _FAKE:
    import discord
    import yarl

    discord.http.Route.BASE = _FAKE + "/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(_FAKE.replace("http://", "ws://", 1) + "/gateway")
"""
BIN = Path(sys.executable).parent


class Commands:
    """Starts ``quizbot ...`` command lines as child processes aimed at the fake, and stops them all at the end."""

    def __init__(self, fake: FakeProcess, shim_dir: Path, logs: Path) -> None:
        self.fake = fake
        self.shim_dir = shim_dir
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def env(self, extra: dict[str, str]) -> dict[str, str]:
        """The environment of a child: no developer settings, the shim, the fake, a token, then ``extra``."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZBOT_") and k != "DISCORD_TOKEN"}
        env["PYTHONPATH"] = os.pathsep.join([str(self.shim_dir), str(REPO)])
        env["QUIZBOT_TEST_FAKE_DISCORD"] = self.fake.url
        env["DISCORD_TOKEN"] = "test-token"
        return env | extra

    def start(self, argv: Sequence[str], env: dict[str, str], cwd: Path, name: str) -> subprocess.Popen[bytes]:
        """Start ``argv`` (its first word looked up in this interpreter's bin folder) with its log in ``logs``."""
        program = BIN / argv[0] if (BIN / argv[0]).exists() else Path(argv[0])
        log = (self.logs / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            [str(program), *argv[1:]], env=self.env(env), cwd=cwd, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self.started.append(proc)
        return proc

    def log(self, name: str) -> str:
        """What a child wrote so far."""
        return (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    async def wait_exit(self, proc: subprocess.Popen[bytes], timeout: float) -> int | None:
        """The child's exit code once it exits, or None if it is still running after ``timeout``."""
        await wait_for(lambda: _exited(proc), timeout, every=0.1)
        return proc.poll()

    def stop_all(self) -> None:
        """SIGINT every child still running (quizbot's clean stop), then kill what does not stop."""
        for proc in self.started:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in self.started:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def _exited(proc: subprocess.Popen[bytes]) -> bool:
    return proc.poll() is not None


async def connected_shards(fake: FakeProcess) -> set[tuple[int, int]]:
    """The (shard, count) pairs the fake has a connected, identified session for."""
    world = await fake.get("world")
    return {(s["shard"][0], s["shard"][1]) for s in world["sessions"] if s["connected"]}


@pytest.fixture
async def fake() -> AsyncIterator[FakeProcess]:
    """The fake Discord in a process of its own."""
    async with FakeProcess() as process:
        yield process


@pytest.fixture
def commands(fake: FakeProcess, tmp_path: Path) -> Iterator[Commands]:
    """Run quizbot's command lines against the fake; every child is stopped at the end of the test."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(SHIM, encoding="utf-8")
    logs = tmp_path / "logs"
    logs.mkdir()
    runner = Commands(fake, shim, logs)
    try:
        yield runner
    finally:
        runner.stop_all()
