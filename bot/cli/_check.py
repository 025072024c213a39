"""``quizbot check``'s quality warnings: lint each loaded bank, pin the warnings to lines, print them grouped.

``bot.cli`` runs this after loading the banks; with ``--play-data`` the bot's database supplies how often
each question was answered right, for the difficulty labels.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from bot.banks import LoadReport
from bot.banks.analytics import QuestionReport, bank_report
from bot.banks.lint import Kind, LintReport, LintWarning, lint_bank
from bot.banks.yaml_source import YamlDocument, YamlProblem, read_yaml
from bot.db import create_engine, create_sessionmaker
from bot.db.migrate import check_database_current
from bot.db.repos import banks as bank_repo
from bot.quiz import Bank


@dataclass(frozen=True, slots=True)
class Placed:
    """A warning with its place in the file, printed like the loader's errors."""

    where: str
    warning: LintWarning

    def __str__(self) -> str:
        about = f" [{self.warning.question_id}]" if self.warning.question_id else ""
        return f"{self.where}: {self.warning.field}{about}: {self.warning.message}"


def _where(name: str, document: YamlDocument | None, field: str) -> str:
    """``file:line:column`` of a field, or of the nearest enclosing field the file has a position for."""
    path = field
    while document is not None:
        mark = document.marks.get(path)
        if mark is not None:
            return f"{name}:{mark[0]}:{mark[1]}"
        if not path:
            break
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return name


def _document(path: Path) -> YamlDocument | None:
    try:
        return read_yaml(path.read_bytes())
    except (OSError, YamlProblem):  # It loaded a moment ago; without positions the warnings still print.
        return None


async def _plays(url: str, banks: Sequence[Bank]) -> dict[str, list[QuestionReport]] | None:
    """Each bank's per-question figures from the bot's database (every server), or None without a database."""
    if not await check_database_current(url):
        return None
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            reports: dict[str, list[QuestionReport]] = {}
            for bank in banks:
                activity = await bank_repo.bank_activity(session, None, bank.id)
                reports[bank.id] = bank_report(bank, activity.asked, activity.answers)
            return reports
    finally:
        await engine.dispose()


def read_plays(url: str, banks: Sequence[Bank]) -> dict[str, list[QuestionReport]]:
    """The play figures for ``--play-data``; a missing or unmigrated database is a usage error."""
    plays = asyncio.run(_plays(url, banks))
    if plays is None:
        raise click.UsageError(f"--play-data: the database at {url} is missing or not migrated")
    return plays


def lint_loaded(
    report: LoadReport, plays: Mapping[str, list[QuestionReport]] | None = None
) -> list[tuple[Bank, LintReport, list[Placed]]]:
    """Lint every loaded bank; each with its report and its warnings placed in its file."""
    results: list[tuple[Bank, LintReport, list[Placed]]] = []
    for bank in report.banks:
        path = report.files[bank.id]
        document = _document(path)
        lint = lint_bank(bank, plays.get(bank.id, []) if plays is not None else None)
        placed = [Placed(_where(str(path), document, warning.field), warning) for warning in lint.warnings]
        results.append((bank, lint, placed))
    return results


def print_warnings(results: list[tuple[Bank, LintReport, list[Placed]]]) -> int:
    """Print the warnings grouped by kind, then each bank's figures and proposed groups; returns the count."""
    placed = [warning for _, _, warnings in results for warning in warnings]
    for kind in Kind:
        group = [warning for warning in placed if warning.warning.kind is kind]
        if group:
            click.echo(f"{kind.value} ({len(group)}):", err=True)
            for warning in group:
                click.echo(f"  {warning}", err=True)
    for bank, lint, warnings in results:
        rate = lint.longest
        click.echo(
            f"{bank.id}: picking the longest choice scores {rate.longest:.0%} (guessing {rate.guessing:.0%}); "
            f"{len(lint.pairs)} leak or duplicate pair(s); {len(warnings)} warning(s)"
        )
        if lint.proposed:
            click.echo(f"{bank.id}: related groups that would settle the pairs (under `related:` in the file):")
            for members in lint.proposed:
                click.echo(f"  - [{', '.join(members)}]")
    return len(placed)
