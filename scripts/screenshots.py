"""Make the README's screenshots from the demo: a question, a reveal quoting its passage, the final standings.

    .venv/bin/python scripts/screenshots.py [--out docs/img] [--seed 1]

Needs the demo extra (``pip install -e ".[demo]"``) and Debian's ``chromium`` package
(``apt-get install chromium``); it never downloads a browser. It starts the demo world in-process,
plays a three-question round in real time (about a minute) with the simulated players and you (the
script clicks your answers), and shoots the page with headless Chromium at each moment wanted.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import discord
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.demo.app import DemoOptions, demo_settings, start_demo  # noqa: E402
from bot.demo.world import DemoWorld  # noqa: E402
from bot.settings import Settings  # noqa: E402

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)
WINDOW = "1200,900"
QUESTIONS = 3
SECONDS = 12
PAUSE = 8.0  # the bot's default: long enough to shoot a reveal before the next question
ATTEMPTS = 20
BRIGHT = 150  # grey level of the header's text on the dark theme


def titled(text: str, *, exact: bool = False) -> Callable[[discord.Message], bool]:
    """Matches a message whose first embed's title is, or starts with, ``text``."""

    def match(message: discord.Message) -> bool:
        title = (message.embeds[0].title or "") if message.embeds else ""
        return title == text if exact else title.startswith(text)

    return match


async def wait_for(world: DemoWorld, found: Callable[[discord.Message], bool], timeout: float = 60) -> discord.Message:
    """The newest channel message that matches, once there is one and the page shows it."""
    async with asyncio.timeout(timeout):
        while True:
            message = next((m for m in reversed(world.channel.history()) if found(m)), None)
            if message is not None:
                # Let the demo republish the page first: a page loading while it republishes can be
                # captured half laid out.
                await asyncio.sleep(1.0)
                return message
            await asyncio.sleep(0.2)


def laid_out(png: Path) -> bool:
    """True when the channel's header sits at the top of the page.

    simcord's page sizes itself with a round trip to the server after it loads; Chromium sometimes
    captures it before that ends (often, for a long channel), with the header pushed down and the
    status "Updating viewport…". The header's "# quiz" then leaves this band dark.
    """
    image = Image.open(png).convert("L")
    band = [image.getpixel((x, y)) for x in range(270, 340) for y in range(66, 86)]
    return sum(1 for value in band if isinstance(value, int) and value > BRIGHT) > 20


async def shoot(chromium: str, url: str, out: Path, profile: Path) -> None:
    """Screenshot the page with headless Chromium (retrying a half laid-out capture), without blocking the loop."""
    for attempt in range(1, ATTEMPTS + 1):
        process = await asyncio.create_subprocess_exec(
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}-{attempt}",
            f"--window-size={WINDOW}",
            "--virtual-time-budget=15000",
            f"--screenshot={out}",
            url,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        if await process.wait() != 0 or not out.is_file():
            raise SystemExit(f"chromium failed to write {out}")
        if laid_out(out):
            print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
            return
    raise SystemExit(f"{out}: the page was still laying itself out after {ATTEMPTS} captures")


async def main(out: Path, seed: int, chromium: str) -> None:
    """Play the round and take the three pictures."""
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="quizbot-shots-"))
    settings = demo_settings(Settings(banks_dir=ROOT / "questions"), scratch / "data", reveal_pause=PAUSE)
    world, preview, crowd = await start_demo(settings, DemoOptions(seed=seed, open_browser=False))
    driver = asyncio.create_task(crowd.run())
    try:
        moderator = world.moderator
        await world.act(partial(moderator.slash, world.channel, "quiz start", questions=QUESTIONS, seconds=SECONDS))
        for number in range(1, QUESTIONS + 1):
            question = await wait_for(world, titled(f"Question {number}/{QUESTIONS}", exact=True))
            live = world.bot.rounds.in_channel(world.channel.id)
            assert live is not None and live.engine.current is not None and live.current_question_id is not None
            played = live.engine.current.played
            # You answer too: right on the first two questions, wrong on the last.
            wrong = (played.correct_position + 1) % len(played.choices)
            choice = played.correct_position if number < QUESTIONS else wrong
            await asyncio.sleep(2.5)
            await world.act(partial(moderator.click, question, custom_id=f"quiz:a:{live.current_question_id}:{choice}"))
            if number == 1:
                await shoot(chromium, preview.url, out / "question.png", scratch / "chromium-1")
            reveal = await wait_for(world, titled(f"Question {number}/{QUESTIONS} · Answer"))
            if number == 1:
                await world.act(partial(preview.show, reveal))
                await shoot(chromium, preview.url, out / "reveal.png", scratch / "chromium-2")
        standings = await wait_for(world, titled("🏁 Final standings", exact=True))
        await world.act(partial(preview.show, standings))
        await shoot(chromium, preview.url, out / "standings.png", scratch / "chromium-3")
    finally:
        driver.cancel()
        await asyncio.gather(driver, return_exceptions=True)
        await world.close()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="where to write the PNGs")
    parser.add_argument("--seed", type=int, default=1, help="seed of the simulated players")
    args = parser.parse_args()
    found = shutil.which("chromium")
    if found is None:
        raise SystemExit("needs Debian's chromium package: apt-get install chromium")
    asyncio.run(main(args.out.resolve(), args.seed, found))
