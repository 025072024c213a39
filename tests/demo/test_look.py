"""The demo page's look: a greeting first, the workbench tools hidden, and a countdown that ticks in a real browser."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

import aiohttp
import pytest
import simcord.preview

from bot.demo.page import TITLE, missing_anchors
from bot.demo.world import GREETING
from tests.demo.conftest import Demo
from tests.demo.test_page import CHROMIUM, CHROMIUM_FLAGS

STATIC = Path(simcord.preview.__file__).with_name("static")
COUNTDOWN = re.compile(r'<time class="discord-timestamp"[^>]*data-relative=""[^>]*>in (\d+) seconds</time>')


def test_every_addition_finds_its_place_in_simcords_page() -> None:
    """Each text the demo replaces is still in simcord's files (a new simcord would otherwise drop it silently)."""

    def read(route: str) -> str:
        return (STATIC / ("index.html" if route == "/" else route.lstrip("/"))).read_text()

    assert missing_anchors(read) == []


async def test_the_page_is_named_and_hides_the_developer_tools(demo: Demo) -> None:
    """The served page is titled for the demo and its stylesheet hides Refresh, Capture, Inspector and the picker."""
    base = demo.preview.url.split("/#", 1)[0]
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/") as response:
            index = await response.text()
        async with http.get(f"{base}/preview.css") as response:
            css = await response.text()
    assert f"<title>#quiz · {TITLE}</title>" in index and "SimCord" not in index
    hidden = css.rsplit("/* quizbot demo", 1)[1]
    for tool in ("#refresh", "#capture-open", "#inspector-toggle", "#messages-toggle"):
        assert tool in hidden
    assert 'class="preview-shell messages-closed"' in index  # the message picker starts closed


async def test_the_first_screen_greets_the_newcomer(demo: Demo) -> None:
    """The channel opens on the bot's greeting, which says what to type."""
    history = demo.world.channel.history()
    assert [m.content for m in history] == [GREETING]
    assert history[0].author.id == demo.world.bot.user.id  # type: ignore[union-attr]
    assert "`/quiz start`" in GREETING and "**Enter**" in GREETING and "**Esc**" in GREETING


async def dump_dom(url: str, profile: Path, budget_ms: int) -> str:
    """The page's DOM after headless Chromium ran it for ``budget_ms`` of (virtual) time."""
    assert CHROMIUM is not None
    process = await asyncio.create_subprocess_exec(
        CHROMIUM,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        f"--virtual-time-budget={budget_ms}",
        "--dump-dom",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    async with asyncio.timeout(90):
        dom, _ = await process.communicate()
    assert process.returncode == 0
    return dom.decode()


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (CI installs it; apt-get install chromium)")
async def test_in_a_browser_the_greeting_shows_and_the_countdown_ticks(demo: Demo, tmp_path: Path) -> None:
    """Chromium shows the greeting, and a 60 s question published 6 s ago reads less than a minute, not 60 s."""
    await demo.start_round(questions=1, seconds=60)
    await asyncio.sleep(6)  # the page is not republished meanwhile: only the ticker can move the countdown
    text = await dump_dom(demo.preview.url, tmp_path / "profile", 3000)
    assert html.escape("Welcome to the quizbot demo.", quote=False) in text
    shown = [int(n) for n in COUNTDOWN.findall(text)]
    assert len(shown) == 1, "no ticking countdown in the page"
    assert 40 <= shown[0] <= 55, f"the countdown reads {shown[0]} s"
