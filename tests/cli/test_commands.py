"""``quizbot schema``, ``db upgrade``, ``run`` without a token, and ``--version``."""

from __future__ import annotations

import gc
import json
import sqlite3
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.banks import bank_json_schema
from bot.cli import main
from bot.db.migrate import head_revisions
from tests.cli.conftest import Invoke


def test_schema_prints_the_bank_schema(invoke: Invoke) -> None:
    """The printed schema is the model's JSON Schema."""
    result = invoke("schema")
    assert result.exit_code == 0
    assert json.loads(result.output) == bank_json_schema()


def test_db_upgrade_creates_the_database_at_head(invoke: Invoke, workdir: Path) -> None:
    """``db upgrade`` creates the SQLite file in the data dir and migrates it to the head revision."""
    result = invoke("db", "upgrade")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(workdir / "data" / "quizbot.sqlite3") as db:
        (version,) = db.execute("select version_num from alembic_version").fetchone()
    assert (version,) == head_revisions()


def test_run_without_token_explains_and_exits_2(
    invoke: Invoke, workdir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``run`` with no token exits 2 at once with a one-line explanation, before touching the database."""
    result = invoke("run")
    assert result.exit_code == 2
    assert "No Discord token: set DISCORD_TOKEN" in caplog.text
    assert not (workdir / "data").exists()
    assert gc.isenabled()  # paused for start-up only (see the next test)


def test_run_pauses_the_collector_while_the_bot_starts(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot is imported and started with the cyclic collector paused, and it runs again once ``run`` ends."""
    import bot.runner

    seen: list[bool] = []

    def fake_run_bot(settings: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(bot.runner, "run_bot", fake_run_bot)
    result = invoke("run")
    assert result.exit_code == 0, result.output
    assert seen == [False]
    assert gc.isenabled()


def test_version_prints_the_installed_version() -> None:
    """``quizbot --version`` prints the package's version and exits 0, with no settings needed."""
    result = CliRunner().invoke(main, ["--version"], prog_name="quizbot")
    assert result.exit_code == 0
    assert result.output == f"quizbot {version('quizbot')}\n"
