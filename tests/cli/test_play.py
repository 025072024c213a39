"""``quizbot play``: a full round in the terminal, driven through stdin."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.banks import load_banks
from bot.cli._play import play_in_terminal
from bot.quiz import LETTERS, Scoring
from bot.quiz.deal import deal
from tests.cli.conftest import Invoke

SEED = 1234


def _correct_letters(workdir: Path, count: int) -> list[str]:
    """The letters of the right answers for the round that ``--seed SEED`` plays."""
    banks = load_banks([workdir / "questions"]).banks
    return [LETTERS[q.correct_position] for q in deal(banks, count, SEED)]


def test_full_round_all_correct(invoke: Invoke, workdir: Path) -> None:
    """Answering every question right scores each one, shows explanations and passages, and totals up."""
    letters = _correct_letters(workdir, 5)

    result = invoke("play", "-n", "5", "--seed", str(SEED), stdin="\n".join(letters) + "\n")

    assert result.exit_code == 0, result.output
    assert result.output.count("Correct! +") == 5
    assert result.output.count("Why: ") == 5
    assert result.output.count("\n> ") >= 5
    assert "Question 5/5" in result.output
    assert "5/5 correct · best streak 5" in result.output


def test_wrong_and_invalid_answers(invoke: Invoke, workdir: Path) -> None:
    """A wrong letter shows the right answer, a non-letter records nothing, and neither scores."""
    right = _correct_letters(workdir, 2)
    wrong = next(letter for letter in "ABCD" if letter != right[0])

    result = invoke("play", "-n", "2", "--seed", str(SEED), stdin=f"{wrong}\nzz\n")

    assert result.exit_code == 0, result.output
    assert f"Not quite: you chose {wrong}. The answer was {right[0]})" in result.output
    assert "No answer recorded." in result.output
    assert "0 points · 0/2 correct" in result.output


def test_input_ending_early_ends_the_round(invoke: Invoke) -> None:
    """When stdin runs out, the round ends cleanly instead of hanging."""
    result = invoke("play", "-n", "3", "--seed", str(SEED), stdin="")
    assert result.exit_code == 0
    assert "No more input" in result.output
    # The count is of the questions asked: the input ended during the first of 3.
    assert "You didn't answer the question." in result.output


def test_unknown_bank_is_named(invoke: Invoke) -> None:
    """Asking for a bank that is not loaded lists the banks that are."""
    result = invoke("play", "nope")
    assert result.exit_code == 2
    assert "no bank named 'nope'; loaded banks: south-caucasus-russia" in result.output


def test_more_questions_than_the_bank_has(invoke: Invoke) -> None:
    """A round longer than the bank can deal is refused with the number available (one per related group)."""
    result = invoke("play", "-n", "100", "--seed", "1")
    assert result.exit_code == 2
    assert "only 43 questions are available" in result.output


def test_a_typo_or_a_stray_enter_asks_again(invoke: Invoke, workdir: Path) -> None:
    """``E`` (not a choice), ``hello`` and an empty line re-prompt; the answer typed next counts."""
    right = _correct_letters(workdir, 1)[0]

    result = invoke("play", "-n", "1", "--seed", str(SEED), stdin=f"E\nhello\n\n{right}\n")

    assert result.exit_code == 0, result.output
    assert "'E' is not a choice: type a letter from A to " in result.output
    assert "'hello' is not a choice: type a letter from A to " in result.output
    assert "Nothing typed: type a letter from A to " in result.output
    assert "Correct! +" in result.output and "No answer recorded." not in result.output
    assert "/1 correct" in result.output


def test_the_summary_counts_and_pluralises_the_questions_asked(invoke: Invoke) -> None:
    """With no answer to a one-question round, the summary says so in words that fit one question."""
    result = invoke("play", "-n", "1", "--seed", str(SEED), stdin="\n")
    assert "You didn't answer the question." in result.output
    assert "none of the 1 questions" not in result.output


class _Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_time_running_out_while_waiting_is_shown(workdir: Path) -> None:
    """When the wait for a line reaches the deadline, "Time's up!" shows and the reveal follows at once."""
    banks = load_banks([workdir / "questions"]).banks
    clock = _Clock()
    waits: list[float] = []

    def never_typed(stdin: TextIO, timeout: float) -> str | None:
        waits.append(timeout)
        clock.now += timedelta(seconds=timeout)
        return None

    out = io.StringIO()
    mine = play_in_terminal(
        deal(banks, 2, SEED),
        seconds=15,
        scoring=Scoring(),
        stdin=io.StringIO(""),
        stdout=out,
        clock=clock,
        read=never_typed,
    )
    assert mine is None
    assert waits == [15, 15]  # each wait ends at the question's deadline
    assert out.getvalue().count("⏰ Time's up!") == 2
    assert out.getvalue().count("The answer was ") == 2
    assert "You answered none of the 2 questions." in out.getvalue()


def test_at_a_terminal_the_deadline_interrupts_the_wait(workdir: Path) -> None:
    """``quizbot play -s 1`` at a terminal (a pty) shows "Time's up!" after about a second, with nothing typed."""
    primary, secondary = os.openpty()
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-c", "from bot.cli import main; main()", "play", "-n", "1", "-s", "1", "--seed", "1"],
            stdin=secondary,
            capture_output=True,
            text=True,
            timeout=30,
            cwd=workdir,
            check=False,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert result.returncode == 0, result.stderr
    assert "⏰ Time's up!" in result.stdout
    assert "No answer recorded." in result.stdout and "The answer was " in result.stdout
    assert time.monotonic() - started < 20
