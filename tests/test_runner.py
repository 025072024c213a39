"""``quizbot run``'s start-up failures: each gets a one-line explanation and its exit code."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import discord
import pytest

from bot.banks.shipped import PID_FILE
from bot.client import QuizBot
from bot.runner import EXIT_CONFIG, EXIT_UNREACHABLE, _run, run_bot
from bot.settings import Settings
from tests.banks.helpers import loop_gaps_until, slow_shipped_reads


class _Unauthorized(BaseHTTPRequestHandler):
    """Answers every request as Discord answers a bad token."""

    def do_GET(self) -> None:
        body = json.dumps({"message": "401: Unauthorized", "code": 0}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def discord_refusing_tokens(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A loopback stand-in for Discord's API, on its own thread, that refuses every token."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unauthorized)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{server.server_port}/api/v10")
    yield
    server.shutdown()
    server.server_close()


def test_invalid_token_exits_2_with_an_explanation(
    discord_refusing_tokens: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A token Discord rejects gets one clear line and exit code 2, not a traceback."""
    settings = Settings(data_dir=tmp_path, discord_token="not-a-real-token")
    assert run_bot(settings) == EXIT_CONFIG
    assert "Discord rejected the token" in caplog.text
    assert "Traceback" not in caplog.text


def test_unreachable_discord_exits_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """When nothing answers at Discord's address the bot says so and exits 1."""
    monkeypatch.setattr(discord.http.Route, "BASE", "http://127.0.0.1:9/api/v10")  # the discard port: refused
    settings = Settings(data_dir=tmp_path, discord_token="any-token")
    assert run_bot(settings) == EXIT_UNREACHABLE
    assert "Could not reach Discord" in caplog.text


def test_the_running_bot_reloads_its_banks_on_sighup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the bot runs, the data folder's pid file names this process and SIGHUP re-reads the shipped banks."""
    if not hasattr(signal, "SIGHUP"):
        pytest.skip("no SIGHUP on this platform")
    bot = QuizBot(Settings(data_dir=tmp_path / "data", banks_dir=tmp_path / "questions", discord_token=None))
    pid_path = tmp_path / "data" / PID_FILE
    reloads: list[int] = []

    async def reload() -> None:
        reloads.append(1)

    monkeypatch.setattr(bot.banks, "reload", reload)
    seen: dict[str, object] = {}

    async def start(token: str) -> None:
        # Stands in for connecting to Discord: the bot is "running" for as long as this takes.
        seen["pid"] = pid_path.read_text(encoding="utf-8").strip()
        seen["handled"] = signal.getsignal(signal.SIGHUP) not in (signal.SIG_DFL, None)
        if seen["handled"]:
            os.kill(os.getpid(), signal.SIGHUP)
            for _ in range(20):
                await asyncio.sleep(0)
                if reloads:
                    break

    monkeypatch.setattr(bot, "start", start)
    asyncio.run(_run(bot, "token"))
    assert seen == {"pid": str(os.getpid()), "handled": True}
    assert reloads == [1]
    assert not pid_path.exists()


def test_a_sighup_reload_leaves_the_loop_free(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The banks folder is read off the event loop: a slow read (1 s of CPU) never holds the loop up for long."""
    if not hasattr(signal, "SIGHUP"):
        pytest.skip("no SIGHUP on this platform")
    banks = tmp_path / "questions"
    banks.mkdir()
    (banks / "slow.yaml").write_text("id: slow\n", encoding="utf-8")
    bot = QuizBot(Settings(data_dir=tmp_path / "data", banks_dir=banks, discord_token=None))
    applied = slow_shipped_reads(monkeypatch)
    gaps: list[float] = []

    async def start(token: str) -> None:
        os.kill(os.getpid(), signal.SIGHUP)
        gaps.extend(await loop_gaps_until(lambda: bool(applied)))

    monkeypatch.setattr(bot, "start", start)
    asyncio.run(_run(bot, "token"))
    assert applied == [1]
    assert len(gaps) > 20 and max(gaps) < 0.5
