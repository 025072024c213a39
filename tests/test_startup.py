"""Start-up imports only what it needs (issue 17, P6): a module that creeps back in fails here, not in a benchmark.

Each check runs a fresh interpreter, since this one has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "questions"

#: Loaded only when a bank misses the cache, an upload is checked or a quiz file imported, or by the CLI's
#: other commands: never by the bot's start-up (the bank schema, checks and importers, the migrations).
NOT_AT_START = (
    "alembic",
    "bot.banks.checks",
    "bot.banks.closest",
    "bot.banks.export",
    "bot.banks.importers",
    "bot.banks.lint",
    "bot.banks.messages",
    "bot.banks.model",
    "bot.banks.suggest",
    "bot.cli._analytics",
    "bot.cli._authoring",
    "bot.cli._check",
    "bot.cli._demo",
    "bot.cli._reports",
    "bot.db.migrate",
    "bot.demo",
    "defusedxml",
    "html.parser",
    "mako",
    "rapidfuzz",
    "simcord",
    "xml.etree.ElementTree",
)


def loaded_after(code: str, *args: str) -> list[str]:
    """The modules a fresh interpreter has loaded after running ``code`` (which may read ``sys.argv``)."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def unwanted(modules: list[str]) -> list[str]:
    """The modules of ``modules`` that start-up must not load."""
    return [m for m in modules if any(m == name or m.startswith(name + ".") for name in NOT_AT_START)]


def test_the_guard_sees_a_module_that_should_not_be_there() -> None:
    """The check is not vacuous: importing the bank loader's checks is caught."""
    assert "bot.banks.checks" in unwanted(loaded_after("import bot.banks.checks"))


def test_importing_the_bot_and_its_extensions_loads_nothing_start_up_does_not_need() -> None:
    """``quizbot run``'s imports (the CLI, the runner, the client) and every extension leave the heavy parts out."""
    code = (
        "import importlib\n"
        "import bot.cli, bot.runner\n"
        "from bot.exts import discover_extensions\n"
        "for extension in discover_extensions():\n"
        "    importlib.import_module(extension)\n"
    )
    assert unwanted(loaded_after(code)) == []


def test_python_m_bot_imports_no_more_than_quizbot_run() -> None:
    """``python -m bot`` goes the same light way (its module is imported, not run, here)."""
    assert unwanted(loaded_after("import bot.__main__")) == []


def test_a_bank_from_the_warm_cache_needs_no_schema_checks_or_yaml_errors(tmp_path: Path) -> None:
    """Loading the shipped banks from a warm cache of validated banks imports neither the schema nor the checks.

    The first load misses and checks every bank (loading all of it); the second, in a new process, hits.
    """
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from bot.banks.cache import BankCache\n"
        "from bot.banks.shipped import read_shipped\n"
        "cache = BankCache(Path(sys.argv[2]))\n"
        "chosen, report = read_shipped(Path(sys.argv[1]), {}, max_bytes=10_000_000, cache=cache)\n"
        "assert report.ok and chosen, report\n"
    )
    cold = loaded_after(code, str(QUESTIONS), str(tmp_path / "cache"))
    assert "bot.banks.checks" in cold and "bot.banks.model" in cold  # a miss checks the bank in full
    warm = loaded_after(code, str(QUESTIONS), str(tmp_path / "cache"))
    assert unwanted(warm) == []
    assert "pydantic" not in warm  # the bank schema is the only user of pydantic here
