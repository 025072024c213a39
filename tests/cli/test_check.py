"""``quizbot check``: validates banks and reports planted errors precisely."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Invoke


def test_shipped_banks_pass(invoke: Invoke) -> None:
    """The banks in questions/ load with no error and exit 0."""
    result = invoke("check")
    assert result.exit_code == 0, result.output
    assert "1 bank(s), 55 question(s) valid" in result.output


def test_planted_error_is_reported_with_file_line_and_field(invoke: Invoke, workdir: Path) -> None:
    """A wrong answer planted in the shipped bank is reported at its line and field, and exits 1."""
    bank = workdir / "questions" / "south-caucasus-russia.yaml"
    lines = bank.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip() == "answer: The South Caucasus")
    lines[index] = lines[index].replace("The South Caucasus", "Moscow")
    bank.write_text("".join(lines), encoding="utf-8")

    result = invoke("check", "questions")

    assert result.exit_code == 1
    column = lines[index].index("Moscow") + 1
    expected = f"{Path('questions') / bank.name}:{index + 1}:{column}: questions[0].answer: 'Moscow' is not one of"
    assert expected in result.output
    assert "0 bank(s), 0 question(s) valid" in result.output
    assert "1 error(s)" in result.output


def test_every_error_of_a_file_is_listed(invoke: Invoke, workdir: Path) -> None:
    """Two planted errors in one file are both reported."""
    bank = workdir / "questions" / "south-caucasus-russia.yaml"
    text = bank.read_text(encoding="utf-8")
    text = text.replace("difficulty: easy", "difficulty: trivial", 1)
    text = text.replace("he appears instead to be losing them", "he appears to be losing them", 1)
    bank.write_text(text, encoding="utf-8")

    result = invoke("check", str(bank))

    assert result.exit_code == 1
    assert "questions[0].difficulty" in result.output
    assert "questions[0].passage: passage not found" in result.output
    assert "2 error(s)" in result.output


def test_missing_path_is_a_usage_error(invoke: Invoke) -> None:
    """A path that does not exist is refused by the command line itself."""
    result = invoke("check", "nowhere.yaml")
    assert result.exit_code == 2
    assert "nowhere.yaml" in result.output
