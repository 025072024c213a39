"""A review round and the reports queue in simcord's simulated Discord, printed as text.

    .venv/bin/python scripts/review_transcript.py [--seed 7]

alice misses two questions of a round; a day later ``/quiz review`` serves them. Then alice and bob
report a question from its reveal and the moderator (an author by Manage Server) works the queue.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.round_transcript import quiz_club, render  # noqa: E402

BANK = "south-caucasus-russia"
DAY = 24 * 60 * 60


def buttons(message: Any) -> list[dict[str, Any]]:
    """An interaction response's buttons, as raw components."""
    return [c for row in message.components for c in row["components"]]


async def main(seed: int) -> None:
    rng = random.Random(seed)
    async with quiz_club() as club:
        bot, env, guild, channel, mod = club.bot, club.env, club.guild, club.channel, club.mod
        alice, bob = (guild.add_member(env.create_user(name)) for name in ("alice", "bob"))

        print("# A round: alice misses questions 1 and 3\n")
        await mod.slash(channel, "quiz start", bank=BANK, questions=3, seconds=20)
        for number, right_answer in enumerate((False, True, False)):
            live = bot.rounds.in_channel(channel.id)
            assert live is not None and live.engine.current is not None
            qid, right = live.current_question_id, live.engine.current.played.correct_position
            wrong = (right + 1) % len(live.engine.current.played.order)
            thinking = rng.uniform(2, 4)
            await env.advance_time(thinking)
            await alice.click(channel.last_message, custom_id=f"quiz:a:{qid}:{right if right_answer else wrong}")
            await env.advance_time(20 - thinking + (bot.settings.reveal_pause_seconds if number < 2 else 0))
        reveal = channel.history()[-2]
        print(render(reveal), "\n")

        print("# The same evening: nothing is due yet\n> /quiz review (alice)")
        print((await alice.slash(channel, "quiz review")).response.content, "\n")

        await env.advance_time(DAY)
        print("# A day later\n> /quiz review (alice)")
        result = await alice.slash(channel, "quiz review")
        message = result.response
        print(f"(only alice sees) {render(message)}\n")
        for answer_right in (True, False):
            prompt = (message.embeds[0].description or "").split("\n")[0]
            question = next(q for q in bot.library.get(BANK).questions if q.prompt == prompt)
            choices = buttons(message)
            correct = next(i for i, c in enumerate(choices) if c["label"].split(": ", 1)[-1] == question.correct_choice)
            await env.advance_time(7)
            pick = choices[correct if answer_right else (correct + 1) % len(choices)]
            print(f"> alice clicks {pick['label']}")
            picked = await alice.click(message, custom_id=pick["custom_id"])
            print(render(picked.response), "\n")
            nxt = await alice.click(picked.response, custom_id=buttons(picked.response)[0]["custom_id"])
            message = nxt.response
            print(render(message), "\n")

        print("# Reports: alice and bob report the last reveal")
        report_id = next(
            c.custom_id for row in reveal.components for c in row.children if getattr(c, "label", "") == "Report"
        )
        for member, reason, note in (
            (alice, "wrong_answer", "The passage says 1993, not 1994. <@&1> @everyone"),
            (bob, "unclear", "Which treaty does it mean?"),
        ):
            shown = await member.click(reveal, custom_id=report_id)
            filed = await member.submit_modal(shown, {"report:reason": [reason], "report:note": note})
            print(f"> {member.name} reports ({reason}): {note}\n(only {member.name} sees) {filed.response.content}")
        print("\n> /quiz bank reports (mod)")
        queue = await mod.slash(channel, "quiz bank reports")
        print(render(queue.response), "\n")
        resolve = next(b for b in buttons(queue.response) if b["label"] == "Resolve")
        print("> mod clicks Resolve")
        resolved = await mod.click(queue.response, custom_id=resolve["custom_id"])
        print(render(resolved.response))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=7)
    asyncio.run(main(parser.parse_args().seed))
