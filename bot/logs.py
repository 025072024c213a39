"""Logging set-up for the bot and the CLI."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    """Log to stderr with timestamps; discord.py's chatty loggers stay at WARNING below DEBUG."""
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    if level.upper() != "DEBUG":
        logging.getLogger("discord").setLevel(logging.WARNING)
