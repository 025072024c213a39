"""Make the README's screenshots from the demo: the greeting, a question, its reveal, the final standings.

    .venv/bin/python scripts/screenshots.py [--out docs/img] [--seed 1]

Needs the demo extra (``pip install -e ".[demo]"``) and Debian's ``chromium`` package
(``apt-get install chromium``); it never downloads a browser. It starts the demo world in-process,
opens its page in one headless Chromium tab (driven over the DevTools protocol, as the tests drive
it), shoots the first screen (the bot's greeting), then plays a three-question round in real time
(about a minute and a half) with the simulated players and you (the script clicks your answers) and
shoots the tab as a person watching it would see it: the page updates itself, and its countdown
ticks on the real clock.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import discord

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.demo.app import DemoOptions, demo_settings, start_demo  # noqa: E402
from bot.demo.world import DemoWorld  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.demo.browser import Browser, open_browser  # noqa: E402

WINDOW = "1200,900"
QUESTIONS = 3
SECONDS = 20
PAUSE = 8.0  # the bot's default: long enough to shoot a reveal before the next question
SETTLED = "!document.querySelector('#action-status').textContent.includes('…')"


def titled(text: str, *, exact: bool = False) -> Callable[[discord.Message], bool]:
    """Matches a message whose first embed's title is, or starts with, ``text``."""

    def match(message: discord.Message) -> bool:
        title = (message.embeds[0].title or "") if message.embeds else ""
        return title == text if exact else title.startswith(text)

    return match


async def wait_for(world: DemoWorld, found: Callable[[discord.Message], bool], timeout: float = 60) -> discord.Message:
    """The newest channel message that matches, once there is one."""
    async with asyncio.timeout(timeout):
        while True:
            message = next((m for m in reversed(world.channel.history()) if found(m)), None)
            if message is not None:
                return message
            await asyncio.sleep(0.2)


async def shoot(browser: Browser, shows: str, out: Path) -> None:
    """Once the tab shows ``shows`` and has settled, scroll it into view and write the PNG."""
    text = json.dumps(shows)
    await browser.wait_for(f"document.querySelector('#channel-message-list').textContent.includes({text}) && {SETTLED}")
    # The last element holding the text, scrolled to the bottom of the view, as a reader following the channel sees it.
    await browser.evaluate(
        "(() => { const all = [...document.querySelectorAll('#channel-message-list > *')]"
        f".filter(e => e.textContent.includes({text})); all.at(-1).scrollIntoView({{block: 'end'}}); }})()"
    )
    await asyncio.sleep(0.5)
    await browser.screenshot(out)
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


async def main(out: Path, seed: int) -> None:
    """Play the round and take the four pictures."""
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="quizbot-shots-"))
    settings = demo_settings(Settings(banks_dir=ROOT / "questions"), scratch / "data", reveal_pause=PAUSE)
    world, preview, crowd = await start_demo(settings, DemoOptions(seed=seed, open_browser=False))
    driver = asyncio.create_task(crowd.run())
    try:
        async with open_browser(preview.url, scratch / "chromium", window=WINDOW) as browser:
            await shoot(browser, "Welcome to the quizbot demo", out / "welcome.png")
            moderator = world.moderator
            start = partial(moderator.slash, world.channel, "quiz start", questions=QUESTIONS, seconds=SECONDS)
            await world.act(start)
            for number in range(1, QUESTIONS + 1):
                question = await wait_for(world, titled(f"Question {number}/{QUESTIONS}", exact=True))
                live = world.bot.rounds.in_channel(world.channel.id)
                assert live is not None and live.engine.current is not None and live.current_question_id is not None
                played = live.engine.current.played
                # You answer too: right on the first two questions, wrong on the last.
                wrong = (played.correct_position + 1) % len(played.choices)
                choice = played.correct_position if number < QUESTIONS else wrong
                if number == 1:
                    await asyncio.sleep(3)  # a few seconds into the question: the countdown has moved
                    await shoot(browser, played.question.prompt[:40], out / "question.png")
                else:
                    await asyncio.sleep(2.5)
                custom_id = f"quiz:a:{live.current_question_id}:{choice}"
                await world.act(partial(moderator.click, question, custom_id=custom_id))
                await wait_for(world, titled(f"Question {number}/{QUESTIONS} · Answer"))
                if number == 1:
                    await shoot(browser, f"Question {number}/{QUESTIONS} · Answer", out / "reveal.png")
            await wait_for(world, titled("🏁 Final standings", exact=True))
            await shoot(browser, "Final standings", out / "standings.png")
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
    if shutil.which("chromium") is None:
        raise SystemExit("needs Debian's chromium package: apt-get install chromium")
    asyncio.run(main(args.out.resolve(), args.seed))
