"""``quizbot reports BANK`` lists players' open reports, and ``quizbot stats BANK`` counts them per question."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.banks import load_bank
from bot.db import create_engine, create_sessionmaker
from bot.db.migrate import upgrade_database
from bot.db.models import ReportStatus
from bot.db.repos import reports as report_repo
from tests.cli.conftest import Invoke
from tests.cli.test_analytics import BANK, GUILD, OTHER, url

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


async def _file(
    database: str, reports: list[report_repo.NewReport], closed: tuple[int, str, str] | None = None
) -> None:
    await upgrade_database(database)
    engine = create_engine(database)
    try:
        async with create_sessionmaker(engine).begin() as session:
            for report in reports:
                await report_repo.file_report(session, report, T0)
            if closed is not None:
                await report_repo.close_reports(session, *closed, ReportStatus.DISMISSED, T0)
    finally:
        await engine.dispose()


def _report(guild: int, user: int, bank: str, question: str, reason: str, note: str = "") -> report_repo.NewReport:
    return report_repo.NewReport(guild, user, bank, "abc", question, "v1", reason, note)


def test_reports_of_a_shipped_bank_from_every_server(invoke: Invoke, workdir: Path) -> None:
    """Open reports from all servers, most reported question first, with reasons and one-line notes."""
    bank = load_bank(workdir / BANK)
    first, second = bank.questions[0].id, bank.questions[1].id
    reports = [
        _report(GUILD, 10, bank.id, first, "wrong_answer", "key should\nbe B"),
        _report(OTHER, 11, bank.id, first, "wrong_answer"),
        _report(GUILD, 12, bank.id, second, "typo", "speling"),
        _report(GUILD, 13, bank.id, bank.questions[2].id, "unclear"),
    ]
    asyncio.run(_file(url(workdir), reports, closed=(GUILD, bank.id, bank.questions[2].id)))

    result = invoke("reports", bank.id)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{bank.id}: 3 open report(s) of 2 question(s)"
    assert lines[1] == f"{first}: 2 open (wrong answer 2)"
    assert lines[2] == f"  - Wrong answer: key should be B (server {GUILD}, bank version abc)"
    assert lines[4] == f"{second}: 1 open (typo 1)"

    only = invoke("reports", bank.id, "--guild", str(OTHER))
    assert only.stdout.splitlines()[0] == f"{bank.id}: 1 open report(s) of 1 question(s)"

    stats = invoke("stats", bank.id)
    row = next(line for line in stats.stdout.splitlines() if line.startswith(first))
    assert row.endswith("2 open reports (2 in all)")
    dismissed = next(line for line in stats.stdout.splitlines() if line.startswith(bank.questions[2].id))
    assert dismissed.endswith("0 open reports (1 in all)")


def test_reports_need_a_migrated_database(invoke: Invoke, workdir: Path) -> None:
    """Without a database the command says how to make one, and fails."""
    result = invoke("reports", "south-caucasus-russia")
    assert result.exit_code == 1 and "quizbot db upgrade" in result.output
