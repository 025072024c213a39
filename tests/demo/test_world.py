"""The demo world: a round plays by itself at real speed, the simulated players answer, the page is served."""

from __future__ import annotations

import asyncio
import re
import time

import aiohttp
import pytest

from bot.demo import players
from tests.demo.conftest import Demo, embed_title

ELAPSED = re.compile(r"\((\d+\.\d) s\)")


async def test_round_plays_in_real_time_with_the_simulated_players(demo: Demo) -> None:
    """A 5 s question closes about 5 real seconds after it is posted; the reveal counts the players' answers."""
    await demo.start_round(questions=1, seconds=5)
    posted = time.monotonic()
    question = await demo.wait_for(lambda m: embed_title(m) == "Question 1/1", timeout=2)
    reveal = await demo.wait_for(lambda m: "· Answer" in embed_title(m), timeout=10)
    took = time.monotonic() - posted
    assert 4.0 <= took <= 7.0, f"the question closed after {took:.1f} real seconds"
    assert question.embeds[0].description and "Closes" in question.embeds[0].description

    fields = {field.name: field.value for field in reveal.embeds[0].fields}
    answers = fields["Answers"] or ""
    counted = sum(int(n) for n in re.findall(r"` (\d+) \(", answers))
    right_field = next(name for name in fields if name and name.startswith("Right ("))
    assert counted >= 2, answers  # 5 players who each attend at least 85% of questions
    assert right_field.endswith(f"/{counted})")
    assert demo.crowd.clicks == counted
    # Answer times are measured on a clock that moves like the real one, so nobody answers in 0.0 s.
    assert all(0.5 <= float(s) < 5 for s in ELAPSED.findall(fields[right_field] or ""))
    assert "> " in (reveal.embeds[0].description or "")  # the quoted passage

    standings = await demo.wait_for(lambda m: embed_title(m) == "🏁 Final standings", timeout=5)
    names = {p.name for p in demo.world.personas}
    assert sum(name in (standings.embeds[0].description or "") for name in names) == counted


async def test_the_page_is_served_on_loopback(demo: Demo) -> None:
    """A GET of the page's address returns the preview's HTML from 127.0.0.1."""
    url = demo.preview.url
    assert url.startswith("http://127.0.0.1:")
    async with aiohttp.ClientSession() as http, http.get(url.split("#", 1)[0]) as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        assert "<html" in (await response.text()).lower()


async def test_the_bot_is_named_and_you_moderate(demo: Demo) -> None:
    """The bot shows as quizbot; the page's viewers are you first, then each simulated player."""
    world = demo.world
    assert world.bot.user is not None and world.bot.user.name == "quizbot"
    assert demo.preview.viewers[0] is world.moderator
    assert list(demo.preview.viewers[1:]) == world.players
    assert "quiz start" in world.moderator.available_commands(world.channel)


async def test_a_simulated_player_reports_a_question_now_and_then(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    """With reports made certain, a player who got the question wrong files one through the reveal's button."""
    monkeypatch.setattr(players, "REPORT_CHANCE", 1.0)
    monkeypatch.setattr(players, "ACCURACY", dict.fromkeys(players.ACCURACY, 0.0))  # everybody wrong: someone reports
    await demo.start_round(questions=1, seconds=5)
    await demo.wait_for(lambda m: embed_title(m) == "🏁 Final standings", timeout=10)
    async with asyncio.timeout(5):
        while demo.crowd.reports == 0:
            await asyncio.sleep(0.1)
    queue = await demo.world.bot.reports.queue(demo.world.guild.id)
    assert len(queue) == 1 and queue[0].count == 1
