"""The demo's times: its clock reads the real date, and relative times are computed against now, after idling too."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import aiohttp
import discord

from tests.demo.conftest import Demo, embed_title
from tests.demo.page_client import PageClient

RELATIVE = re.compile(r"<t:(\d+):R>")
IDLE = 5.0  # seconds the page sits untouched before the command; the bug made countdowns that much too long


def deadline_of(message: discord.Message) -> datetime:
    """The instant of the question's ``Closes <t:…:R>`` countdown."""
    found = RELATIVE.search(message.embeds[0].description or "")
    assert found is not None, message.embeds[0].description
    return datetime.fromtimestamp(int(found[1]), UTC)


async def test_the_clock_starts_at_the_real_date_and_time(demo: Demo) -> None:
    """The greeting, the first message, is stamped now, not at a fixed date."""
    greeting = demo.world.channel.history()[0]
    assert abs(greeting.created_at - datetime.now(UTC)) < timedelta(seconds=30)
    assert abs(demo.world.env.now() - datetime.now(UTC)) < timedelta(seconds=2)


async def test_a_countdown_published_after_an_idle_page_is_computed_against_now(demo: Demo) -> None:
    """After the page sat idle, a 20 s question started from it reads about 20 s against the page's time."""
    async with aiohttp.ClientSession() as http:
        page = PageClient(http, demo.preview.url)
        await page.open()
        await asyncio.sleep(IDLE)
        receipt = await page.command("quiz start", questions="1", seconds="20")
        assert receipt["settlement"] == "settled"
        state = await page.state()
    shown_at = datetime.fromisoformat(state["profile"]["presentationTime"])
    assert abs(shown_at - datetime.now(UTC)) < timedelta(seconds=2)
    question = await demo.wait_for(lambda m: embed_title(m) == "Question 1/1", timeout=2)
    remaining = (deadline_of(question) - shown_at).total_seconds()
    assert 18.5 <= remaining <= 21, f"the page would show the 20 s question closing in {remaining:.0f} s"
