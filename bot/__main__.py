"""``python -m bot`` starts the bot, like ``quizbot run``."""

from __future__ import annotations

from bot.cli import main

if __name__ == "__main__":
    main(["run"])
