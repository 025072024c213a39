"""A real ``quizbot`` process killed (SIGKILL) at a chosen moment of a round, then started again on its database."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from bench.harness.measure import wait_for
from bench.harness.procs import BotProcess, FakeProcess
from bench.harness.workloads import BANKS_DIR, _question_messages, _start_rounds

SECONDS = 5


def _titles(events: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """Created messages whose first embed's title starts with ``prefix``."""
    return [
        e
        for e in events
        if e["op"] == "create" and (e["body"].get("embeds") or [{}])[0].get("title", "").startswith(prefix)
    ]


async def _first_question_asked(fake: FakeProcess, data_dir: Path, *, questions: int, reveal_pause: int) -> BotProcess:
    """A bot started on a fresh one-channel world whose round of ``questions`` has asked its first question."""
    world = await fake.post("reset", {"guilds": 1, "channels_per_guild": 1})
    guild = world["guilds"][0]
    bot = BotProcess("quizbot", fake.url, data_dir=data_dir, banks_dir=BANKS_DIR, reveal_pause=reveal_pause)
    await bot.start()
    try:
        await _start_rounds(fake, [(guild["id"], guild["channel_ids"][0])], questions=questions, seconds=SECONDS)
        assert await wait_for(lambda: _asked(fake), 15), "no question was asked"
    except BaseException:
        await bot.kill()
        raise
    return bot


async def test_killed_after_a_close_committed_the_restart_posts_the_reveal(tmp_path: Path) -> None:
    """The close is committed, the reveal's post is failing (503) when the process dies; the restart posts it once."""
    data_dir = tmp_path / "bot"
    async with FakeProcess() as fake:
        first = await _first_question_asked(fake, data_dir, questions=2, reveal_pause=1)
        try:
            # The reveal's first post fails; the bot waits to retry, with the close committed: the moment to kill.
            await fake.post("faults", {"method": "POST", "path": "/webhooks/{app}/{token}", "status": 503, "times": 1})
            assert await wait_for(lambda: _fault_hit(fake), SECONDS + 10), "the reveal was never attempted"
        finally:
            await first.kill()
        assert _titles(await fake.get("events"), "Question 1/2 · Answer") == []

        second = BotProcess("quizbot", fake.url, data_dir=data_dir, banks_dir=BANKS_DIR, reveal_pause=1)
        await second.start()
        try:
            assert await wait_for(lambda: _revealed_then_asked(fake), 20), "the owed reveal was not posted"
        finally:
            await second.stop()
        events = await fake.get("events")
        reveals = _titles(events, "Question 1/2 · Answer")
        assert len(reveals) == 1
        assert "The bot restarted before this reveal was posted" in reveals[0]["body"]["embeds"][0]["description"]


async def _asked(fake: FakeProcess) -> bool:
    return bool(await _question_messages(fake))


async def _fault_hit(fake: FakeProcess) -> bool:
    return bool((await fake.get("faults"))["hits"])


async def _revealed_then_asked(fake: FakeProcess) -> bool:
    events = await fake.get("events")
    return bool(_titles(events, "Question 1/2 · Answer")) and bool(_titles(events, "Question 2/2"))


async def test_a_post_whose_answer_was_lost_is_retried_without_a_second_message(tmp_path: Path) -> None:
    """Restarted, the round posts through the channel with nonces: a post created but answered 503 is sent again,
    and Discord hands back the first message instead of posting it twice."""
    data_dir = tmp_path / "bot"
    async with FakeProcess() as fake:
        world = await fake.post("reset", {"guilds": 1, "channels_per_guild": 1})
        guild = world["guilds"][0]
        first = BotProcess("quizbot", fake.url, data_dir=data_dir, banks_dir=BANKS_DIR, reveal_pause=1)
        await first.start()
        try:
            await _start_rounds(fake, [(guild["id"], guild["channel_ids"][0])], questions=2, seconds=SECONDS)
            assert await wait_for(lambda: _asked(fake), 15), "no question was asked"
            await asyncio.sleep(1)  # its message id stored: this test is about the posts after the restart
        finally:
            await first.kill()
        # The next post (the first question's reveal) takes effect on Discord, but its answer is lost on the way.
        rule = {"method": "POST", "path": "/channels/{id}/messages", "status": 503, "times": 1, "apply": "after"}
        await fake.post("faults", rule)
        second = BotProcess("quizbot", fake.url, data_dir=data_dir, banks_dir=BANKS_DIR, reveal_pause=1)
        await second.start()
        try:
            assert await wait_for(lambda: _finished(fake), 30), "the round did not finish"
        finally:
            await second.stop()
        stats = await fake.get("stats")
        assert stats["fault_hits"] == 1 and stats["nonce_replays"] >= 1
        assert (await fake.get("duplicates"))["count"] == 0
        events = await fake.get("events")
        assert len(_titles(events, "Question 1/2 · Answer")) == 1
        questions = [e for e in _titles(events, "Question 2/2") if e["body"]["embeds"][0]["title"] == "Question 2/2"]
        assert len(questions) == 1


async def _finished(fake: FakeProcess) -> bool:
    return bool(_titles(await fake.get("events"), "🏁 Final standings"))


def _outbox_rows(data_dir: Path) -> int:
    """Entries left in the killed-and-restarted bot's outbox (its SQLite file)."""
    database = data_dir / "quizbot.sqlite3"
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT count(*) FROM outbox").fetchone()[0])


async def test_killed_after_the_round_ended_the_restart_posts_its_standings_once(tmp_path: Path) -> None:
    """The round's end is committed, the standings' post is failing (503) when the process dies; the restart posts
    them once, and their outbox entry is gone."""
    data_dir = tmp_path / "bot"
    async with FakeProcess() as fake:
        first = await _first_question_asked(fake, data_dir, questions=1, reveal_pause=2)
        try:
            # The reveal passes; the standings' first post fails, and the bot waits to retry, the end committed.
            rule = {"method": "POST", "path": "/webhooks/{app}/{token}", "status": 503, "times": 1, "skip": 1}
            await fake.post("faults", rule)
            assert await wait_for(lambda: _fault_hit(fake), SECONDS + 15), "the standings were never attempted"
            assert _titles(await fake.get("events"), "Question 1/1 · Answer")
        finally:
            await first.kill()
        assert _titles(await fake.get("events"), "🏁 Final standings") == []
        assert _outbox_rows(data_dir) == 1

        second = BotProcess("quizbot", fake.url, data_dir=data_dir, banks_dir=BANKS_DIR, reveal_pause=2)
        await second.start()
        try:
            assert await wait_for(lambda: _finished(fake), 20), "the owed standings were not posted"
            await asyncio.sleep(1)
        finally:
            await second.stop()
        standings = _titles(await fake.get("events"), "🏁 Final standings")
        assert len(standings) == 1
        assert (
            standings[0]["body"]["embeds"][0]["footer"]["text"]
            == "The bot restarted before these standings were posted."
        )
        assert _outbox_rows(data_dir) == 0
