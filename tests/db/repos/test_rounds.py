"""Rounds: creation with drawn questions, opening, lookup, restart listing and finishing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import RoundKind, RoundStatus
from bot.db.repos import (
    AnswerResult,
    close_question,
    create_round,
    finish_round,
    mark_question_opened,
    player_stats,
    running_round,
    set_question_message,
    unfinished_rounds,
)

from ..helpers import CHANNEL, GUILD, OTHER_GUILD, STARTER, T0, answer, load_round, played, start_round


async def test_create_round_stores_questions_in_order(session: AsyncSession) -> None:
    """The round keeps each drawn question's bank, id, shuffled order and correct position."""
    questions = played(3)
    rnd = await create_round(
        session,
        guild_id=GUILD,
        channel_id=CHANNEL,
        started_by=STARTER,
        seed=2**63 - 1,
        seconds=25,
        bank_ids=["bank"],
        questions=questions,
        started_at=T0,
    )
    await session.commit()
    loaded = await load_round(session, rnd.id)
    assert loaded == rnd
    assert (loaded.kind, loaded.status, loaded.seed, loaded.seconds) == (
        RoundKind.CHANNEL,
        RoundStatus.RUNNING,
        2**63 - 1,
        25,
    )
    assert [(q.position, q.bank_id, q.question_id) for q in loaded.questions] == [
        (0, "bank", "q1"),
        (1, "bank", "q2"),
        (2, "bank", "q3"),
    ]
    assert [q.choice_order for q in loaded.questions] == [p.order for p in questions]
    assert [q.correct_position for q in loaded.questions] == [p.correct_position for p in questions]
    assert loaded.next_question == loaded.questions[0]
    assert loaded.open_question is None


async def test_unknown_round_is_none(session: AsyncSession) -> None:
    """Looking up a round that does not exist returns None."""
    assert await load_round(session, 12345) is None


async def test_opening_a_question_is_recorded(session: AsyncSession) -> None:
    """Opening stores the time, deadline and message id, and makes it the open question."""
    rnd = await start_round(session)
    first = rnd.questions[0]
    await mark_question_opened(session, first.id, opened_at=T0, deadline=T0 + timedelta(seconds=20))
    await set_question_message(session, first.id, 2**62 + 1)
    loaded = await load_round(session, rnd.id)
    assert loaded is not None
    question = loaded.questions[0]
    assert (question.opened_at, question.deadline, question.message_id) == (T0, T0 + timedelta(seconds=20), 2**62 + 1)
    assert loaded.open_question == question
    assert loaded.next_question == loaded.questions[1]


async def test_running_round_of_a_channel(session: AsyncSession) -> None:
    """The channel's running round is found; other channels and finished rounds are not."""
    assert await running_round(session, CHANNEL) is None
    rnd = await start_round(session)
    found = await running_round(session, CHANNEL)
    assert found is not None
    assert found.id == rnd.id
    assert await running_round(session, CHANNEL + 1) is None
    await finish_round(session, rnd.id, ended_at=T0)
    assert await running_round(session, CHANNEL) is None


async def test_one_running_round_per_channel(session: AsyncSession) -> None:
    """The database refuses a second running channel round in the same channel."""
    await start_round(session)
    with pytest.raises(IntegrityError):
        await start_round(session)


async def test_unfinished_rounds_carry_questions_and_answers(session: AsyncSession) -> None:
    """After a restart every running round is listed with its questions and answers in order."""
    rnd = await start_round(session)
    other = await start_round(session, guild_id=OTHER_GUILD, channel_id=CHANNEL + 1)
    done = await start_round(session, channel_id=CHANNEL + 2)
    await finish_round(session, done.id, ended_at=T0)
    first = rnd.questions[0]
    await mark_question_opened(session, first.id, opened_at=T0, deadline=T0 + timedelta(seconds=20))
    await answer(session, rnd, 0, 2, 1, at=T0 + timedelta(seconds=3))
    await answer(session, rnd, 0, 1, 0, at=T0 + timedelta(seconds=2))
    await session.commit()

    listed = await unfinished_rounds(session)
    assert [r.id for r in listed] == [rnd.id, other.id]
    question = listed[0].questions[0]
    assert [(a.user_id, a.position, a.answered_at) for a in question.answers] == [
        (1, 0, T0 + timedelta(seconds=2)),
        (2, 1, T0 + timedelta(seconds=3)),
    ]
    assert question.answers[0].choice_index == first.choice_order[0]
    assert question.answers[0].correct is None
    assert question.answers[0].elapsed == timedelta(milliseconds=1500)
    assert [r.id for r in await unfinished_rounds(session, guild_ids=[OTHER_GUILD])] == [other.id]


async def test_finish_round_counts_participants_once(session: AsyncSession) -> None:
    """Finishing counts a round for each player with a scored answer, and only the first call counts."""
    rnd = await start_round(session, count=1)
    question = rnd.questions[0]
    await answer(session, rnd, 0, 1, question.correct_position)
    await answer(session, rnd, 0, 2, (question.correct_position + 1) % 4)
    await close_question(session, question.id, T0, [AnswerResult(1, True, 900, 1), AnswerResult(2, False, 0, 0)])

    assert await finish_round(session, rnd.id, ended_at=T0 + timedelta(minutes=1))
    assert not await finish_round(session, rnd.id, ended_at=T0 + timedelta(minutes=2))
    assert not await finish_round(session, rnd.id, ended_at=T0, status=RoundStatus.STOPPED)
    loaded = await load_round(session, rnd.id)
    assert loaded is not None
    assert (loaded.status, loaded.ended_at) == (RoundStatus.FINISHED, T0 + timedelta(minutes=1))
    for user_id in (1, 2):
        stats = await player_stats(session, GUILD, user_id)
        assert stats is not None
        assert stats.rounds_played == 1


async def test_stopped_round_ignores_unscored_answers(session: AsyncSession) -> None:
    """Stopping a round mid-question counts nobody whose answer was never scored."""
    rnd = await start_round(session)
    await answer(session, rnd, 0, 1, 0)
    assert await finish_round(session, rnd.id, ended_at=T0, status=RoundStatus.STOPPED)
    loaded = await load_round(session, rnd.id)
    assert loaded is not None
    assert loaded.status is RoundStatus.STOPPED
    assert await player_stats(session, GUILD, 1) is None


async def test_a_round_cannot_finish_as_running(session: AsyncSession) -> None:
    """Asking to 'finish' a round into the running status is a programming error."""
    rnd = await start_round(session)
    with pytest.raises(ValueError, match="finished or stopped"):
        await finish_round(session, rnd.id, ended_at=T0, status=RoundStatus.RUNNING)
