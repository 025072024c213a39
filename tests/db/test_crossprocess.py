"""Caches of several processes on one database: the database's versions are the truth, hints only speed them up.

Each "process" here is its own cache (rank index, bank service) and its own hints connection on one database.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import delete, event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from bot.banks.service import BankService, Uploaded
from bot.banks.uploads import UploadedFile, UploadLimits
from bot.crossprocess import follow_hints
from bot.db import repos
from bot.db.bank_store import SqlBankStore
from bot.db.driver import driver_reader
from bot.db.hints import Hints, publish_to
from bot.db.models import ScoreMoveRow
from bot.db.repos import ensure_guild
from bot.db.repos.answers import ClosedQuestion
from bot.db.repos.ranks import MAX_CATCH_UP, RankIndex, Standings
from bot.db.repos.score_moves import parse_scores_hint, scores_hint
from bot.db.types import utcnow
from tests.banks.helpers import EXCERPT, loop_gaps_until, slow_shipped_reads
from tests.banks.test_service import bank_yaml
from tests.db.helpers import GUILD, play_question

QUESTIONS = Path(__file__).parents[2] / "questions"
BANK = "south-caucasus-russia"


async def eventually(check: Callable[[], bool], within: float = 1.0) -> bool:
    """True once ``check()`` holds, polled until ``within`` seconds have passed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not check():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


def postgres_only(engine: AsyncEngine) -> None:
    """Hints exist on PostgreSQL only (SQLite has one process)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite runs one process")


@pytest.fixture
async def hints_pair(engine: AsyncEngine) -> AsyncIterator[tuple[Hints, Hints]]:
    """Two processes' hints on one database, both listening."""
    postgres_only(engine)
    pair = (Hints(), Hints())
    for hints in pair:
        hints.start(engine)
        await asyncio.wait_for(hints.connected.wait(), 10)
    yield pair
    for hints in pair:
        await hints.stop()


async def scored(maker: async_sessionmaker[AsyncSession], players: int) -> None:
    """A guild whose ``players`` players all have points, from one played question."""
    async with maker.begin() as session:
        await play_question(session, {user: 1 + user % 97 for user in range(1, players + 1)}, keep_moves=True)


async def closed_by_another_process(maker: async_sessionmaker[AsyncSession], a: RankIndex) -> None:
    """A loads the standings of 200 players; then B closes a question that moves players 5 and 1,000."""
    await scored(maker, 200)
    async with maker() as session:
        await a.snapshot(session, GUILD)
    async with maker.begin() as session:
        await play_question(session, {5: 900, 1_000: 40}, keep_moves=True)


async def assert_board_is_the_databases(
    maker: async_sessionmaker[AsyncSession], standings: Standings, viewer: int
) -> None:
    """The board read is what counting in SQL gives: the top 10 and the viewer's own line."""
    async with maker() as session:
        assert standings.rows == await repos.top(session, GUILD, limit=10)
        assert standings.mine == await repos.rank_of(session, GUILD, viewer)


async def test_a_rank_index_steps_forward_with_another_process_closes(maker: async_sessionmaker[AsyncSession]) -> None:
    """B closes questions; A's next read applies B's kept moves instead of reloading, and agrees with a reload."""
    await scored(maker, 300)
    a, b = RankIndex(), RankIndex()
    async with maker() as session:
        await a.snapshot(session, GUILD)
    assert a.loads == 1
    for at in range(3):
        async with maker.begin() as session:
            await play_question(session, {5: 900 + at, 1_000 + at: 40}, ranks=b, keep_moves=True)
    async with maker() as session:
        stepped = await a.snapshot(session, GUILD)
        fresh = await RankIndex().snapshot(session, GUILD)
    assert (a.loads, a.caught_up) == (1, 1)
    assert stepped == fresh


async def test_missing_moves_cost_a_reload_never_a_wrong_rank(maker: async_sessionmaker[AsyncSession]) -> None:
    """With another process's moves gone (pruned, or too many to keep), the index reloads and is right."""
    await scored(maker, 50)
    a = RankIndex()
    async with maker() as session:
        await a.snapshot(session, GUILD)
    async with maker.begin() as session:
        await play_question(session, {7: 500}, keep_moves=True)
        await session.execute(delete(ScoreMoveRow))
    async with maker() as session:
        read = await a.snapshot(session, GUILD)
        fresh = await RankIndex().snapshot(session, GUILD)
    assert (a.loads, a.caught_up) == (2, 0)
    assert read == fresh


