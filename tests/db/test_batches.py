"""Write runners: a batch of writes is committed whole or not at all, on SQLite's own thread, on one asyncpg
connection, or on the async engine."""

from __future__ import annotations

import sqlite3
import threading

import asyncpg
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db import create_engine
from bot.db.batches import AsyncWriteRunner, DriverWriteRunner, ThreadWriteRunner, Write, write_runner
from bot.db.engine import create_sqlite_thread_engine
from bot.db.models import AnswerRow, PlayerRow
from bot.db.repos import NewAnswer, answers_write, names_write

from .helpers import GUILD, T0, start_round

MISSING_QUESTION = 987_654


def _answer(round_question_id: int, user_id: int) -> NewAnswer:
    return NewAnswer(
        round_question_id=round_question_id,
        guild_id=GUILD,
        user_id=user_id,
        bank_id="bank",
        question_id="q0",
        position=1,
        choice_index=1,
        answered_at=T0,
        elapsed_ms=1_500,
    )


async def _count(maker: async_sessionmaker[AsyncSession], model: type[AnswerRow] | type[PlayerRow]) -> int:
    async with maker() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def _question_id(maker: async_sessionmaker[AsyncSession]) -> int:
    async with maker.begin() as session:
        return (await start_round(session)).questions[0].id


async def test_sqlite_files_get_a_thread_postgresql_the_driver_and_the_rest_the_async_engine(
    engine: AsyncEngine, database_url: str
) -> None:
    """A SQLite file is written from a thread of its own, PostgreSQL on asyncpg directly; in-memory SQLite uses the
    async engine."""
    runner = write_runner(engine)
    expected = ThreadWriteRunner if database_url.startswith("sqlite") else DriverWriteRunner
    assert type(runner) is expected
    await runner.aclose()
    memory = create_engine("sqlite+aiosqlite://")
    assert type(write_runner(memory)) is AsyncWriteRunner
    await memory.dispose()


async def test_a_batch_is_committed_whole(engine: AsyncEngine, maker: async_sessionmaker[AsyncSession]) -> None:
    """Names and answers written in one run are all visible afterwards, a repeated answer ignored."""
    question = await _question_id(maker)
    runner = write_runner(engine)
    try:
        answers = [_answer(question, user) for user in (1, 2, 3)]
        await runner.run(
            [
                names_write(runner.dialect, GUILD, {1: "alice", 2: "bob"}),
                answers_write(runner.dialect, answers),
                answers_write(runner.dialect, answers[:1]),
            ]
        )
    finally:
        await runner.aclose()
    assert await _count(maker, AnswerRow) == 3
    assert await _count(maker, PlayerRow) == 2
    async with maker() as session:
        stored = (await session.execute(select(AnswerRow).where(AnswerRow.user_id == 1))).scalar_one()
    # Read back through the ORM exactly as written, defaults included.
    assert (stored.answered_at, stored.elapsed_ms, stored.points, stored.streak, stored.correct) == (
        T0,
        1_500,
        0,
        0,
        None,
    )


async def test_a_failing_write_rolls_back_the_whole_batch(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession]
) -> None:
    """An answer to a question that does not exist fails the batch, and the names before it are not kept."""
    await _question_id(maker)
    runner = write_runner(engine)
    try:
        with pytest.raises((IntegrityError, sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)):
            await runner.run(
                [
                    names_write(runner.dialect, GUILD, {1: "alice"}),
                    answers_write(runner.dialect, [_answer(MISSING_QUESTION, 1)]),
                ]
            )
    finally:
        await runner.aclose()
    assert await _count(maker, PlayerRow) == 0
    assert await _count(maker, AnswerRow) == 0


async def test_the_thread_runner_writes_off_the_event_loop(
    engine: AsyncEngine, database_url: str, maker: async_sessionmaker[AsyncSession]
) -> None:
    """On SQLite the connection is opened (and, sqlite3 enforcing it, used) on the runner's thread only."""
    thread_engine = create_sqlite_thread_engine(engine.url)
    if thread_engine is None:
        pytest.skip("only SQLite files use a thread of their own")
    question = await _question_id(maker)
    threads: list[str] = []
    event.listen(thread_engine, "connect", lambda *_: threads.append(threading.current_thread().name))
    runner = ThreadWriteRunner(thread_engine)
    write = answers_write(runner.dialect, [_answer(question, 1)])
    await runner.run([write])
    await runner.run([answers_write(runner.dialect, [_answer(question, 2)])])
    assert len(threads) == 1 and all(name.startswith("quizbot-writes") for name in threads)
    await runner.aclose()
    await runner.aclose()
    with pytest.raises(RuntimeError):
        await runner.run([write])
    assert await _count(maker, AnswerRow) == 2


async def test_a_default_the_runner_cannot_compute_is_refused_before_anything_is_written(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession]
) -> None:
    """A column left to a Python-side default (``updated_at``'s clock) is named, and no write of the batch runs:
    on SQLite's thread and on PostgreSQL's driver runner alike (the async engine computes such defaults itself)."""
    runner = write_runner(engine)
    if isinstance(runner, AsyncWriteRunner):
        pytest.skip("the async engine computes Python-side defaults itself")
    question = await _question_id(maker)
    names = names_write(runner.dialect, GUILD, {1: "alice"})
    undated = [{key: value for key, value in row.items() if key != "updated_at"} for row in names.rows]
    try:
        with pytest.raises(ValueError, match="'updated_at'"):
            await runner.run([answers_write(runner.dialect, [_answer(question, 1)]), Write(names.statement, undated)])
    finally:
        await runner.aclose()
    assert await _count(maker, AnswerRow) == 0


def _postgres_only(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("the driver runner is for PostgreSQL through asyncpg")


async def _backends(maker: async_sessionmaker[AsyncSession]) -> set[int]:
    query = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
    async with maker() as session:
        return {int(pid) for pid in (await session.execute(query)).scalars()}


async def test_the_driver_runner_keeps_one_connection_and_replaces_a_broken_one(
    engine: AsyncEngine, database_url: str, maker: async_sessionmaker[AsyncSession]
) -> None:
    """Batches share one pooled connection; after it is killed, the batch fails and the next gets a new one."""
    _postgres_only(database_url)
    question = await _question_id(maker)
    runner = DriverWriteRunner(engine)
    try:
        idle = await _backends(maker)
        await runner.run([answers_write(runner.dialect, [_answer(question, 1)])])
        await runner.run(
            [names_write(runner.dialect, GUILD, {2: "bob"}), answers_write(runner.dialect, [_answer(question, 2)])]
        )
        (writer,) = await _backends(maker) - idle
        async with maker.begin() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": writer})
        with pytest.raises(Exception):  # noqa: B017  # asyncpg's error depends on when it notices
            await runner.run([answers_write(runner.dialect, [_answer(question, 3)])])
        await runner.run([answers_write(runner.dialect, [_answer(question, 3)])])
        assert writer not in await _backends(maker)
    finally:
        await runner.aclose()
    await runner.aclose()
    with pytest.raises(RuntimeError):
        await runner.run([answers_write(runner.dialect, [_answer(question, 4)])])
    assert await _count(maker, AnswerRow) == 3
    assert await _count(maker, PlayerRow) == 1
