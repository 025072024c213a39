"""``quizbot demo`` and ``quizbot preview`` from the command line: missing extra, start, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.demo.conftest import QUESTIONS

CLI = "from bot.cli import main; main()"


@pytest.mark.parametrize("args", [["demo"], ["preview", "south-caucasus-russia"]])
def test_without_the_extra_the_command_says_how_to_install_it(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Without simcord, the commands print the install line and exit 2, with no traceback."""
    monkeypatch.setitem(sys.modules, "simcord", None)  # makes `import simcord` fail, as if not installed
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert 'The demo needs the demo extra: pip install -e ".[demo]"' in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_cli_works_without_simcord() -> None:
    """Importing the CLI loads no simcord, and ``quizbot --help`` works when simcord cannot be imported."""
    code = (
        "import sys; sys.modules['simcord'] = None\n"
        "import bot.cli\n"
        "assert [m for m in sys.modules if m.startswith('simcord.')] == []\n"
        "bot.cli.main(['--help'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "demo" in result.stdout and "preview" in result.stdout


def test_preview_of_an_unknown_bank_fails_clearly(tmp_path: Path) -> None:
    """An unknown bank id lists the valid banks and exits 1."""
    result = CliRunner().invoke(main, ["preview", "no-such-bank"], env={"QUIZBOT_BANKS_DIR": str(QUESTIONS)})
    assert result.exit_code == 1
    assert "No valid bank 'no-such-bank'; valid banks: south-caucasus-russia" in result.output


def test_demo_prints_its_address_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    """``quizbot demo`` prints the page's loopback URL, and Ctrl-C stops it with exit code 0."""
    env = {**os.environ, "QUIZBOT_BANKS_DIR": str(QUESTIONS)}
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "demo", "--no-browser", "--data-dir", str(tmp_path / "demo")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 30
        lines: list[str] = []
        while not any("http://127.0.0.1:" in line for line in lines) and time.monotonic() < deadline:
            lines.append(process.stdout.readline())
        assert any(line.strip().startswith("http://127.0.0.1:") for line in lines), lines
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Demo stopped." in out
    assert "Traceback" not in err
    assert (tmp_path / "demo" / "quizbot.sqlite3").is_file()
