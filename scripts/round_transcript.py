"""Play one round in simcord's simulated Discord and print what the channel saw, as text.

    .venv/bin/python scripts/round_transcript.py [--questions 3] [--seed 7]

Three members answer; the output is the transcript used in docs and issue notes, plus how long the
bot took to acknowledge each click (wall time, in simcord's in-process Discord).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import simcord

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.client import QuizBot  # noqa: E402
from bot.settings import Settings  # noqa: E402


def render(message: Any) -> str:
    """One message (posted, or an interaction's response) as plain text: content, embeds and buttons.

    A posted message's component rows are discord.py objects; an interaction response's are raw dicts.
    """
    lines: list[str] = []
    if message.content:
        lines.append(message.content)
    for embed in message.embeds:
        if embed.title:
            lines.append(f"## {embed.title}")
        if embed.description:
            lines.append(embed.description)
        for field in embed.fields:
            lines.append(f"[{field.name}]")
            lines.append(str(field.value))
        if embed.footer and embed.footer.text:
            lines.append(f"({embed.footer.text})")
    for row in message.components:
        children = row["components"] if isinstance(row, dict) else getattr(row, "children", [])
        buttons = [_button(c) for c in children if isinstance(c, dict | discord.Button)]
        if buttons:
            lines.append("buttons: " + " | ".join(buttons))
    return "\n".join(lines)


def _button(button: dict[str, Any] | discord.Button) -> str:
    """A button's label, marked ✓ when it is the green (right) one and (off) when disabled."""
    if isinstance(button, dict):
        label, right, off = (
            button.get("label"),
            button.get("style") == discord.ButtonStyle.success.value,
            button.get("disabled", False),
        )
    else:
        label, right, off = button.label, button.style is discord.ButtonStyle.success, button.disabled
    return f"{label}{' ✓' if right else ''}{' (off)' if off else ''}"


@dataclass(frozen=True)
class QuizClub:
    """The bot in simcord's Discord, with a guild, its #quiz channel and a moderator."""

    bot: QuizBot
    env: Any
    guild: Any
    channel: Any
    mod: Any


@asynccontextmanager
async def quiz_club() -> AsyncIterator[QuizClub]:
    """A bot on the shipped banks (answers stored at once) in a new "Quiz Club" guild; closed on leaving."""
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(_env_file=None, data_dir=Path(data), banks_dir=ROOT / "questions", answer_batch_seconds=0)
        bot = QuizBot(settings)
        async with simcord.run(bot) as env:
            guild = env.create_guild("Quiz Club")
            channel = guild.create_text_channel("quiz")
            mods = guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
            mod = guild.add_member(env.create_user("mod"), roles=[mods])
            yield QuizClub(bot, env, guild, channel, mod)
        await bot.close()


async def main(questions: int, seed: int) -> None:
    rng = random.Random(seed)
    async with quiz_club() as club:
        bot, env, guild, channel, mod = club.bot, club.env, club.guild, club.channel, club.mod
        settings = bot.settings
        players = [guild.add_member(env.create_user(name)) for name in ("alice", "bob", "carol")]
        bank = "south-caucasus-russia"
        start = await mod.slash(channel, "quiz start", bank=bank, questions=questions, seconds=20)
        public = next(f.content for f in start.followups if not f.ephemeral)
        print(f"> /quiz start (by mod)\n(only mod sees) {start.response.content}\n{public}\n")
        acks: list[float] = []
        for number in range(1, questions + 1):
            live = bot.rounds.in_channel(channel.id)
            assert live is not None and live.engine.current is not None
            deadline = live.engine.current.deadline
            message = channel.last_message
            print(render(message), "\n")
            right = live.engine.current.played.correct_position
            for player in players:
                await env.advance_time(rng.uniform(1, 5))
                position = right if rng.random() < 0.7 else (right + 1) % len(live.engine.current.played.order)
                began = time.perf_counter()
                result: Any = await player.click(message, custom_id=f"quiz:a:{live.current_question_id}:{position}")
                acks.append(time.perf_counter() - began)
                print(
                    f"> {player.name} clicks {'ABCDE'[position]}  →  "
                    f"(only {player.name} sees) {result.response.content}"
                )
            await env.advance_time((deadline - env.now()).total_seconds() + 0.01)
            print()
            print(render(channel.history()[-1 if number < questions else -2]), "\n")
            if number < questions:
                await env.advance_time(settings.reveal_pause_seconds)
        print(render(channel.last_message), "\n")
        board = await players[0].slash(channel, "quiz leaderboard")
        print("> /quiz leaderboard (by alice)")
        print(render(board.response.message) if board.response.message else board.response.embeds[0].description)
        print(
            f"\nclick → acknowledgement, wall time in simcord: median {statistics.median(acks) * 1000:.1f} ms, "
            f"max {max(acks) * 1000:.1f} ms over {len(acks)} clicks"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.questions, arguments.seed))
