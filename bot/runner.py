"""Start-up: check the token, then run the bot (which migrates and loads banks before connecting)."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from bot.client import QuizBot
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
        asyncio.run(_run(QuizBot(settings), token))
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
        await bot.start(token)
