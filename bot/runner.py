"""Start-up: check the token, then run the bot (which migrates and loads banks before connecting).

While it runs, the process re-reads the shipped banks folder when it gets SIGHUP (on platforms that have
it); ``quizbot reload`` sends it to the process named in ``data/quizbot.pid``, which the runner writes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import discord

from bot.banks.shipped import PID_FILE
from bot.client import QuizBot, create_bot
from bot.db.single_process import AnotherBotRunning, only_bot_on_sqlite
from bot.logs import configure_logging
from bot.settings import Settings

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNREACHABLE = 1
EXIT_CONFIG = 2


def run_bot(settings: Settings) -> int:
    """Run the bot until it stops; returns the process exit code."""
    configure_logging(settings.log_level)
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        log.error(
            "No Discord token: set DISCORD_TOKEN in the environment or in .env "
            "(Discord developer portal > your application > Bot > Reset Token)."
        )
        return EXIT_CONFIG
    try:
        with only_bot_on_sqlite(settings.resolved_database_url):
            asyncio.run(_run(create_bot(settings), token))
    except AnotherBotRunning as error:
        log.error("Not starting: %s.", error)
        return EXIT_CONFIG
    except discord.LoginFailure:
        log.error("Discord rejected the token: check DISCORD_TOKEN (it may have been reset or mistyped).")
        return EXIT_CONFIG
    except discord.PrivilegedIntentsRequired:
        log.error("Discord refused the requested intents; quizbot needs no privileged intent, so check the code.")
        return EXIT_CONFIG
    except (aiohttp.ClientError, OSError) as error:
        log.error("Could not reach Discord: %s", error)
        return EXIT_UNREACHABLE
    except KeyboardInterrupt:
        log.info("Stopped.")
    return EXIT_OK


async def _run(bot: QuizBot, token: str) -> None:
    async with bot:
        with reload_on_sighup(bot):
            await bot.start(token)


@contextmanager
def reload_on_sighup(bot: QuizBot) -> Iterator[bool]:
    """While inside, SIGHUP re-reads the shipped banks and the PID file names this process; yields if it listens.

    One handler per process, so it lives here rather than in an extension that may be loaded twice.
    """
    if not _listen_for_sighup(bot):
        yield False
        return
    path = bot.settings.data_dir / PID_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{os.getpid()}\n", encoding="utf-8")
    except OSError:
        log.warning("Could not write %s; quizbot reload will not find this bot", path, exc_info=True)
    try:
        yield True
    finally:
        asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        try:
            if path.read_text(encoding="utf-8").strip() == str(os.getpid()):
                path.unlink()
        except OSError:
            pass


def _listen_for_sighup(bot: QuizBot) -> bool:
    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        return False
    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, _reload_soon, bot)
    except (NotImplementedError, RuntimeError):
        return False
    return True


_reloads: set[asyncio.Task[None]] = set()


def _reload_soon(bot: QuizBot) -> None:
    """SIGHUP: re-read the shipped banks off the event loop (in the bank worker), so clicks are answered meanwhile."""
    task = asyncio.get_running_loop().create_task(_reload(bot), name="quiz-sighup-reload")
    _reloads.add(task)
    task.add_done_callback(_reloads.discard)


async def _reload(bot: QuizBot) -> None:
    try:
        await bot.banks.reload()
    except Exception:  # the banks stay as they were; the next SIGHUP tries again
        log.exception("Reloading the banks on SIGHUP failed")
