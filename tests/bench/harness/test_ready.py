"""Ready means ready (issue 17, P6): what arrives the moment quizbot reports on_ready is answered in full.

Start-up defers imports to first use; none of that may leave a click or a command unanswered, or
answered wrongly, when it comes right after ready. The bot runs in its own process against the fake, as
in the benchmark, and the click or command is sent as soon as the bot's READY line is read.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bench.harness.measure import wait_for
from bench.harness.procs import BotProcess, FakeProcess
from bench.harness.workloads import BANKS_DIR, MODERATOR, _one_open_question, _question_messages, _start_rounds

PLAYER = 4242


async def _acked(fake: FakeProcess, interaction_id: int) -> bool:
    records = {r["id"]: r for r in await fake.get("interactions")}
    return records[interaction_id]["acked_at"] is not None


async def test_a_click_and_a_command_right_after_ready_are_answered_and_recorded(tmp_path: Path) -> None:
    """After a restart with a question open, a click sent on READY is acknowledged once and its answer stored;
    a ``/quiz start`` sent on READY in another channel asks its first question."""
    data_dir = tmp_path / "data"
    async with FakeProcess() as fake:
        world = await fake.post("reset", {"guilds": 1, "channels_per_guild": 2})
        guild_id = world["guilds"][0]["id"]
        first, second = world["guilds"][0]["channel_ids"]
        async with BotProcess("quizbot", fake.url, data_dir=data_dir, banks_dir=BANKS_DIR, log_path=tmp_path / "1.log"):
            _, _, message_id, custom_ids = await _one_open_question(fake, guild_id, first)
        round_question_id, position = (int(part) for part in custom_ids[0].split(":")[2:4])
        asked_before = len(await _question_messages(fake))

        bot = BotProcess("quizbot", fake.url, data_dir=data_dir, banks_dir=BANKS_DIR, log_path=tmp_path / "2.log")
        try:
            await bot.start()
            # Both sent the moment the bot says it is ready, before anything else is awaited.
            click_body = {
                "guild_id": guild_id,
                "channel_id": first,
                "user_id": PLAYER,
                "custom_id": custom_ids[0],
                "message_id": message_id,
            }
            click, _ = await asyncio.gather(
                fake.post("dispatch", click_body),
                _start_rounds(fake, [(guild_id, second)], questions=1, seconds=60),
            )
            assert await wait_for(lambda: _acked(fake, click["id"]), 15), "the click was never acknowledged"

            async def second_asked() -> bool:
                return any(m["channel_id"] == second for m in (await _question_messages(fake))[asked_before:])

            assert await wait_for(second_asked, 15), "/quiz start sent on READY asked no question"
        finally:
            await bot.stop()
        records = {r["id"]: r for r in await fake.get("interactions")}
        assert records[click["id"]]["refusals"] == []
        starts = [r for r in records.values() if r["user_id"] == MODERATOR and r["channel_id"] == second]
        assert starts and all(r["acked_at"] is not None and not r["refusals"] for r in starts)

    with sqlite3.connect(data_dir / "quizbot.sqlite3") as db:
        stored = db.execute(
            "SELECT round_question_id, position FROM answers WHERE user_id = ? AND guild_id = ?", (PLAYER, guild_id)
        ).fetchall()
    assert stored == [(round_question_id, position)]
