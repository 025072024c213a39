"""``quizbot play``: a full round in the terminal, driven through stdin."""

from __future__ import annotations

from pathlib import Path

from bot.banks import load_banks
from bot.quiz import LETTERS
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
    assert "You answered none of the 3 questions." in result.output


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
