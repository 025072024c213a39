"""``quizbot preview BANK``: every question of a bank posted as players will see it, then its reveal.

The messages go out through the real bot's HTTP client, so simcord applies Discord's limits to
them: a message Discord would refuse (400 / 50035) is refused here too, reported with the
question's id, and noted in the channel where the author is looking.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import discord

from bot.demo.players import plan_answers, rng_for
from bot.demo.world import DemoWorld
from bot.exts.play.render import (
    button_labels,
    closed_view,
    name_lookup,
    question_embed,
    reveal_embed,
    standings_embed,
)
from bot.quiz import Bank, PlayedQuestion, Round, Scoring

DEFAULT_SECONDS = 20
NOTICE_MAX = 2000


@dataclass(frozen=True, slots=True)
class Problem:
    """A message Discord would refuse: which question, which message, and Discord's words."""

    question_id: str
    message: str
    error: str

    def __str__(self) -> str:
        return f"question {self.question_id}: the {self.message} was refused: {self.error}"


def _open_view(played: PlayedQuestion) -> discord.ui.View:
    """Buttons that look like a live question's; never routed, since the preview closes them at once."""
    view = discord.ui.View(timeout=None)
    for position, label in enumerate(button_labels(played)):
        view.add_item(
            discord.ui.Button(label=label, style=discord.ButtonStyle.primary, custom_id=f"preview:{position}")
        )
    view.stop()  # rendered only: kept out of discord.py's view store
    return view


def _describe(error: discord.HTTPException) -> str:
    return f"{error.status} (code {error.code}) {error.text}".strip()


async def post_bank(world: DemoWorld, bank: Bank, *, seed: int = 1) -> list[Problem]:
    """Post each question, close it, post its reveal (answered by the simulated players), then the standings."""
    channel = world.bot.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    seconds = bank.seconds or DEFAULT_SECONDS
    played = [PlayedQuestion.shuffled(n, q, seed) for n, q in enumerate(bank.questions, start=1)]
    engine = Round(played, seconds=seconds, scoring=Scoring(max_points=bank.points) if bank.points else Scoring())
    members = dict(zip(world.personas, world.players, strict=True))
    names = name_lookup({member.id: persona.name for persona, member in members.items()})
    problems: list[Problem] = []

    async def send(question_id: str, what: str, **kwargs: object) -> discord.Message | None:
        try:
            return await channel.send(**kwargs)  # type: ignore[call-overload, no-any-return]
        except discord.HTTPException as error:
            problem = Problem(question_id, what, _describe(error))
            problems.append(problem)
            notice = f"⚠️ Question `{question_id}`: Discord would refuse the {what}: {problem.error}"
            with contextlib.suppress(discord.HTTPException):  # the terminal report still has it
                await channel.send(notice[:NOTICE_MAX])
            return None

    for question in played:
        qid = question.question.id
        opened = engine.open_next(world.env.now())
        rng = rng_for(seed, 0, question.number)
        for plan in plan_answers(rng, world.personas, question, seconds):
            engine.answer(members[plan.persona].id, plan.position, opened.opened_at + timedelta(seconds=plan.delay))
        reveal = engine.close(opened.deadline)
        embed = question_embed(question, len(played), opened.deadline)
        message = await send(qid, "question", embed=embed, view=_open_view(question))
        if message is not None:
            try:
                await message.edit(view=closed_view(question))
            except discord.HTTPException as error:
                problems.append(Problem(qid, "closed question", _describe(error)))
        await send(qid, "reveal", embed=reveal_embed(reveal, names))
    await send("-", "final standings", embed=standings_embed(engine.standings(), len(played), names))
    return problems


def shuffle_seed(seed: int | None) -> int:
    """The seed of the choices' order: given, or fresh."""
    return random.SystemRandom().randrange(2**31) if seed is None else seed


def summary(bank: Bank, problems: Sequence[Problem]) -> str:
    """One line for the terminal."""
    count = len(bank.questions)
    if not problems:
        return f"{bank.id}: {count} question(s) and their reveals fit Discord's limits."
    return f"{bank.id}: {len(problems)} message(s) of {count} question(s) would be refused by Discord."
