"""Running the demo and the bank preview until the page is closed or Ctrl-C: start, print the URL, clean up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from simcord.preview import Preview

from bot.demo.bank_preview import post_bank, summary
from bot.demo.crowd import Crowd
from bot.demo.players import PERSONAS
from bot.demo.world import DemoWorld
from bot.quiz import Bank
from bot.settings import Settings

log = logging.getLogger(__name__)

Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class DemoOptions:
    """How ``quizbot demo`` runs."""

    port: int = 0
    players: int = 5
    seed: int = 1
    open_browser: bool = True


def demo_settings(settings: Settings, data_dir: Path, *, reveal_pause: float | None = None) -> Settings:
    """The user's settings, with the store moved to SQLite in the demo's folder and no guild pinning."""
    # answer_batch_seconds=0: simcord cannot settle the answer writer's millisecond batching timer
    # (a click would hang for its 5 s settle timeout); one commit per answer is plenty for a demo.
    update: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": None,
        "dev_guild_id": None,
        "answer_batch_seconds": 0,
    }
    if reveal_pause is not None:
        update["reveal_pause_seconds"] = reveal_pause
    return settings.model_copy(update=update)


async def start_demo(settings: Settings, options: DemoOptions) -> tuple[DemoWorld, Preview, Crowd]:
    """Start the bot in the demo world, serve the page and set the players going."""
    world = DemoWorld(settings, personas=PERSONAS[: options.players])
    try:
        await world.start()
        await world.greet()
        preview = await world.open_page(port=options.port or None)
    except BaseException:
        await world.close()
        raise
    return world, preview, Crowd(world, seed=options.seed)


async def run_demo(settings: Settings, options: DemoOptions, say: Say, *, started: float) -> None:
    """``quizbot demo``: serve the page until it is closed or the user presses Ctrl-C."""
    with _stop_on_signals() as stop:
        world, preview, crowd = await start_demo(settings, options)
        driver = asyncio.create_task(crowd.run(), name="demo-crowd")
        try:
            say(f"quizbot demo is ready in {time.perf_counter() - started:.1f} s. Open this page in your browser:")
            say(f"  {preview.url}")
            say("Type /quiz start in the page's message box. Press Ctrl-C here to stop.")
            if options.open_browser:
                await asyncio.to_thread(open_in_browser, preview.url)
            await _until_stopped(preview, stop, driver)
        finally:
            driver.cancel()
            await asyncio.gather(driver, return_exceptions=True)
            await world.close()


async def run_bank_preview(
    settings: Settings, bank: Bank, say: Say, *, port: int = 0, seed: int = 1, open_browser: bool = True
) -> int:
    """``quizbot preview BANK``: post the bank, serve the page, and return 1 if Discord would refuse anything."""
    with _stop_on_signals() as stop:
        world = DemoWorld(settings)
        try:
            await world.start()
            problems = await post_bank(world, bank, seed=seed)
            preview = await world.open_page(port=port or None)
            first = next(iter(world.channel.history()), None)
            if first is not None:
                await preview.show(first)
            for problem in problems:
                say(f"{bank.id}: {problem}")
            say(summary(bank, problems))
            say(f"Preview of {bank.id}: {preview.url}")
            say("Scroll the page from the first question down. Press Ctrl-C here to stop.")
            if open_browser:
                await asyncio.to_thread(open_in_browser, preview.url)
            await _until_stopped(preview, stop)
        finally:
            await world.close()
    return 1 if problems else 0


def open_in_browser(url: str) -> bool:
    """Open the page in a graphical browser if this machine has one; never a text browser in this terminal."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[asyncio.Event]:
    """An event set by Ctrl-C or SIGTERM, installed before start-up so a signal never interrupts it halfway."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows: Ctrl-C still interrupts
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    try:
        yield stop
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def _until_stopped(preview: Preview, stop: asyncio.Event, *watch: asyncio.Task[None]) -> None:
    """Wait for the page's "End preview session", the stop event, or a watched task's end (its error is raised)."""
    waits = [asyncio.create_task(preview.wait_closed()), asyncio.create_task(stop.wait())]
    try:
        done, _ = await asyncio.wait([*waits, *watch], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task in watch:
                task.result()
    finally:
        for task in waits:
            task.cancel()
