"""The keystrokes the greeting and the README give start a round in a real browser."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.demo.browser import Browser, open_browser
from tests.demo.conftest import Demo
from tests.demo.test_page import CHROMIUM

COMPOSER = "document.querySelector('#channel-composer-input')"
NEEDS_CHROMIUM = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium (CI installs it; apt-get install chromium)"
)


def shown(text: str) -> str:
    """A JavaScript test: the channel's messages contain ``text``."""
    return f"document.querySelector('#channel-message-list').textContent.includes({text!r})"


async def type_and_pick(browser: Browser, command: str) -> None:
    """Once the greeting shows, type ``command`` in the message box and press Enter to pick it."""
    await browser.wait_for(shown("Welcome"))
    await browser.evaluate(f"{COMPOSER}.focus()")
    await browser.type(command)
    await asyncio.sleep(0.5)
    await browser.press("Enter")
    await asyncio.sleep(0.5)


@NEEDS_CHROMIUM
async def test_the_greetings_keystrokes_start_a_round(demo: Demo, tmp_path: Path) -> None:
    """Typing /quiz start, Enter (picks the command), Esc (closes its options), Enter (sends) starts a round."""
    async with open_browser(demo.preview.url, tmp_path / "profile") as browser:
        await type_and_pick(browser, "/quiz start")
        await browser.press("Escape")
        await asyncio.sleep(0.3)
        assert demo.world.bot.rounds.in_channel(demo.world.channel.id) is None
        await browser.press("Enter")
        async with asyncio.timeout(10):
            while demo.world.bot.rounds.in_channel(demo.world.channel.id) is None:
                await asyncio.sleep(0.2)
        await browser.wait_for(shown("Question 1/"))
        assert await browser.evaluate(f"{COMPOSER}.value") == ""


def test_the_readme_gives_the_same_keystrokes() -> None:
    """The README's "first minute" lists the keystrokes the test above presses, in that order."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    steps = ["type `/quiz start`", "Press **Enter**: it picks the command", "Press **Esc**", "Press **Enter** again"]
    positions = [readme.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), positions


@NEEDS_CHROMIUM
async def test_a_refusal_in_the_browser_shows_the_reply_and_clears_the_composer(demo: Demo, tmp_path: Path) -> None:
    """/quiz stop with no round: the page shows the bot's private reply and the message box is empty again."""
    async with open_browser(demo.preview.url, tmp_path / "profile") as browser:
        await type_and_pick(browser, "/quiz stop")  # it has no options
        await browser.press("Enter")  # sends it
        await browser.wait_for(shown("There is no round running"))
        assert await browser.evaluate(f"{COMPOSER}.value") == ""
        assert "/quiz stop" not in await browser.evaluate("document.querySelector('#channel-composer').innerText")
