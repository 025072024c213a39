"""Rounds and their questions: create, open questions, find running ones, finish.

Everything is returned as frozen dataclasses, so the Discord layer never holds ORM objects
across transactions. After a restart ``unfinished_rounds`` gives each round with its
questions and answers, enough to rebuild the engine's state by replaying them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.models import AnswerRow, RoundKind, RoundQuestionRow, RoundRow, RoundStatus, ScoreRow
from bot.db.repos._sql import on_shards, rowcount, table, upsert
from bot.db.repos.guilds import ensure_guild
from bot.db.types import utcnow
from bot.quiz import PlayedQuestion
from bot.shards import EVERY_SHARD, Shards


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """An answer as stored; ``correct`` is None until its question closes."""

    user_id: int
    position: int
    choice_index: int
    answered_at: datetime
    elapsed_ms: int
    correct: bool | None
    points: int
    streak: int

    @property
    def elapsed(self) -> timedelta:
        """How long after the question opened the answer came."""
        return timedelta(milliseconds=self.elapsed_ms)


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    """A round's question as stored, with its answers in the order they came."""

    id: int
    round_id: int
    position: int
    bank_id: str
    question_id: str
    choice_order: tuple[int, ...]
    correct_position: int
    message_id: int | None
    opened_at: datetime | None
    deadline: datetime | None
    closed_at: datetime | None
    answers: tuple[StoredAnswer, ...] = ()

    @property
    def is_open(self) -> bool:
        """True between opening and closing."""
        return self.opened_at is not None and self.closed_at is None


@dataclass(frozen=True, slots=True)
class StoredRound:
    """A round as stored, with its questions in play order."""

    id: int
    guild_id: int
    channel_id: int
    started_by: int
    kind: RoundKind
    status: RoundStatus
    seed: int
    seconds: int
    bank_ids: tuple[str, ...]
    started_at: datetime
    ended_at: datetime | None
    questions: tuple[StoredQuestion, ...]
    #: Bank id -> the version played (an uploaded bank's number, a shipped bank's content hash); empty for
    #: rounds stored before versions were recorded.
    bank_versions: Mapping[str, int | str] = field(default_factory=dict)

    @property
    def open_question(self) -> StoredQuestion | None:
        """The question opened and not yet closed, if any."""
        return next((q for q in self.questions if q.is_open), None)

    @property
    def next_question(self) -> StoredQuestion | None:
        """The first question not yet opened, if any."""
        return next((q for q in self.questions if q.opened_at is None), None)


def _answer(row: AnswerRow) -> StoredAnswer:
    return StoredAnswer(
        user_id=row.user_id,
        position=row.position,
        choice_index=row.choice_index,
        answered_at=row.answered_at,
        elapsed_ms=row.elapsed_ms,
        correct=row.correct,
        points=row.points,
        streak=row.streak,
    )


def _question(row: RoundQuestionRow, *, with_answers: bool) -> StoredQuestion:
    return StoredQuestion(
        id=row.id,
        round_id=row.round_id,
        position=row.position,
        bank_id=row.bank_id,
        question_id=row.question_id,
        choice_order=tuple(row.choice_order),
        correct_position=row.correct_position,
        message_id=row.message_id,
        opened_at=row.opened_at,
        deadline=row.deadline,
        closed_at=row.closed_at,
        answers=tuple(_answer(a) for a in row.answers) if with_answers else (),
    )


def _round(row: RoundRow, *, with_answers: bool = True) -> StoredRound:
    return StoredRound(
        id=row.id,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        started_by=row.started_by,
        kind=RoundKind(row.kind),
        status=RoundStatus(row.status),
        seed=row.seed,
        seconds=row.seconds,
        bank_ids=tuple(row.bank_ids),
        started_at=row.started_at,
        ended_at=row.ended_at,
        questions=tuple(_question(q, with_answers=with_answers) for q in row.questions),
        bank_versions=dict(row.bank_versions or {}),
    )


def _rounds_query() -> Any:
    # populate_existing: earlier Core UPDATEs in the same session must not be hidden by
    # objects already sitting in the identity map.
    return (
        select(RoundRow)
        .options(selectinload(RoundRow.questions).selectinload(RoundQuestionRow.answers))
        .execution_options(populate_existing=True)
        .order_by(RoundRow.id)
    )


