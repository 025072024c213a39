"""Test-run wide hooks: one summary line for the PostgreSQL variants skipped without a server."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from tests.db.conftest import POSTGRES_SKIPPED

# Where the summary says the skips come from: the line of the fixture that skips them.
SKIPPED_AT = Path("tests") / "db" / "conftest.py"
SKIPPED_LINE = next(
    number
    for number, line in enumerate((Path(__file__).parent / "db" / "conftest.py").read_text().splitlines(), start=1)
    if "pytest.skip(POSTGRES_SKIPPED)" in line
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Report every PostgreSQL-variant skip at one place, so ``-ra`` folds them into one counted line.

    pytest reports a fixture's skip at each test's own line; without a server that made one summary
    line per test (83 of them) saying the same thing.
    """
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2].endswith(POSTGRES_SKIPPED):
        report.longrepr = (str(SKIPPED_AT), SKIPPED_LINE, report.longrepr[2])
    return report