async def test_hints_reach_the_other_processes_only(hints_pair: tuple[Hints, Hints]) -> None:
    """A hint is heard by every other listening process, not by the one that published it."""
    a, b = hints_pair
    heard_a: list[str | None] = []
    heard_b: list[str | None] = []
    a.subscribe("banks", heard_a.append)
    b.subscribe("banks", heard_b.append)
    await a.publish("banks", "1:quiz")
    assert await eventually(lambda: heard_b == ["1:quiz"])
    await asyncio.sleep(0.1)
    assert heard_a == []


async def test_a_dropped_listener_reconnects_and_reloads(engine: AsyncEngine, hints_pair: tuple[Hints, Hints]) -> None:
    """The listening connection is killed: it reconnects, tells its subscribers to reload, and hears hints again."""
    a, b = hints_pair
    heard: list[str | None] = []
    b.subscribe("schedules", heard.append)
    admin = create_async_engine(engine.url, poolclass=NullPool)
    try:
        async with admin.connect() as connection:
            await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'"
                )
            )
        assert await eventually(lambda: b.reconnects == 1 and heard == [None], within=10)
        await asyncio.wait_for(a.connected.wait(), 10)
        await publish_to(admin, "schedules", "again")
        assert await eventually(lambda: heard == [None, "again"], within=5)
    finally:
        await admin.dispose()


async def test_bank_switches_and_score_moves_are_live_in_the_other_process(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession], hints_pair: tuple[Hints, Hints]
) -> None:
    """A bank switched off in A is off in B within a second; a close in B steps A's ranks before any read."""
    processes = []
    for hints in hints_pair:
        banks = BankService(
            QUESTIONS, max_bank_bytes=1_000_000, limits=UploadLimits(1_000_000, 1_000_000), clock=utcnow
        )
        await banks.start(SqlBankStore(maker))
        ranks = RankIndex()
        follow_hints(hints, banks, ranks, maker)
        processes.append((banks, ranks))
    (banks_a, ranks_a), (banks_b, ranks_b) = processes
    async with maker.begin() as session:
        await ensure_guild(session, GUILD)
    await banks_a.set_disabled(GUILD, BANK, True, by=1)
    assert await eventually(lambda: banks_b.library.is_disabled(BANK, GUILD))
    await banks_a.set_disabled(GUILD, BANK, False, by=1)
    assert await eventually(lambda: not banks_b.library.is_disabled(BANK, GUILD))

    await scored(maker, 100)
    async with maker() as session:
        await ranks_a.snapshot(session, GUILD)
    async with maker.begin() as session:
        await play_question(session, {3: 700}, ranks=ranks_b, keep_moves=True)
    assert await eventually(lambda: ranks_a.caught_up == 1)
    async with maker() as session:
        assert await ranks_a.snapshot(session, GUILD) == await RankIndex().snapshot(session, GUILD)
    assert ranks_a.loads == 1


def statements(engine: AsyncEngine) -> list[str]:
    """Every SQL statement the engine sends from now on (the list grows as they are sent)."""
    sent: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda _c, _r, sql, *_: sent.append(sql))
    return sent


async def test_a_board_read_after_another_process_close_is_one_query(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession]
) -> None:
    """A's board read right after B's close (no hint yet) reads the version and B's moves in one query, no reload."""
    a = RankIndex()
    await closed_by_another_process(maker, a)
    sent = statements(engine)
    standings = await a.board(maker, GUILD, 5, offset=0, limit=10)
    reads = [sql for sql in sent if sql.lstrip().upper().startswith("SELECT")]
    # One SELECT for the version and moves; the top of the board now holds players 5 and 1,000 whose names
    # the moves dropped (they may go by new ones), so one more for their names.
    assert len(reads) == 2, reads
    assert (a.loads, a.caught_up) == (1, 1)
    await assert_board_is_the_databases(maker, standings, 5)


async def test_a_scores_hint_carries_the_moves_and_applies_them_without_a_query(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession], hints_pair: tuple[Hints, Hints]
) -> None:
    """B's close reaches A's rank index in the hint itself: A's copy steps forward without opening a session."""
    await scored(maker, 100)
    ranks_a = RankIndex()
    async with maker() as session:
        await ranks_a.snapshot(session, GUILD)

    def no_sessions() -> AsyncSession:
        raise AssertionError("the hint's moves need no query")

    banks = BankService(QUESTIONS, max_bank_bytes=1, limits=UploadLimits(1, 1), clock=utcnow)
    follow_hints(hints_pair[0], banks, ranks_a, cast(async_sessionmaker[AsyncSession], no_sessions))
    async with maker.begin() as session:
        await play_question(session, {3: 700, 4: 20}, keep_moves=True)
    assert await eventually(lambda: ranks_a.caught_up == 1)
    async with maker() as session:
        assert await ranks_a.snapshot(session, GUILD) == await RankIndex().snapshot(session, GUILD)
    assert ranks_a.loads == 1


