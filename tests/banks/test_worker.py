"""Uploads and reloads are checked off the event loop, in a child process with a time budget: the loop
keeps its pace during the worst upload, an overrun is stopped, and refusals come back as themselves."""

from __future__ import annotations

import asyncio
import os
import random
import time
from pathlib import Path

import pytest

from bench.worst_upload import files
from bot.banks.errors import CheckCrashed, CheckTookTooLong, FileTooBig
from bot.banks.service import BankService
from bot.banks.uploads import Rejected, UploadedFile, UploadLimits
from bot.banks.worker import Worker
from tests.banks.test_service import AUTHOR, GUILD, banks_dir, blank_url, database_url, engine, maker, service
from tests.banks.worker_jobs import (
    asks,
    chatty,
    deep,
    discord_loaded,
    exits,
    hoard,
    pid,
    scheduling,
    spin,
    too_big,
)

__all__ = ["banks_dir", "blank_url", "database_url", "engine", "maker", "service"]


async def test_a_job_runs_in_another_process() -> None:
    """The job's process is not the bot's."""
    assert await Worker().run(pid) != os.getpid()


async def test_a_job_runs_in_a_fresh_interpreter_not_a_fork_of_the_bot() -> None:
    """The child imports only what its job needs (no discord.py): forking the bot would stall its loop (P12)."""
    import discord  # noqa: F401  # the bot has it loaded

    assert not await Worker().run(discord_loaded)


async def test_a_child_is_kept_for_the_next_job_and_replaced_after_an_overrun_or_a_crash() -> None:
    """Jobs share one child (its start is the costly part); one stopped at its budget or dead takes it along."""
    first = await Worker().run(pid)
    assert await Worker().run(pid) == first  # another Worker of the process: the same child
    with pytest.raises(CheckTookTooLong):
        await Worker(budget=0.5).run(spin, 30.0)
    after_overrun = await Worker().run(pid)
    assert after_overrun != first
    with pytest.raises(CheckCrashed):
        await Worker().run(exits)
    assert await Worker().run(pid) not in (first, after_overrun)


async def test_a_child_left_holding_much_memory_is_not_kept() -> None:
    """After a job that left the child big (a large upload), the next job gets a new, small child."""
    big = await Worker().run(hoard, 100)
    assert await Worker().run(pid) != big


async def test_prints_large_replies_questions_and_a_silent_death() -> None:
    """Frames survive a job's print and a 4 MB reply; questions are answered in turn; a child that dies is a crash."""
    assert await Worker().run(chatty, 4 << 20) == bytes(range(256)) * (4 << 12)

    async def answer(question: str) -> str:
        return question.upper()

    assert await Worker().run(asks, "ab", "cd", answer=answer) == "ABCD"
    with pytest.raises(CheckCrashed) as caught:
        await Worker().run(exits)
    assert caught.value.kind == "the process ended without an answer"


async def test_a_job_only_takes_cores_nothing_else_wants() -> None:
    """The job runs under SCHED_IDLE (bench P12: a click waiting for a core beats the check), the bot unchanged."""
    policy, _ = await Worker().run(scheduling)
    assert policy == os.SCHED_IDLE
    assert scheduling() == (os.SCHED_OTHER, os.getpriority(os.PRIO_PROCESS, 0))


async def test_an_overrun_is_stopped_at_the_budget() -> None:
    """A job past its budget is killed and refused as too long, at the budget, not when it would have ended."""
    started = time.perf_counter()
    with pytest.raises(CheckTookTooLong):
        await Worker(budget=0.5).run(spin, 30.0)
    assert time.perf_counter() - started < 5


async def test_refusals_come_back_as_themselves() -> None:
    """A domain refusal raised in the child is raised here, with its fields."""
    with pytest.raises(FileTooBig) as caught:
        await Worker().run(too_big)
    assert (caught.value.filename, caught.value.size, caught.value.limit) == ("big.yaml", 2_000, 1_000)


async def test_an_unexpected_error_is_a_refusal_not_a_crash() -> None:
    """A bug in a job (here a RecursionError) comes back as CheckCrashed, worded for the author."""
    with pytest.raises(CheckCrashed) as caught:
        await Worker().run(deep, 0)
    assert caught.value.kind == "RecursionError"


async def test_the_loop_keeps_its_pace_during_the_worst_upload(service: BankService) -> None:
    """A 1 MB article with 100 missing passages is checked while the loop ticks every 2 ms, barely late."""
    bank, article = files(random.randrange(1000))
    lateness: list[float] = []
    done = False

    async def tick() -> None:
        while not done:
            started = time.perf_counter()
            await asyncio.sleep(0.002)
            lateness.append(time.perf_counter() - started - 0.002)

    ticker = asyncio.create_task(tick())
    service.limits = UploadLimits(1_000_000, 5_000_000)
    started = time.perf_counter()
    result = await service.upload(GUILD, AUTHOR, UploadedFile("worst.yaml", bank), UploadedFile("article.txt", article))
    elapsed = time.perf_counter() - started
    done = True
    await ticker
    assert isinstance(result, Rejected) and len(result.issues) == 100
    assert elapsed < service.worker.budget
    # On the loop, the check would hold it for the whole upload (seconds); off it, ticks stay on time.
    assert max(lateness) < 0.25, f"the loop stalled for {max(lateness) * 1000:.0f} ms"
    assert len(lateness) > elapsed / 0.02


async def test_reload_runs_off_the_loop(service: BankService, banks_dir: Path) -> None:
    """``reload`` reads the folder in a child and swaps the result into the library."""
    (banks_dir / "shipped.yaml").write_text(
        (banks_dir / "shipped.yaml").read_text(encoding="utf-8").replace("title: Russia and", "title: Moscow and"),
        encoding="utf-8",
    )
    report = await service.reload()
    assert report.loaded == ["south-caucasus-russia"]
    assert service.get("south-caucasus-russia").title.startswith("Moscow and")


async def test_a_child_that_cannot_start_is_a_crash_worded_for_the_author(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Python to start (say, the interpreter was removed under a running bot): CheckCrashed, not an OSError."""
    from bot.banks import worker

    monkeypatch.setattr(worker, "_idle", [])
    monkeypatch.setattr(worker.sys, "executable", "/nonexistent/python")
    with pytest.raises(CheckCrashed) as caught:
        await Worker().run(pid)
    assert caught.value.kind == "the job process could not be started"
