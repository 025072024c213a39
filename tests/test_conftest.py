"""The test run's own output: skipped PostgreSQL variants make one summary line, not one per test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_postgres_skips_fold_into_one_counted_line() -> None:
    """Without QUIZBOT_TEST_POSTGRES_URL, ``-ra`` prints one SKIPPED line with the count and the reason."""
    env = {k: v for k, v in os.environ.items() if k != "QUIZBOT_TEST_POSTGRES_URL"}
    files = ["tests/db/test_types.py", "tests/db/repos/test_guilds.py"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "QUIZBOT_TEST_POSTGRES_URL is not set" in line]
    skipped = int(result.stdout.rsplit(" skipped", 1)[0].rsplit(" ", 1)[1])
    assert lines == [
        f"SKIPPED [{skipped}] tests/db/conftest.py:{_skip_line()}: "
        "QUIZBOT_TEST_POSTGRES_URL is not set, so the PostgreSQL variant is skipped"
    ]


def _skip_line() -> int:
    text = (ROOT / "tests" / "db" / "conftest.py").read_text().splitlines()
    return next(n for n, line in enumerate(text, start=1) if "pytest.skip(POSTGRES_SKIPPED)" in line)