async def create_round(
    session: AsyncSession,
    *,
    guild_id: int,
    channel_id: int,
    started_by: int,
    seed: int,
    seconds: int,
    bank_ids: Sequence[str],
    questions: Sequence[PlayedQuestion],
    started_at: datetime | None = None,
    bank_versions: Mapping[str, int | str] | None = None,
) -> StoredRound:
    """Store a new running round with its drawn questions; ``questions[i]`` gets position ``i``.

    ``bank_versions`` records the version of each bank played (see ``StoredRound.bank_versions``).
    ``seed`` must fit a signed 64-bit integer. A second running channel round in the same
    channel violates ``uq_rounds_running_channel`` and raises ``sqlalchemy.exc.IntegrityError``.
    """
    await ensure_guild(session, guild_id)
    row = RoundRow(
        guild_id=guild_id,
        channel_id=channel_id,
        started_by=started_by,
        kind=RoundKind.CHANNEL.value,
        status=RoundStatus.RUNNING.value,
        seed=seed,
        seconds=seconds,
        bank_ids=list(bank_ids),
        bank_versions=dict(bank_versions) if bank_versions is not None else None,
        started_at=started_at or utcnow(),
        questions=[
            RoundQuestionRow(
                position=position,
                bank_id=played.question.bank_id,
                question_id=played.question.id,
                choice_order=list(played.order),
                correct_position=played.correct_position,
            )
            for position, played in enumerate(questions)
        ],
    )
    session.add(row)
    await session.flush()
    return _round(row, with_answers=False)


async def running_round(session: AsyncSession, channel_id: int) -> StoredRound | None:
    """The running channel round of ``channel_id``, with its questions and answers, or None."""
    query = _rounds_query().where(
        RoundRow.channel_id == channel_id,
        RoundRow.status == RoundStatus.RUNNING.value,
        RoundRow.kind == RoundKind.CHANNEL.value,
    )
    row = (await session.execute(query)).scalar_one_or_none()
    return None if row is None else _round(row)


async def unfinished_rounds(
    session: AsyncSession, *, guild_ids: Collection[int] | None = None, shards: Shards = EVERY_SHARD
) -> list[StoredRound]:
    """Every running round (of ``guild_ids`` if given, of guilds on ``shards``), oldest first, questions and answers."""
    query = _rounds_query().where(
        RoundRow.status == RoundStatus.RUNNING.value, on_shards(table(RoundRow).c.guild_id, shards)
    )
    if guild_ids is not None:
        query = query.where(RoundRow.guild_id.in_(list(guild_ids)))
    rows = (await session.execute(query)).scalars().all()
    return [_round(row) for row in rows]


async def mark_question_opened(
    session: AsyncSession,
    round_question_id: int,
    *,
    opened_at: datetime,
    deadline: datetime,
    message_id: int | None = None,
) -> None:
    """Record when a question opened, its deadline and (if already known) its message."""
    questions = table(RoundQuestionRow)
    values: dict[str, Any] = {"opened_at": opened_at, "deadline": deadline}
    if message_id is not None:
        values["message_id"] = message_id
    await session.execute(update(questions).where(questions.c.id == round_question_id).values(**values))


async def set_question_message(session: AsyncSession, round_question_id: int, message_id: int) -> None:
    """Record the id of the message that shows a question."""
    questions = table(RoundQuestionRow)
    await session.execute(update(questions).where(questions.c.id == round_question_id).values(message_id=message_id))


async def finish_round(
    session: AsyncSession,
    round_id: int,
    *,
    ended_at: datetime,
    status: RoundStatus = RoundStatus.FINISHED,
) -> bool:
    """End a running round and count it for each participant; False if it had already ended.

    Only the call that moves the round out of "running" counts ``rounds_played``, so two
    processes finishing the same round cannot count it twice. Participants are the players
    with at least one scored answer, as in the engine's standings.
    """
    if status is RoundStatus.RUNNING:
        raise ValueError("a round ends as finished or stopped")
    rounds = table(RoundRow)
    won = await rowcount(
        session,
        update(rounds)
        .where(rounds.c.id == round_id, rounds.c.status == RoundStatus.RUNNING.value)
        .values(status=RoundStatus(status).value, ended_at=ended_at),
    )
    if won != 1:
        return False

    answers, questions = table(AnswerRow), table(RoundQuestionRow)
    participants = (
        await session.execute(
            select(answers.c.guild_id, answers.c.user_id)
            .join(questions, questions.c.id == answers.c.round_question_id)
            .where(questions.c.round_id == round_id, answers.c.correct.is_not(None))
            .distinct()
        )
    ).all()
    if participants:
        scores = table(ScoreRow)
        statement = upsert(session, scores)
        statement = statement.on_conflict_do_update(
            index_elements=["guild_id", "user_id"],
            set_={"rounds_played": scores.c.rounds_played + 1},
        )
        params = [{"guild_id": p.guild_id, "user_id": p.user_id, "rounds_played": 1} for p in participants]
        await session.execute(statement, params)
    return True
