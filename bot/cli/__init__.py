"""The ``quizbot`` command line: check banks, play in the terminal, migrate, run the bot."""

from __future__ import annotations

import asyncio
import gc
import json
import random
import sys
import time
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

import click

from bot.quiz import NotEnoughQuestions, round_rules
from bot.quiz.deal import deal
from bot.settings import Settings

#: Commands defined in the CLI's other modules, by name: each module is imported only when its command runs
#: (or ``--help`` lists them), so ``quizbot run`` starts the bot without the linter, the importers, the
#: demo or Alembic (see tests/test_startup.py).
LAZY_COMMANDS = {
    "import": "bot.cli._authoring:import_command",
    "export": "bot.cli._authoring:export_command",
    "suggest": "bot.cli._authoring:suggest_command",
    "stats": "bot.cli._analytics:stats_command",
    "reload": "bot.cli._analytics:reload_command",
    "reports": "bot.cli._reports:reports_command",
    "preview": "bot.cli._demo:preview",
    "demo": "bot.cli._demo:demo",
}


class LazyGroup(click.Group):
    """A command group whose commands from `LAZY_COMMANDS` are imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, the lazy ones included."""
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command named ``cmd_name``, importing its module if it is a lazy one."""
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, _, attribute = LAZY_COMMANDS[cmd_name].partition(":")
            command = getattr(import_module(module), attribute)
            assert isinstance(command, click.Command) and command.name == cmd_name, LAZY_COMMANDS[cmd_name]
            self.add_command(command)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
@click.version_option(package_name="quizbot", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context) -> None:
    """quizbot: Discord quiz rounds whose every answer quotes its source."""
    ctx.obj = Settings()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat quality warnings as errors (exit 1 if there are any).")
@click.option(
    "--play-data", is_flag=True, help="Also check difficulty labels against the bot's database (every server)."
)
@click.pass_obj
def check(settings: Settings, paths: tuple[Path, ...], strict: bool, play_data: bool) -> None:
    """Validate question banks (files or folders; default: the banks folder), then warn about quality.

    Warnings (a length cue, leaks between questions, weak passages, unbalanced answers) do not stop a
    bank from loading; with --strict they make the check fail. See docs/banks.md.
    """
    from bot.banks import load_banks
    from bot.cli._check import lint_loaded, print_warnings, read_plays

    started = time.perf_counter()
    report = load_banks(paths or (settings.banks_dir,), max_bytes=settings.max_bank_bytes)
    plays = read_plays(settings.resolved_database_url, report.banks) if play_data else None
    warnings = print_warnings(lint_loaded(report, plays))
    elapsed = time.perf_counter() - started
    for issue in report.issues:
        click.echo(str(issue), err=True)
    questions = sum(len(bank.questions) for bank in report.banks)
    summary = f"{len(report.banks)} bank(s), {questions} question(s) valid in {elapsed:.2f} s"
    if warnings:
        summary += f"; {warnings} warning(s)" + (" (errors with --strict)" if strict else "")
    if report.issues:
        click.echo(f"{summary}; {len(report.issues)} error(s).", err=True)
        sys.exit(1)
    if strict and warnings:
        click.echo(f"{summary}.", err=True)
        sys.exit(1)
    click.echo(f"{summary}.")


@main.command()
@click.argument("bank", required=False)
@click.option("-n", "--questions", "count", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("-s", "--seconds", default=None, type=click.FloatRange(1, 600), help="Seconds per question.")
@click.option("--seed", default=None, type=int, help="Seed for question choice and order (random by default).")
@click.pass_obj
def play(settings: Settings, bank: str | None, count: int, seconds: float | None, seed: int | None) -> None:
    """Play a round in the terminal: type the letter of your answer and press Enter."""
    from bot.banks import load_banks
    from bot.cli._play import play_in_terminal

    source = Path(bank) if bank and Path(bank).is_file() else settings.banks_dir
    report = load_banks([source], max_bytes=settings.max_bank_bytes)
    for issue in report.issues:
        click.echo(str(issue), err=True)
    banks = report.banks if bank is None or Path(bank).is_file() else [b for b in report.banks if b.id == bank]
    if not banks:
        known = ", ".join(b.id for b in report.banks) or "none"
        raise click.UsageError(f"no bank named {bank!r}; loaded banks: {known}")
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    # The same rule as a round in a server, with the terminal's defaults standing in for the server's.
    rules = round_rules(banks, questions=count, seconds=seconds, default_questions=count, default_seconds=20)
    try:
        questions = deal(banks, count, seed)
    except NotEnoughQuestions as exc:
        raise click.UsageError(f"--questions {count}: only {exc.available} questions are available") from exc
    play_in_terminal(
        questions,
        seconds=rules.seconds,
        scoring=rules.scoring,
        stdin=sys.stdin,
        stdout=sys.stdout,
        clock=lambda: datetime.now(UTC),
    )


@main.group()
def db() -> None:
    """Manage the database."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def db_upgrade(settings: Settings, revision: str) -> None:
    """Apply the database migrations (the bot also does this at start-up)."""
    from bot.db.migrate import upgrade_database

    asyncio.run(upgrade_database(settings.resolved_database_url, revision))
    click.echo(f"Database is at {revision}.")


@main.command()
def schema() -> None:
    """Print the JSON Schema of bank files (for editors)."""
    from bot.banks import bank_json_schema

    click.echo(json.dumps(bank_json_schema(), indent=2))


@main.command()
@click.pass_obj
def run(settings: Settings) -> None:
    """Migrate the database, load the banks and start the bot."""
    # Start-up builds a heap that lives as long as the process (modules, the ORM, the banks): the cyclic
    # collector would walk it again and again while it grows (about 15% of start-up's CPU). It is paused
    # until the end of QuizBot.setup_hook, which collects once, freezes what is left and resumes it (or
    # until the bot stops, if it never got that far).
    gc.disable()
    try:
        from bot.runner import run_bot

        code = run_bot(settings)
    finally:
        gc.enable()
    sys.exit(code)
