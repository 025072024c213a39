"""``quizbot check``: validates banks and reports planted errors precisely."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.banks import load_bank
from tests.cli.conftest import Invoke
from tests.cli.test_analytics import GUILD, _play, url, wrong_index


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


ARTICLE = "Bigtown is the capital of Testland. The Long river flows through Bigtown to the sea. It is wide."
CUED = """\
id: testland
title: Testland
authors: [Me]
source: {title: A guide to Testland, author: A Writer, path: testland.txt}
questions:
  - id: capital
    prompt: What is the capital of Testland?
    choices: [Bigtown, Smalltown]
    answer: Bigtown
    explanation: The guide says so.
    passage: Bigtown is the capital of Testland.
  - id: river
    prompt: What flows through the capital?
    choices: [The Long river flows through it to the sea, A canal]
    answer: The Long river flows through it to the sea
    explanation: The Long river flows through Bigtown.
    passage: It is wide.
"""


def write_testland(folder: Path, text: str = CUED) -> Path:
    """A test-owned bank and its article in ``folder``; returns the bank's path."""
    folder.mkdir(exist_ok=True)
    (folder / "testland.txt").write_text(ARTICLE, encoding="utf-8")
    bank = folder / "testland.yaml"
    bank.write_text(text, encoding="utf-8")
    return bank


def test_warnings_are_grouped_with_file_line_and_question_and_do_not_fail(invoke: Invoke, workdir: Path) -> None:
    """A valid bank with cues loads (exit 0); each warning names its file, line, field and question, by kind."""
    bank = write_testland(workdir / "testland")

    result = invoke("check", str(bank))

    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "length cue (1):"
    assert lines[1].startswith(f"  {bank}:15:13: questions[1].answer [river]: the answer (42 characters)")
    assert lines[2] == "leak (1):"
    assert lines[3].startswith(f"  {bank}:16:18: questions[1].explanation [river]: the explanation gives away")
    assert lines[4] == "passage (2):"
    assert "questions[1].passage [river]: the passage begins with 'It'" in lines[5]
    assert "questions[1].passage [river]: the passage has 3 word(s)" in lines[6]
    assert (
        "testland: picking the longest choice scores 50% (guessing 50%); 1 leak or duplicate pair(s)" in result.stdout
    )
    assert "  - [capital, river]" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("1 bank(s), 2 question(s) valid in ")
    assert result.stdout.rstrip().endswith("; 4 warning(s).")


def test_strict_makes_warnings_errors(invoke: Invoke, workdir: Path) -> None:
    """With --strict the same bank fails the check; a bank without warnings still passes."""
    bank = write_testland(workdir / "testland")
    result = invoke("check", "--strict", str(bank))
    assert result.exit_code == 1
    assert "4 warning(s) (errors with --strict)." in result.stderr

    clean = CUED.replace("[The Long river flows through it to the sea, A canal]", "[The Long river, A canal]")
    clean = clean.replace("answer: The Long river flows through it to the sea", "answer: The Long river")
    clean = clean.replace("explanation: The Long river flows through Bigtown.", "explanation: The guide names it.")
    clean = clean.replace("passage: It is wide.", "passage: The Long river flows through Bigtown to the sea.")
    clean += "related:\n  - [capital, river]\n"
    result = invoke("check", "--strict", str(write_testland(workdir / "clean", clean)))
    assert result.exit_code == 0, result.output
    assert "0 leak or duplicate pair(s); 0 warning(s)" in result.stdout


def test_the_shipped_banks_pass_strict(invoke: Invoke) -> None:
    """questions/ passes `quizbot check --strict`, as CI runs it."""
    result = invoke("check", "--strict", "questions")
    assert result.exit_code == 0, result.output
    assert "0 warning(s)" in result.stdout


def test_play_data_checks_difficulty_labels_against_a_seeded_store(invoke: Invoke, workdir: Path) -> None:
    """With --play-data, a question labelled easy that players keep getting wrong is warned about."""
    bank_path = write_testland(
        workdir / "testland",
        CUED.replace(
            "    passage: Bigtown is the capital", "    difficulty: easy\n    passage: Bigtown is the capital"
        ),
    )
    bank = load_bank(bank_path)
    capital = bank.question("capital")
    asyncio.run(_play(url(workdir), GUILD, [(capital, [wrong_index(capital)] * 8 + [capital.answer] * 2)]))

    result = invoke("check", "--play-data", str(bank_path))

    assert result.exit_code == 0, result.output
    assert "difficulty (1):" in result.stderr
    assert (
        f"{bank_path}:11:17: questions[0].difficulty [capital]: labelled easy, but 20% of 10 answers were right: "
        "hard fits better"
    ) in result.stderr


def test_play_data_without_a_database_is_a_usage_error(invoke: Invoke, workdir: Path) -> None:
    """--play-data before the bot ever ran says the database is missing, and checks nothing half-way."""
    result = invoke("check", "--play-data")
    assert result.exit_code == 2
    assert "--play-data: the database at" in result.output and "missing or not migrated" in result.output
