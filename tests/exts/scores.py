"""Arrange points for leaderboard and stats tests by playing one-question rounds through the repositories."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.client import QuizBot
from bot.db import repos
from bot.quiz import PlayedQuestion, Question, Source
from tests.db.helpers import store_answer, store_names

ARRANGE_CHANNEL = 999_000_000_000_000_001  # not a simcord channel: these rounds never show in Discord
OTHER_BANK = "other-bank"


def other_bank_question(qid: str = "elsewhere") -> Question:
    """A question of a bank the bot has not loaded, for answers outside the shipped bank."""
    return Question(
        id=qid,
        bank_id=OTHER_BANK,
        prompt="Somewhere else?",
        choices=("yes", "no"),
        answer=0,
        explanation="Because.",
        passage="A passage.",
        source=Source(title="Another article", author="Someone"),
        tags=("elsewhere",),
    )


async def name_players(bot: QuizBot, guild_id: int, names: Mapping[int, str]) -> None:
    """Store the display names the leaderboard shows."""
    async with bot.sessions.begin() as session:
        await store_names(session, guild_id, names)


async def play(
    bot: QuizBot,
    guild_id: int,
    question: Question,
    points: Mapping[int, int],
    *,
    at: datetime,
) -> None:
    """Play and finish a one-question round in which each user earns the given points (0 = a wrong answer)."""
    async with bot.sessions.begin() as session:
        rnd = await repos.create_round(
            session,
            guild_id=guild_id,
            channel_id=ARRANGE_CHANNEL,
            started_by=0,
            seed=7,
            seconds=20,
            bank_ids=[question.bank_id],
            questions=[PlayedQuestion.shuffled(1, question, 7)],
            started_at=at,
        )
        stored = rnd.questions[0]
        await repos.mark_question_opened(session, stored.id, opened_at=at, deadline=at + timedelta(seconds=20))
        results = []
        for user_id, earned in points.items():
            right = earned > 0
            position = stored.correct_position if right else (stored.correct_position + 1) % len(question.choices)
            assert await store_answer(
                session,
                repos.NewAnswer(
                    round_question_id=stored.id,
                    guild_id=guild_id,
                    user_id=user_id,
                    bank_id=question.bank_id,
                    question_id=question.id,
                    position=position,
                    choice_index=stored.choice_order[position],
                    answered_at=at,
                    elapsed_ms=1000,
                ),
            )
            results.append(repos.AnswerResult(user_id, right, earned, 1 if right else 0))
        assert await repos.close_question(session, stored.id, at + timedelta(seconds=20), results)
        assert await repos.finish_round(session, rnd.id, ended_at=at + timedelta(seconds=21))


async def set_timezone(bot: QuizBot, guild_id: int, zone: str) -> None:
    """Store the guild's time zone."""
    async with bot.sessions.begin() as session:
        current = await repos.get_guild_settings(session, guild_id)
        await repos.update_guild_settings(session, dataclasses.replace(current, timezone=zone))
