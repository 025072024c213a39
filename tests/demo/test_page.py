"""The demo's page: a person's commands and clicks reach the real bot, and a real browser renders the question."""

from __future__ import annotations

import asyncio
import html
import re
import shutil
from pathlib import Path

import aiohttp
import pytest

from tests.demo.conftest import Demo, embed_title
from tests.demo.page_client import PageClient

# Browser tests: the inner loop skips them with -m "not browser"; CI runs them.
pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
# The flags the README's screenshot script uses: no sandbox (CI runs as root), no GPU, no network of its own.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


async def test_page_commands_and_clicks_reach_the_bot_while_the_players_click(demo: Demo) -> None:
    """/quiz start and an answer click sent by the page run the bot's real handlers, never refused as overlapping."""
    async with aiohttp.ClientSession() as http:
        page = PageClient(http, demo.preview.url)
        await page.open()
        started = await page.command("quiz start", questions="1", seconds="6")
        assert not started["rejected"], started
        live = demo.world.bot.rounds.in_channel(demo.world.channel.id)
        assert live is not None and live.current_question_id is not None
        # Click late enough that the simulated players are clicking too; the demo's lock takes turns.
        await asyncio.sleep(1.5)
        clicked = await page.click(f"quiz:a:{live.current_question_id}:0")
        assert not clicked["rejected"], clicked
        assert clicked["settlement"] == "settled"
        reply_id = next(o["messageId"] for o in clicked["outcomes"] if o["kind"] == "response")
        state = await page.state()
        assert state["messages"][reply_id]["content"] == "Locked in: **A**"
    reveal = await demo.wait_for(lambda m: "· Answer" in embed_title(m), timeout=10)
    answers = next(f.value for f in reveal.embeds[0].fields if f.name == "Answers") or ""
    counted = sum(int(n) for n in re.findall(r"` (\d+) \(", answers))
    assert counted == demo.crowd.clicks + 1  # the players' answers and yours


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (CI installs it; apt-get install chromium)")
async def test_headless_chromium_renders_the_question_and_its_buttons(demo: Demo, tmp_path: Path) -> None:
    """Chromium's DOM of the page holds the open question's text and one button per choice."""
    await demo.start_round(questions=1, seconds=30)
    live = demo.world.bot.rounds.in_channel(demo.world.channel.id)
    assert live is not None and live.engine.current is not None
    played = live.engine.current.played
    assert CHROMIUM is not None
    # The page is served by this event loop: run Chromium without blocking it.
    process = await asyncio.create_subprocess_exec(
        CHROMIUM,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        demo.preview.url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    async with asyncio.timeout(60):
        dom, _ = await process.communicate()
    assert process.returncode == 0
    text = dom.decode()
    assert html.escape(played.question.prompt, quote=False) in text
    for letter, choice in zip("ABCDE", played.choices, strict=False):
        label = html.escape(f"{letter}: {choice}", quote=False)
        assert f'<span class="button-label">{label}</span>' in text, f"no button {label!r} in the page"
