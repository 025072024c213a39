"""``quizbot stats`` and ``quizbot reload``: a bank's analytics from the database, and reloading the folder."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.banks import load_bank
from bot.banks.shipped import PID_FILE
from bot.cli._analytics import render_table
from bot.db import create_engine, create_sessionmaker, repos
from bot.db.migrate import upgrade_database
from bot.db.repos import banks as bank_repo
from bot.quiz import PlayedQuestion, Question
from bot.settings import Settings
from tests.cli.conftest import Invoke
from tests.db.helpers import store_answer

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
GUILD = 1001
OTHER = 1002
BANK = Path("questions") / "south-caucasus-russia.yaml"


def url(workdir: Path) -> str:
    """The database the CLI will read, as its settings resolve it."""
    return Settings(data_dir=workdir / "data").resolved_database_url


async def _play(database: str, guild_id: int, plays: Sequence[tuple[Question, list[int]]]) -> None:
    """Store one finished one-question round per play; each pick is a choice index, answered 2 s in."""
    await upgrade_database(database)
    engine = create_engine(database)
    try:
        async with create_sessionmaker(engine).begin() as session:
            for number, (question, picks) in enumerate(plays):
                at = T0 + timedelta(minutes=number)
                stored = await repos.create_round(
                    session,
                    guild_id=guild_id,
                    channel_id=7,
                    started_by=1,
                    seed=number,
                    seconds=20,
                    bank_ids=[question.bank_id],
                    questions=[PlayedQuestion.shuffled(1, question, number)],
                    started_at=at,
                )
                [row] = stored.questions
                await repos.mark_question_opened(session, row.id, opened_at=at, deadline=at + timedelta(seconds=20))
                results = []
                for user_id, pick in enumerate(picks, start=10):
                    await store_answer(
                        session,
                        repos.NewAnswer(
                            round_question_id=row.id,
                            guild_id=guild_id,
                            user_id=user_id,
                            bank_id=question.bank_id,
                            question_id=question.id,
                            position=list(row.choice_order).index(pick),
                            choice_index=pick,
                            answered_at=at + timedelta(seconds=2),
                            elapsed_ms=2000,
                        ),
                    )
                    right = pick == question.answer
                    results.append(repos.AnswerResult(user_id, right, 500 if right else 0, 1 if right else 0))
                await repos.close_question(session, row.id, at + timedelta(seconds=20), results)
                await repos.finish_round(session, stored.id, ended_at=at + timedelta(seconds=21))
    finally:
        await engine.dispose()


def wrong_index(question: Question) -> int:
    """A choice index that is not the answer."""
    return (question.answer + 1) % len(question.choices)


def test_stats_of_a_shipped_bank_flag_questions(invoke: Invoke, workdir: Path) -> None:
    """Per question: asks, answers, share right, time, favourite wrong choice; 0% and 100% are flagged."""
    bank = load_bank(workdir / BANK)
    hard, easy = bank.questions[0], bank.questions[1]
    plays = [(hard, [wrong_index(hard)])] * 3 + [(easy, [easy.answer, easy.answer])] * 3
    asyncio.run(_play(url(workdir), GUILD, plays))

    result = invoke("stats", bank.id)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{bank.title} ({bank.id}, shipped, every server): {len(bank.questions)} question(s)"
    rows = {line.split()[0]: line for line in lines[2:-1]}
    wrong_text = hard.choices[wrong_index(hard)]
    assert rows[hard.id].split()[1:5] == ["3", "3", "0%", "2.0"]
    assert f"{wrong_text} (3)" in rows[hard.id] and rows[hard.id].endswith("nobody gets it")
    assert rows[easy.id].split()[1:5] == ["3", "6", "100%", "2.0"]
    assert rows[easy.id].endswith("everybody gets it")
    unplayed = rows[bank.questions[2].id].split()
    assert unplayed[1:5] == ["0", "0", "-", "-"]
    assert lines[-1] == "2 question(s) flagged."


def test_stats_can_be_limited_to_one_server(invoke: Invoke, workdir: Path) -> None:
    """--guild counts only that server's rounds."""
    bank = load_bank(workdir / BANK)
    question = bank.questions[0]
    asyncio.run(_play(url(workdir), GUILD, [(question, [question.answer])]))
    asyncio.run(_play(url(workdir), OTHER, [(question, [wrong_index(question)])] * 2))
    result = invoke("stats", bank.id, "--guild", str(OTHER))
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith(question.id))
    assert row.split()[1:4] == ["2", "2", "0%"]


