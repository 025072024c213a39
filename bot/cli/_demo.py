"""``quizbot demo`` and ``quizbot preview``: the real bot in a local browser page, no Discord needed.

Both need the ``demo`` extra (simcord's preview); without it they say how to install it. Nothing
from simcord is imported until a command runs, so ``quizbot`` works without the extra.
``bot.cli`` adds these commands to ``quizbot``.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

import click

from bot.banks import load_banks
from bot.demo import INSTALL_HINT, demo_available
from bot.demo.players import PERSONAS
from bot.logs import configure_logging
from bot.settings import Settings

EXIT_NO_EXTRA = 2
DEMO_DATA_DIR = Path("data") / "demo"


def _require_extra() -> None:
    if not demo_available():
        click.echo(INSTALL_HINT, err=True)
        sys.exit(EXIT_NO_EXTRA)


@click.command()
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Loopback port for the page (default: any).")
@click.option(
    "--players",
    default=5,
    show_default=True,
    type=click.IntRange(0, len(PERSONAS)),
    help="How many simulated players answer.",
)
@click.option("--seed", default=1, show_default=True, type=int, help="Seed of the simulated players' answers.")
@click.option("--pause", default=None, type=click.FloatRange(0, 60), help="Seconds from a reveal to the next question.")
@click.option(
    "--data-dir",
    default=DEMO_DATA_DIR,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the demo keeps its SQLite database (its leaderboard carries over between runs).",
)
@click.option("--reset", is_flag=True, help="Start from an empty demo database.")
@click.option("--no-browser", is_flag=True, help="Only print the page's address.")
@click.option("-v", "--verbose", is_flag=True, help="Log what the bot does (QUIZBOT_LOG_LEVEL), not just problems.")
@click.pass_obj
def demo(
    settings: Settings,
    port: int,
    players: int,
    seed: int,
    pause: float | None,
    data_dir: Path,
    reset: bool,
    no_browser: bool,
    verbose: bool,
) -> None:
    """Try the bot in a local browser page: a simulated server where you are the moderator.

    No Discord account, token or network is needed. Type /quiz start in the page; simulated
    players answer too. Stop with Ctrl-C.
    """
    started = time.perf_counter()
    _require_extra()
    from simcord import SetupError

    from bot.demo.app import DemoOptions, demo_settings, run_demo

    configure_logging(settings.log_level if verbose else "WARNING")
    if reset and data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    options = DemoOptions(port=port, players=players, seed=seed, open_browser=not no_browser)
    demo_config = demo_settings(settings, data_dir, reveal_pause=pause)
    # Ctrl-C is handled inside (a clean shutdown); this only catches one pressed during start-up.
    try:
        asyncio.run(run_demo(demo_config, options, click.echo, started=started))
    except KeyboardInterrupt:
        pass  # Ctrl-C is handled inside (a clean shutdown); this only catches one pressed during start-up
    except SetupError as error:  # e.g. the port is taken
        click.echo(f"The demo could not start: {error}", err=True)
        sys.exit(1)
    click.echo("Demo stopped.")


@click.command()
@click.argument("bank")
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Loopback port for the page (default: any).")
@click.option("--seed", default=1, show_default=True, type=int, help="Seed of the choices' order and the answers.")
@click.option("--no-browser", is_flag=True, help="Only print the page's address.")
@click.pass_obj
def preview(settings: Settings, bank: str, port: int, seed: int, no_browser: bool) -> None:
    """Show every question of a bank, then its reveal, as players will see them in Discord.

    BANK is a bank id from the banks folder, or a bank file. Discord's size limits apply: a message
    Discord would refuse is reported here with its question id (exit 1). Stop with Ctrl-C.
    """
    _require_extra()
    from bot.demo.app import demo_settings, run_bank_preview

    configure_logging("WARNING")
    source = Path(bank)
    report = load_banks([source if source.is_file() else settings.banks_dir], max_bytes=settings.max_bank_bytes)
    chosen = report.banks if source.is_file() else [b for b in report.banks if b.id == bank]
    if source.is_file() or not chosen:
        for issue in report.issues:
            click.echo(str(issue), err=True)
    if not chosen:
        known = ", ".join(b.id for b in report.banks) or "none"
        click.echo(f"No valid bank {bank!r}; valid banks: {known}", err=True)
        sys.exit(1)
    code = 0
    with tempfile.TemporaryDirectory(prefix="quizbot-preview-") as scratch, contextlib.suppress(KeyboardInterrupt):
        preview_config = demo_settings(settings, Path(scratch))
        code = asyncio.run(
            run_bank_preview(preview_config, chosen[0], click.echo, port=port, seed=seed, open_browser=not no_browser)
        )
    sys.exit(code)
