"""The client's construction: what it logs when the bot starts."""

from __future__ import annotations

import subprocess
import sys

BUILD_A_BOT = """
import logging
logging.basicConfig(level=logging.DEBUG)
from bot.client import QuizBot
from bot.settings import Settings
QuizBot(Settings(discord_token=None))
"""


def test_no_voice_warnings_at_start() -> None:
    """A fresh process building the bot logs no warning about voice libraries it never uses (PyNaCl, davey)."""
    command = [sys.executable, "-c", BUILD_A_BOT]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "voice will NOT be supported" not in result.stderr