async def _upload(database: str, guild_id: int, yaml_text: str, article: str) -> None:
    await upgrade_database(database)
    engine = create_engine(database)
    try:
        async with create_sessionmaker(engine).begin() as session:
            await bank_repo.store_version(
                session,
                guild_id=guild_id,
                bank_id="testland",
                title="Testland",
                question_count=1,
                yaml_text=yaml_text,
                filename="testland.yaml",
                article_name="testland.txt",
                article_text=article,
                uploaded_by=1,
                uploaded_at=T0,
            )
    finally:
        await engine.dispose()


TESTLAND = """id: testland
title: Testland
authors: [Me]
source: {title: Testland, author: A Writer, path: testland.txt}
questions:
  - id: capital
    prompt: What is the capital of Testland?
    choices: [Bigtown, Smallville]
    answer: Bigtown
    explanation: The article says so.
    passage: The capital of Testland is Bigtown
"""


def test_stats_of_an_uploaded_bank(invoke: Invoke, workdir: Path) -> None:
    """An uploaded bank is found in the server that uploaded it; two servers with the id need --guild."""
    asyncio.run(_upload(url(workdir), GUILD, TESTLAND, "The capital of Testland is Bigtown."))
    result = invoke("stats", "testland")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"Testland (testland, uploaded to server {GUILD}, version 1): 1 question(s)"

    asyncio.run(_upload(url(workdir), OTHER, TESTLAND, "The capital of Testland is Bigtown."))
    ambiguous = invoke("stats", "testland")
    assert ambiguous.exit_code == 1
    assert f"servers {GUILD}, {OTHER} each uploaded a bank 'testland': pick one with --guild" in ambiguous.stderr
    assert invoke("stats", "testland", "--guild", str(OTHER)).exit_code == 0


def test_stats_of_an_unknown_bank(invoke: Invoke, workdir: Path) -> None:
    """A bank neither shipped nor uploaded is an error naming the shipped ones."""
    asyncio.run(upgrade_database(url(workdir)))
    result = invoke("stats", "nope")
    assert result.exit_code == 1
    assert "no bank 'nope' is shipped in questions nor uploaded to any server" in result.stderr
    assert "shipped banks: south-caucasus-russia" in result.stderr


def test_stats_without_a_database(invoke: Invoke, workdir: Path) -> None:
    """Before the bot or `quizbot db upgrade` created the database, stats says what to do."""
    result = invoke("stats", "south-caucasus-russia")
    assert result.exit_code == 1
    assert "run `quizbot db upgrade`" in result.stderr
    assert not (workdir / "data" / "quizbot.sqlite3").exists()


def test_render_table_of_nothing_is_a_header() -> None:
    """A bank with no questions to report renders just the header."""
    assert render_table([]) == [
        "question  asked  answers  right      avg  most-picked wrong               flag",
    ]


def test_reload_checks_and_finds_no_running_bot(invoke: Invoke, workdir: Path) -> None:
    """Reload validates the folder; without a bot's pid file it says how the bot will pick the banks up."""
    result = invoke("reload")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "1 bank(s) valid in questions; 0 problem(s)."
    assert "No running bot found" in result.stdout
    assert invoke("reload", "--check-only").stdout.strip() == "1 bank(s) valid in questions; 0 problem(s)."


def test_reload_reports_a_broken_file(invoke: Invoke, workdir: Path) -> None:
    """A broken file is reported as `quizbot check` reports it, and the exit status is 1."""
    path = workdir / BANK
    path.write_text(path.read_text(encoding="utf-8").replace("answer: The South Caucasus", "answer: Moscow", 1))
    result = invoke("reload", "--check-only")
    assert result.exit_code == 1
    assert "questions/south-caucasus-russia.yaml:" in result.stderr
    assert "'Moscow' is not one of the choices" in result.stderr
    assert result.stdout.strip() == "0 bank(s) valid in questions; 1 problem(s)."


def test_reload_never_signals_a_stale_pid(invoke: Invoke, workdir: Path) -> None:
    """A pid file naming a process that is gone, or is not quizbot, is not signalled."""
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    (workdir / "data").mkdir(exist_ok=True)
    (workdir / "data" / PID_FILE).write_text(finished.stdout.decode(), encoding="utf-8")
    assert "No running bot found" in invoke("reload").stdout

    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (workdir / "data" / PID_FILE).write_text(f"{stranger.pid}\n", encoding="utf-8")
        assert "No running bot found" in invoke("reload").stdout
        assert stranger.poll() is None  # still running: it got no SIGHUP
    finally:
        stranger.kill()
        stranger.wait()