def test_a_scores_hint_round_trips_and_leaves_out_moves_too_long_to_notify() -> None:
    """``guild:version:moves`` while the moves fit a notification; past that, ``guild:version`` (A reads them)."""
    few = ClosedQuestion(GUILD, 7, [(3, None, 700), (4, 5, 20)])
    assert parse_scores_hint(scores_hint(few)) == (GUILD, 7, [(3, None, 700), (4, 5, 20)])
    many = ClosedQuestion(GUILD, 8, [(10**17 + user, 10_000, 10_500) for user in range(200)])
    assert parse_scores_hint(scores_hint(many)) == (GUILD, 8, None)


async def test_after_a_reconnect_a_bank_deleted_meanwhile_is_dropped_and_ranks_catch_up(
    maker: async_sessionmaker[AsyncSession],
) -> None:
    """What B missed while its hints were down (A deleted a bank, A closed a question) is reconciled on resync."""
    services = []
    for _ in range(2):
        service = BankService(
            QUESTIONS, max_bank_bytes=1_000_000, limits=UploadLimits(1_000_000, 1_000_000), clock=utcnow
        )
        await service.start(SqlBankStore(maker))
        services.append(service)
    banks_a, banks_b = services
    async with maker.begin() as session:
        await ensure_guild(session, GUILD)
    article = UploadedFile("article.txt", EXCERPT.read_bytes())
    uploaded = await banks_a.upload(GUILD, 1, UploadedFile("mine.yaml", bank_yaml()), article)
    assert isinstance(uploaded, Uploaded), uploaded
    await banks_b.refresh(GUILD, "mine")  # B heard of the upload
    await scored(maker, 100)
    ranks_b = RankIndex()
    async with maker() as session:
        await ranks_b.snapshot(session, GUILD)
    hints_b = Hints()  # not listening: every hint from A below is missed
    follow_hints(hints_b, banks_b, ranks_b, maker)

    await banks_a.delete(GUILD, "mine", by=1)
    async with maker.begin() as session:
        await play_question(session, {3: 700}, keep_moves=True)
    assert banks_b.library.is_uploaded("mine", GUILD)

    hints_b.resync()  # what the listener does once it is connected again
    assert await eventually(lambda: not banks_b.library.is_uploaded("mine", GUILD) and ranks_b.caught_up == 1)
    async with maker() as session:
        assert await ranks_b.snapshot(session, GUILD) == await RankIndex().snapshot(session, GUILD)
    assert ranks_b.loads == 1


async def test_a_resync_rereads_the_banks_folder_off_the_event_loop(
    maker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a reconnect (or `quizbot reload`'s hint) the folder is read in the bank worker: a read taking 1 s of CPU
    never holds the loop up for long."""
    banks = BankService(QUESTIONS, max_bank_bytes=1_000_000, limits=UploadLimits(1_000_000, 1_000_000), clock=utcnow)
    await banks.start(SqlBankStore(maker))
    applied = slow_shipped_reads(monkeypatch)
    hints = Hints()  # not listening: the resync is what the listener does once it is connected again
    follow_hints(hints, banks, RankIndex(), maker)

    hints.resync()
    gaps = await loop_gaps_until(lambda: bool(applied))
    assert applied == [1]
    assert len(gaps) > 20 and max(gaps) < 0.5
    assert banks.library.get(BANK).id == BANK


async def test_a_board_read_through_the_driver_catches_up_without_a_session(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession]
) -> None:
    """On asyncpg the freshness check and the names go through the kept connection: no session, and the same board."""
    reader = driver_reader(engine)
    if reader is None:
        pytest.skip("the driver reader is for PostgreSQL through asyncpg")
    a = RankIndex()
    a.read_through(reader)
    try:
        await closed_by_another_process(maker, a)
        sent = statements(engine)
        standings = await a.board(maker, GUILD, 5, offset=0, limit=10)
        assert sent == []  # nothing through SQLAlchemy: version, moves and the two new names came on the driver
        assert (a.loads, a.caught_up, a.round_trips) == (1, 1, 2)
        await assert_board_is_the_databases(maker, standings, 5)
        for at in range(MAX_CATCH_UP + 1):  # too far behind to step forward: one reload, through a session
            async with maker.begin() as session:
                await play_question(session, {6: 950 + at}, keep_moves=True)
        standings = await a.board(maker, GUILD, 6, offset=0, limit=10)
        assert (a.loads, a.caught_up) == (2, 1)
        await assert_board_is_the_databases(maker, standings, 6)
    finally:
        await reader.aclose()
