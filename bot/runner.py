"""Start-up: check the token, migrate the database, load the banks, then run the bot."""

from __future__ import annotations

import asyncio
import logging

from bot.banks import load_banks
from bot.db.migrate import upgrade_database
from bot.logs import configure_logging
from bot.settings import Settings

log = logging.getLogger(__name__)

EXIT_CONFIG = 2


def run_bot(settings: Settings) -> int:
    """Run the bot until it stops; returns the process exit code."""
    configure_logging(settings.log_level)
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        log.error(
            "No Discord token: set DISCORD_TOKEN in the environment or in .env "
            "(Discord developer portal > your application > Bot > Reset Token)."
        )
        return EXIT_CONFIG
    asyncio.run(upgrade_database(settings.resolved_database_url))
    report = load_banks([settings.banks_dir], max_bytes=settings.max_bank_bytes)
    for issue in report.issues:
        log.error("%s", issue)
    log.info("Loaded %d bank(s) from %s", len(report.banks), settings.banks_dir)
    log.error("The Discord client is not part of this build yet.")
    return EXIT_CONFIG
