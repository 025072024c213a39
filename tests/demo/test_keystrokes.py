"""The keystrokes the greeting and the README give start a round in a real browser."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.demo.browser import open_browser
from tests.demo.conftest import Demo
from tests.demo.test_page import CHROMIUM

COMPOSER = "document.querySelector('#channel-composer-input')"


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (CI installs it; apt-get install chromium)")
async def test_the_greetings_keystrokes_start_a_round(demo: Demo, tmp_path: Path) -> None:
    """Typing /quiz start, Enter (picks the command), Esc (closes its options), Enter (sends) starts a round."""
    async with open_browser(demo.preview.url, tmp_path / "profile") as browser:
        await browser.wait_for("document.querySelector('#channel-message-list').textContent.includes('Welcome')")
        await browser.evaluate(f"{COMPOSER}.focus()")
        await browser.type("/quiz start")
        await asyncio.sleep(0.5)
        await browser.press("Enter")
        await asyncio.sleep(0.5)
        await browser.press("Escape")
        await asyncio.sleep(0.3)
        assert demo.world.bot.rounds.in_channel(demo.world.channel.id) is None
        await browser.press("Enter")
        async with asyncio.timeout(10):
            while demo.world.bot.rounds.in_channel(demo.world.channel.id) is None:
                await asyncio.sleep(0.2)
        await browser.wait_for("document.querySelector('#channel-message-list').textContent.includes('Question 1/')")
        assert await browser.evaluate(f"{COMPOSER}.value") == ""


def test_the_readme_gives_the_same_keystrokes() -> None:
    """The README's "first minute" lists the keystrokes the test above presses, in that order."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    steps = ["type `/quiz start`", "Press **Enter**: it picks the command", "Press **Esc**", "Press **Enter** again"]
    positions = [readme.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), positions


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (CI installs it; apt-get install chromium)")
async def test_a_refusal_in_the_browser_shows_the_reply_and_clears_the_composer(demo: Demo, tmp_path: Path) -> None:
    """/quiz stop with no round: the page shows the bot's private reply and the message box is empty again."""
    async with open_browser(demo.preview.url, tmp_path / "profile") as browser:
        await browser.wait_for("document.querySelector('#channel-message-list').textContent.includes('Welcome')")
        await browser.evaluate(f"{COMPOSER}.focus()")
        await browser.type("/quiz stop")
        await asyncio.sleep(0.5)
        await browser.press("Enter")  # picks the command (it has no options)
        await asyncio.sleep(0.5)
        await browser.press("Enter")  # sends it
        reply = "document.querySelector('#channel-message-list').textContent.includes('There is no round running')"
        await browser.wait_for(reply)
        assert await browser.evaluate(f"{COMPOSER}.value") == ""
        assert "/quiz stop" not in await browser.evaluate("document.querySelector('#channel-composer').innerText")
