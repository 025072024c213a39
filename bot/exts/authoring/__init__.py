"""``/quiz bank``: authors upload question banks to their server, with versions and analytics.

On platforms with SIGHUP the running bot re-reads the shipped folder when it gets one; ``quizbot reload``
sends it to the process named in ``data/quizbot.pid``, which this extension writes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from typing import TYPE_CHECKING

from bot.exts.authoring._group import GROUP_NAME, BankActionRefused, BankGroup
from bot.exts.authoring._upload import UploadRefused
from bot.rounds.shipped import PID_FILE

if TYPE_CHECKING:
    from pathlib import Path

    from bot.client import QuizBot

log = logging.getLogger(__name__)

__all__ = ["GROUP_NAME", "BankActionRefused", "BankGroup", "UploadRefused", "pid_file"]


def pid_file(bot: QuizBot) -> Path:
    """Where the running bot writes its process id, for ``quizbot reload``."""
    return bot.settings.data_dir / PID_FILE


def _listen_for_sighup(bot: QuizBot) -> bool:
    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        return False
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGHUP, bot.reload_banks)
    except (NotImplementedError, RuntimeError):
        return False
    return True


async def setup(bot: QuizBot) -> None:
    """Add ``/quiz bank``, and reload the shipped banks on SIGHUP where the platform has it."""
    bot.quiz_group.add_command(BankGroup())
    if _listen_for_sighup(bot):
        path = pid_file(bot)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{os.getpid()}\n", encoding="utf-8")
        except OSError:
            log.warning("Could not write %s; quizbot reload will not find this bot", path, exc_info=True)


async def teardown(bot: QuizBot) -> None:
    """Remove ``/quiz bank`` and stop listening for SIGHUP."""
    bot.quiz_group.remove_command(GROUP_NAME)
    if hasattr(signal, "SIGHUP") and threading.current_thread() is threading.main_thread():
        asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
    path = pid_file(bot)
    try:
        if path.read_text(encoding="utf-8").strip() == str(os.getpid()):
            path.unlink()
    except OSError:
        pass
