"""Fixtures for the demo's tests: the demo world started in-process, its page served, its players at work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import discord
import pytest
from simcord.preview import Preview

from bot.demo.app import DemoOptions, demo_settings, start_demo
from bot.demo.crowd import Crowd
from bot.demo.world import DemoWorld
from bot.settings import Settings

QUESTIONS = Path(__file__).parents[2] / "questions"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The demo's settings, on a fresh SQLite file, with a one-second pause after each reveal."""
    return demo_settings(Settings(banks_dir=QUESTIONS, discord_token=None), tmp_path / "demo", reveal_pause=1)


@dataclass
class Demo:
    """The running demo: its world, page and crowd."""

    world: DemoWorld
    preview: Preview
    crowd: Crowd

    async def start_round(self, *, questions: int, seconds: int) -> None:
        """The moderator types ``/quiz start`` (through the demo's lock, as the crowd's clicks go)."""
        world = self.world
        start = partial(world.moderator.slash, world.channel, "quiz start", questions=questions, seconds=seconds)
        await world.act(start)

    async def wait_for(self, found: Callable[[discord.Message], bool], *, timeout: float) -> discord.Message:
        """The first channel message that matches, waiting in real time for the round to get there."""
        async with asyncio.timeout(timeout):
            while True:
                message = next((m for m in self.world.channel.history() if found(m)), None)
                if message is not None:
                    return message
                await asyncio.sleep(0.1)


@pytest.fixture
async def demo(settings: Settings) -> AsyncIterator[Demo]:
    """The demo as ``quizbot demo`` starts it, with its crowd running; closed at teardown."""
    world, preview, crowd = await start_demo(settings, DemoOptions(open_browser=False))
    driver = asyncio.create_task(crowd.run())
    try:
        yield Demo(world, preview, crowd)
        if driver.done():  # it only ends by cancellation: anything else is a failure of the test
            driver.result()
    finally:
        driver.cancel()
        await asyncio.gather(driver, return_exceptions=True)
        await world.close()


def embed_title(message: discord.Message) -> str:
    """The title of the message's first embed, or ''."""
    return (message.embeds[0].title or "") if message.embeds else ""
