"""README.md stays true to the code: every setting and every command is documented."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli import main
from bot.settings import Settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table() -> None:
    """Each settings field appears as its environment variable."""
    for name in Settings.model_fields:
        variable = "DISCORD_TOKEN" if name == "discord_token" else f"QUIZBOT_{name.upper()}"
        assert f"`{variable}`" in README, variable


def test_every_cli_command_is_in_the_reference() -> None:
    """Each ``quizbot`` command appears in the command-line table."""
    for name in main.list_commands(click.Context(main)):  # the lazy commands too
        assert f"`quizbot {name}" in README, name


def test_the_test_command_is_what_ci_runs() -> None:
    """.ci/run calls the README's test command verbatim."""
    command = 'python3 -m venv .venv && .venv/bin/pip install -q -e ".[dev]" && .venv/bin/python -m pytest'
    assert command in README
    assert command in (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8")
