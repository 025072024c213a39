"""docs/authors.md, followed word for word, ends with a valid bank: its files, commands and outputs are true."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main

ROOT = Path(__file__).parents[2]
GUIDE = (ROOT / "docs" / "authors.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    """The guide's fenced code blocks of one language, in order."""
    return re.findall(rf"```{language}\n(.*?)```", GUIDE, flags=re.DOTALL)


def run(*args: str) -> tuple[int, str]:
    """``quizbot ARGS`` in the current folder: exit code and output."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_the_walk_through_ends_with_a_valid_bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder, the copied article, the schema, the bank, check, suggest, the passage, check again."""
    monkeypatch.chdir(tmp_path)
    shell = blocks("sh")
    assert shell[0] == "mkdir my-banks\ncp questions/south-caucasus-russia.txt my-banks/\n"
    (tmp_path / "my-banks").mkdir()
    shutil.copy(ROOT / "questions" / "south-caucasus-russia.txt", tmp_path / "my-banks")
    assert shell[1] == ".venv/bin/quizbot schema > my-banks/bank.schema.json\n"
    code, schema = run("schema")
    assert code == 0
    (tmp_path / "my-banks" / "bank.schema.json").write_text(schema, encoding="utf-8")

    first, passage = blocks("yaml")[:2]
    assert first.startswith("# yaml-language-server: $schema=bank.schema.json\n")
    monkeypatch.chdir(tmp_path / "my-banks")
    Path("caucasus-extra.yaml").write_text(first, encoding="utf-8")

    console = blocks("console")
    check_shown, suggest_shown = console[0].splitlines(), console[1].splitlines()
    code, output = run("check", "caucasus-extra.yaml")
    assert code == 1
    assert output.splitlines()[0] == check_shown[2]
    code, output = run("suggest", "caucasus-extra.yaml", "-k", "2")
    assert code == 1
    assert output.splitlines() == suggest_shown[1:]

    Path("caucasus-extra.yaml").write_text(first.replace('    passage: ""\n', passage), encoding="utf-8")
    code, output = run("check", "caucasus-extra.yaml")
    assert code == 0, output
    assert output.splitlines()[-1].startswith("1 bank(s), 1 question(s) valid")
    assert "OWNER" not in GUIDE
