"""``quizbot reports BANK``: players' open reports of a bank's questions, from the database, to fix the file by.

``bot.cli`` adds this command to ``quizbot``.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import click

from bot.db import create_engine, create_sessionmaker
from bot.db.migrate import check_database_current
from bot.db.repos import reports as report_repo
from bot.reports import reason_label
from bot.settings import Settings


class _NoDatabase(click.ClickException):
    """The database is missing or not migrated; exits with status 1."""


async def _open_reports(settings: Settings, bank_id: str, guild_id: int | None) -> list[report_repo.StoredReport]:
    url = settings.resolved_database_url
    if not await check_database_current(url):
        raise _NoDatabase(
            f"the database at {url} is missing or not migrated: run `quizbot db upgrade` (or start the bot)"
        )
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            return await report_repo.open_reports(session, guild_id, bank_id)
    finally:
        await engine.dispose()


def render_reports(reports: list[report_repo.StoredReport]) -> list[str]:
    """The open reports, one block per question (most reported first): reasons counted, then each note."""
    by_question: dict[str, list[report_repo.StoredReport]] = {}
    for stored in reports:
        by_question.setdefault(stored.report.question_id, []).append(stored)
    lines: list[str] = []
    for question_id, found in sorted(by_question.items(), key=lambda item: (-len(item[1]), item[0])):
        reasons = Counter(stored.report.reason for stored in found)
        counted = ", ".join(f"{reason_label(reason).lower()} {count}" for reason, count in reasons.most_common())
        lines.append(f"{question_id}: {len(found)} open ({counted})")
        for filed in (stored.report for stored in found):
            # One line per note, whatever the player typed.
            note = " ".join(filed.note.split())
            where = f"server {filed.guild_id}, bank version {filed.bank_version}"
            lines.append(f"  - {reason_label(filed.reason)}" + (f": {note}" if note else "") + f" ({where})")
    return lines


@click.command("reports")
@click.argument("bank")
@click.option("--guild", "guild_id", type=int, default=None, help="Only this server's reports (its id).")
@click.pass_obj
def reports_command(settings: Settings, bank: str, guild_id: int | None) -> None:
    """Players' open reports of BANK's questions, from the bot's database: for fixing a shipped bank's file.

    Reports from every server are listed unless --guild is given. A new version of the bank that changes
    a question closes its reports as fixed the next time authors open their queue.
    """
    found = asyncio.run(_open_reports(settings, bank, guild_id))
    questions = len({stored.report.question_id for stored in found})
    click.echo(f"{bank}: {len(found)} open report(s) of {questions} question(s)")
    for line in render_reports(found):
        click.echo(line)
