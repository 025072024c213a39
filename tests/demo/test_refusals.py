"""The demo's page when the bot refuses: the private reply shows, the action settles, no failure is logged."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from tests.demo.conftest import Demo
from tests.demo.page_client import PageClient

YOU, PLAYER = "you", "player"
BANK_ID = "south-caucasus-russia"  # the shipped bank's id (only the id: its questions may change)

# (who types it, the command, its options, words of the bot's private reply)
REFUSALS = [
    (YOU, "quiz stop", {}, "There is no round running"),
    (YOU, "quiz start", {"bank": "no-such-bank"}, "There is no bank called `no-such-bank`"),
    (YOU, "quiz practice", {"bank": "no-such-bank"}, "There is no bank called"),
    (YOU, "quiz leaderboard", {"bank": "no-such-bank"}, "There is no bank called"),
    (YOU, "quiz bank show", {"bank": "no-such-bank"}, "There is no bank called"),
    (YOU, "quiz schedule add", {"when": "whenever"}, "I can't read `whenever` as a time"),
    (YOU, "quiz schedule remove", {"schedule": "99"}, "There is no schedule #99"),
    (YOU, "quiz settings timezone", {"zone": "Mars/Olympus"}, "is not a time zone I know"),
    (PLAYER, "quiz start", {}, "Only moderators can do that"),
    (PLAYER, "quiz stop", {}, "There is no round running"),
    (PLAYER, "quiz settings seconds", {"seconds": "30"}, "Only moderators can do that"),
    (PLAYER, "quiz schedule add", {"when": "in 2m"}, "Only moderators can do that"),
    (PLAYER, "quiz bank disable", {"bank": BANK_ID}, "Only bank authors can do that"),
    (YOU, "quiz bank history", {"bank": "no-such-bank"}, "There is no bank called"),
    (YOU, "quiz bank enable", {"bank": "no-such-bank"}, "There is no bank called"),
    (YOU, "quiz bank delete", {"bank": BANK_ID}, "ships with the bot and cannot be deleted"),
    (YOU, "quiz bank download", {"bank": "no-such-bank"}, "There is no bank called"),
    (YOU, "quiz bank stats", {"bank": "no-such-bank"}, "There is no bank called"),
    (YOU, "quiz schedule pause", {"schedule": "99"}, "There is no schedule #99"),
    (YOU, "quiz schedule resume", {"schedule": "99"}, "There is no schedule #99"),
    (YOU, "quiz schedule skip-next", {"schedule": "99"}, "There is no schedule #99"),
    (PLAYER, "quiz bank reload", {}, "Only moderators can do that"),
    (PLAYER, "quiz bank stats", {"bank": BANK_ID}, "Only bank authors can do that"),
    (PLAYER, "quiz bank download", {"bank": BANK_ID}, "Only bank authors can do that"),
    (PLAYER, "quiz settings author-role-clear", {}, "Only moderators can do that"),
    (PLAYER, "quiz schedule list", {}, "Only moderators can do that"),
]


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every record at ERROR or above, as one line each."""
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


async def test_every_refusal_shows_its_private_reply_and_logs_no_error(
    demo: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    """Each refusal settles (the page clears the composer), shows the bot's words, and logs nothing at ERROR."""
    caplog.set_level(logging.WARNING)
    world = demo.world
    async with aiohttp.ClientSession() as http:
        page = PageClient(http, demo.preview.url)
        await page.open()
        viewer = YOU
        for who, command, options, words in REFUSALS:
            if who != viewer:
                await page.view_as(world.players[0].id if who == PLAYER else world.moderator.id)
                viewer = who
            receipt = await page.command(command, **options)
            case = f"{who}: /{command} {options}"
            assert not receipt["rejected"], case
            assert receipt["settlement"] == "settled" and not receipt["uncertain"], (case, receipt["diagnostics"])
            assert words in await page.response_text(receipt), case
    assert errors_logged(caplog) == []


async def test_refusals_during_a_round_show_their_replies(demo: Demo, caplog: pytest.LogCaptureFixture) -> None:
    """A second /quiz start and a second click on the same question are answered privately, with no ERROR logged."""
    caplog.set_level(logging.WARNING)
    async with aiohttp.ClientSession() as http:
        page = PageClient(http, demo.preview.url)
        await page.open()
        started = await page.command("quiz start", questions="1", seconds="30")
        assert started["settlement"] == "settled"
        again = await page.command("quiz start")
        assert again["settlement"] == "settled" and not again["uncertain"]
        assert "A round is already running in this channel" in await page.response_text(again)
        live = demo.world.bot.rounds.in_channel(demo.world.channel.id)
        assert live is not None and live.current_question_id is not None
        custom_id = f"quiz:a:{live.current_question_id}:0"
        await page.click(custom_id)
        # Another choice after the first (the same choice again is answered "Locked in", issue 16).
        twice = await page.click(f"quiz:a:{live.current_question_id}:1")
        assert twice["settlement"] == "settled" and not twice["uncertain"]
        assert "You already answered: **A**" in await page.response_text(twice)
    assert errors_logged(caplog) == []


async def test_an_option_out_of_range_is_refused_by_the_page_as_by_discord(demo: Demo) -> None:
    """``seconds:1`` never reaches the bot: the page's own check refuses it, as Discord's client does."""
    async with aiohttp.ClientSession() as http:
        page = PageClient(http, demo.preview.url)
        await page.open()
        receipt = await page.command("quiz start", seconds="1")
        assert receipt["rejected"]
        assert [d["code"] for d in receipt["diagnostics"]] == ["command-option-invalid"]
        assert demo.world.bot.rounds.in_channel(demo.world.channel.id) is None
        after = await page.command("quiz stop")  # the page keeps working after a refused action
        assert after["settlement"] == "settled"
