"""Fixtures for the CLI tests: run ``quizbot`` in a clean folder with its own settings."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main

QUESTIONS = Path(__file__).parents[2] / "questions"

Invoke = Callable[..., Result]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a copy of the shipped banks, as the working directory, with no stray settings."""
    shutil.copytree(QUESTIONS, tmp_path / "questions")
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "QUIZBOT_DISCORD_TOKEN", "QUIZBOT_DATABASE_URL", "QUIZBOT_BANKS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUIZBOT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture
def invoke(workdir: Path) -> Invoke:
    """Run ``quizbot ARGS`` with optional stdin; returns click's result."""

    def run(*args: str, stdin: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)

    return run
