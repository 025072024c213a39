"""``quizbot stats`` and ``quizbot reload``: a bank's per-question analytics from the database, and
re-reading the shipped banks in the running bot.

``bot.cli`` adds these commands to ``quizbot``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import click

from bot.banks import BankError, load_banks
from bot.banks.analytics import QuestionReport, bank_report, percent, reports_note, seconds, with_reports
from bot.banks.guild_banks import build_bank
from bot.banks.shipped import PID_FILE, read_shipped
from bot.db import create_engine, create_sessionmaker
from bot.db.migrate import check_database_current
from bot.db.repos import banks as bank_repo
from bot.db.repos import reports as report_repo
from bot.quiz import Bank
from bot.settings import Settings

WRONG_WIDTH = 30


class _Missing(click.ClickException):
    """A bank or database the command cannot find; exits with status 1."""


async def _gather(settings: Settings, bank_id: str, guild_id: int | None) -> tuple[Bank, list[QuestionReport], str]:
    url = settings.resolved_database_url
    if not await check_database_current(url):
        raise _Missing(f"the database at {url} is missing or not migrated: run `quizbot db upgrade` (or start the bot)")
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            guilds = [guild_id] if guild_id is not None else await bank_repo.guilds_with_bank(session, bank_id)
            if len(guilds) > 1:
                listed = ", ".join(str(g) for g in guilds)
                raise _Missing(f"servers {listed} each uploaded a bank {bank_id!r}: pick one with --guild")
            stored = await bank_repo.get_version(session, guilds[0], bank_id) if guilds else None
            if stored is not None:
                try:
                    bank = build_bank(stored)
                except BankError as exc:
                    raise _Missing(f"the stored bank {bank_id!r} no longer loads: {exc}") from None
                where = f"uploaded to server {stored.guild_id}, version {stored.version}"
                scope: int | None = stored.guild_id
            else:
                bank = _shipped(settings, bank_id, guild_id)
                where = "shipped" + (f", answers in server {guild_id}" if guild_id is not None else ", every server")
                scope = guild_id
            activity = await bank_repo.bank_activity(session, scope, bank_id)
            counts = await report_repo.report_counts(session, bank_id, None if scope is None else [scope])
    finally:
        await engine.dispose()
    return bank, with_reports(bank_report(bank, activity.asked, activity.answers), counts), where


def _shipped(settings: Settings, bank_id: str, guild_id: int | None) -> Bank:
    report = load_banks([settings.banks_dir], max_bytes=settings.max_bank_bytes)
    for bank in report.banks:
        if bank.id == bank_id:
            return bank
    known = ", ".join(sorted(bank.id for bank in report.banks)) or "none"
    server = f" nor uploaded to server {guild_id}" if guild_id is not None else " nor uploaded to any server"
    raise _Missing(f"no bank {bank_id!r} is shipped in {settings.banks_dir}{server}; shipped banks: {known}")


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(reports: list[QuestionReport]) -> list[str]:
    """The analytics as a plain-text table, one line per question, flags last."""
    id_width = max([len("question"), *(len(r.question_id) for r in reports)])
    lines = [
        f"{'question':<{id_width}}  {'asked':>5}  {'answers':>7}  {'right':>5}  {'avg':>7}  "
        f"{'most-picked wrong':<{WRONG_WIDTH}}  flag"
    ]
    for report in reports:
        wrong = f"{report.top_wrong} ({report.top_wrong_count})" if report.top_wrong is not None else "-"
        flag = report.flag.value if report.flag is not None else ("(removed)" if report.prompt is None else "")
        flag = "; ".join(part for part in (flag, reports_note(report)) if part)
        lines.append(
            f"{report.question_id:<{id_width}}  {report.asked:>5}  {report.answers:>7}  {percent(report):>5}  "
            f"{seconds(report):>7}  {_cell(wrong, WRONG_WIDTH):<{WRONG_WIDTH}}  {flag}".rstrip()
        )
    return lines


@click.command("stats")
@click.argument("bank")
@click.option("--guild", "guild_id", type=int, default=None, help="Only this server's rounds (its id).")
@click.pass_obj
def stats_command(settings: Settings, bank: str, guild_id: int | None) -> None:
    """Per question of BANK: times asked, % right, average answer time, most-picked wrong choice.

    Reads the bot's database. Questions nobody gets right, or everybody does, are flagged once asked
    at least 3 times; players' reports of a question are counted in the last column. A shipped bank
    counts every server's rounds unless --guild is given; an uploaded bank is looked up in the server
    that uploaded it.
    """
    found, reports, where = asyncio.run(_gather(settings, bank, guild_id))
    click.echo(f"{found.title} ({found.id}, {where}): {len(reports)} question(s)")
    for line in render_table(reports):
        click.echo(line)
    flagged = sum(1 for report in reports if report.flag is not None)
    click.echo(f"{flagged} question(s) flagged.")


def _bot_pid(path: Path) -> int | None:
    """The running bot's pid from its pid file, if that process is alive and its command line is quizbot's."""
    try:
        pid = int(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    # A stale pid file may name a process that has since reused the id: never signal a stranger. Where the
    # command line cannot be read (no /proc), nothing is signalled.
    try:
        args = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if not any(arg.endswith(b"quizbot") for arg in args) and b"bot" not in args:
        return None
    return pid


async def _hint_reload(url: str) -> None:
    """Publish the ``banks``/``shipped`` hint, which every listening bot process answers by re-reading the folder."""
    from bot.db.engine import create_engine
    from bot.db.hints import publish_to

    engine = create_engine(url)
    try:
        await publish_to(engine, "banks", "shipped")
    finally:
        await engine.dispose()


@click.command("reload")
@click.option("--check-only", is_flag=True, help="Only validate the banks folder; do not signal the bot.")
@click.pass_obj
def reload_command(settings: Settings, check_only: bool) -> None:
    """Check the banks folder, then tell the running bot to re-read it (like `/quiz bank reload`).

    Every file is validated as `quizbot check` does. On PostgreSQL every bot process on the database is
    told through a hint (LISTEN/NOTIFY); on SQLite the bot re-reads the folder on SIGHUP, which this sends
    to the process in the data folder's quizbot.pid. A file that is broken keeps the version the bot
    loaded before. Exits with status 1 if any file has a problem.
    """
    chosen, report = read_shipped(settings.banks_dir, {}, max_bytes=settings.max_bank_bytes)
    for issue in report.issues:
        click.echo(str(issue), err=True)
    click.echo(f"{len(chosen)} bank(s) valid in {settings.banks_dir}; {len(report.issues)} problem(s).")
    if not check_only and settings.resolved_database_url.startswith("postgresql"):
        # Several processes may share a PostgreSQL database: hint every one of them, wherever they run.
        asyncio.run(_hint_reload(settings.resolved_database_url))
        click.echo("Asked every bot process on the database to reload; broken files keep their previous version.")
    elif not check_only:
        pid_path = settings.data_dir / PID_FILE
        pid = _bot_pid(pid_path) if hasattr(signal, "SIGHUP") else None
        if pid is None:
            click.echo(
                f"No running bot found (no live process in {pid_path}): it loads the folder when it starts, "
                "or a moderator can run /quiz bank reload."
            )
        else:
            os.kill(pid, signal.SIGHUP)
            click.echo(f"Asked the bot (pid {pid}) to reload; broken files keep their previous version. See its log.")
    if report.issues:
        sys.exit(1)
