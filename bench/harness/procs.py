"""The two child processes a benchmark drives: the fake Discord, and the bot under test."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiohttp

REPO = Path(__file__).resolve().parents[2]
JSON = dict[str, Any]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # A deployed bot writes its bytecode on its first start (or its image compiles it, see the Dockerfile), as
    # discord.py's was written when pip installed it. Some machines set PYTHONDONTWRITEBYTECODE, which would make
    # every measured start compile quizbot's own modules again (about 0.2 s of CPU) and only quizbot's.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


async def _read_tagged(stream: asyncio.StreamReader, tag: str, timeout: float) -> str:
    """The payload of the next stdout line starting with ``tag``."""
    async with asyncio.timeout(timeout):
        while True:
            line = (await stream.readline()).decode()
            if not line:
                raise RuntimeError(f"child process exited before printing {tag}")
            if line.startswith(tag + " "):
                return line[len(tag) + 1 :].strip()


class FakeProcess:
    """``python -m bench.fakediscord`` in a child process, steered through its ``/_control`` API."""

    def __init__(self) -> None:
        self.url = ""
        self._proc: asyncio.subprocess.Process | None = None
        self._http: aiohttp.ClientSession | None = None
        # IDENTIFYs the fake rejected in worlds since replaced by a reset (a reset forgets them).
        self._earlier_violations: list[JSON] = []

    async def __aenter__(self) -> Self:
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.fakediscord", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, env=_env(), cwd=REPO,
        )  # fmt: skip
        assert self._proc.stdout is not None
        self.url = await _read_tagged(self._proc.stdout, "LISTENING", 30)
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._http is not None:
            await self._http.close()
        if self._proc is not None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                await asyncio.wait_for(self._proc.wait(), 10)
            except TimeoutError:
                self._proc.kill()
                await self._proc.wait()

    async def get(self, path: str) -> Any:
        """GET a control endpoint."""
        assert self._http is not None
        async with self._http.get(f"{self.url}/_control/{path}") as response:
            response.raise_for_status()
            return await response.json()

    async def post(self, path: str, body: JSON) -> Any:
        """POST to a control endpoint."""
        assert self._http is not None
        before = (await self.get("identifies"))["violations"] if path == "reset" else []
        async with self._http.post(f"{self.url}/_control/{path}", json=body) as response:
            response.raise_for_status()
            self._earlier_violations += before
            return await response.json()

    async def identify_violations(self) -> list[JSON]:
        """Every IDENTIFY the fake rejected since it started, across resets (each names its rule and shard)."""
        current: list[JSON] = (await self.get("identifies"))["violations"]
        return self._earlier_violations + current


# Where bot processes write their logs; run.py points it at a kept directory so warnings stay off the table.
LOG_DIR: list[Path] = []


class BotProcess:
    """``python -m bench.harness.botproc`` in a child process: the bot under test, alone with its CPU and memory."""

    def __init__(
        self,
        kind: str,
        fake_url: str,
        *,
        data_dir: Path | None = None,
        banks_dir: Path | None = None,
        reveal_pause: float = 8.0,
        log_path: Path | None = None,
        shard_count: int | None = None,
        shard_ids: list[int] | None = None,
        env: dict[str, str] | None = None,
        extra: list[str] | None = None,
        log_info: list[str] | None = None,
    ) -> None:
        self.kind = kind
        # For quizbot, settings beyond the options (QUIZBOT_DATABASE_URL, QUIZBOT_SHARD_COUNT, ...).
        self.env = {**_env(), **(env or {})}
        self.log_path = log_path or (LOG_DIR[0] / f"{kind}.log" if LOG_DIR else None)
        self.args = ["--kind", kind, "--fake", fake_url, "--reveal-pause", str(reveal_pause)]
        if shard_count is not None:
            self.args += ["--shard-count", str(shard_count)]
        if shard_ids is not None:
            self.args += ["--shard-ids", ",".join(map(str, shard_ids))]
        if data_dir is not None:
            self.args += ["--data-dir", str(data_dir)]
        if banks_dir is not None:
            self.args += ["--banks-dir", str(banks_dir)]
        self.args += extra or []
        if log_info:
            self.args += ["--log-info", *log_info]
        self.ready: JSON = {}
        self._proc: asyncio.subprocess.Process | None = None

    async def start(self, timeout: float = 60) -> JSON:
        """Spawn the bot and wait for its READY line; returns its start-up marks."""
        stderr = None
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            stderr = self.log_path.open("ab")
        try:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.harness.botproc", *self.args, stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, stderr=stderr, env=self.env, cwd=REPO,
            )  # fmt: skip
        finally:
            if stderr is not None:
                stderr.close()
        assert self._proc.stdout is not None
        self.ready = json.loads(await _read_tagged(self._proc.stdout, "READY", timeout))
        return self.ready

    @property
    def pid(self) -> int | None:
        """The process id of the bot's current process (None before it is started)."""
        return None if self._proc is None else self._proc.pid

    async def usage(self) -> JSON:
        """The bot's own CPU seconds and memory, as it measures them itself."""
        assert self._proc is not None and self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(b"stats\n")
        await self._proc.stdin.drain()
        return json.loads(await _read_tagged(self._proc.stdout, "STATS", 30))  # type: ignore[no-any-return]

    async def profile(self, on: bool) -> None:
        """Start or stop the bot's opt-in profiler (a no-op unless QUIZBOT_BENCH_PROFILE is set)."""
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.write(b"profile start\n" if on else b"profile stop\n")
        await self._proc.stdin.drain()

    async def wait(self, timeout: float) -> int | None:
        """Wait for the bot to exit by itself (say it killed itself); its return code, None if still running."""
        if self._proc is None:
            return None
        try:
            return await asyncio.wait_for(self._proc.wait(), timeout)
        except TimeoutError:
            return None

    async def kill(self) -> None:
        """SIGKILL the bot, as a crash would: nothing of its own shutdown runs."""
        if self._proc is not None and self._proc.returncode is None:
            self._proc.kill()
            await self._proc.wait()
        self._proc = None

    async def stop(self) -> None:
        """Ask the bot to close, and wait for it."""
        if self._proc is None:
            return
        assert self._proc.stdin is not None
        if self._proc.returncode is None:
            self._proc.stdin.write(b"quit\n")
            await self._proc.stdin.drain()
            try:
                await asyncio.wait_for(self._proc.wait(), 15)
            except TimeoutError:
                self._proc.kill()
                await self._proc.wait()
        self._proc = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()
