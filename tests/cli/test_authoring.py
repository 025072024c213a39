"""``quizbot import``, ``export`` and ``suggest``: files in, files out, and what they print."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.banks.importers.helpers import DATA
from tests.cli.conftest import Invoke

BANK = Path("questions") / "south-caucasus-russia.yaml"
ARTICLE = Path("questions") / "south-caucasus-russia.txt"


def test_import_writes_a_bank_next_to_the_article(invoke: Invoke, workdir: Path) -> None:
    """Import with --article writes a bank whose source.path is relative to it, listing skips and TODOs."""
    shutil.copy(DATA / "caucasus.gift", workdir / "quiz.gift")
    result = invoke(
        "import",
        "quiz.gift",
        "-o",
        "questions/imported.yaml",
        "--article",
        str(ARTICLE),
        "--source-title",
        "Mending fences",
        "--source-author",
        "Anna Matveeva",
        "--author",
        "Me",
        "--bank-id",
        "imported",
    )
    assert result.exit_code == 0, result.output
    assert "quiz.gift: line 57: skipped: an essay question" in result.stderr
    assert "Imported 8 question(s) from quiz.gift; skipped 5; 9 TODO(s) to fill in." in result.stdout
    data = yaml.safe_load((workdir / "questions" / "imported.yaml").read_text(encoding="utf-8"))
    assert data["id"] == "imported"
    assert data["authors"] == ["Me"]
    assert data["source"] == {"title": "Mending fences", "author": "Anna Matveeva", "path": "south-caucasus-russia.txt"}


def test_import_prints_yaml_to_stdout_and_guesses_the_format(invoke: Invoke, workdir: Path) -> None:
    """Without -o the bank goes to stdout (summary to stderr); .json is read as OpenTDB."""
    shutil.copy(DATA / "opentdb.json", workdir / "trivia.json")
    result = invoke("import", "trivia.json")
    assert result.exit_code == 0, result.output
    assert [q["answer"] for q in yaml.safe_load(result.stdout)["questions"]] == ["Baku", "True", "Russia", "False"]
    assert "Imported 4 question(s)" in result.stderr


def test_import_refuses_to_overwrite_without_force(invoke: Invoke, workdir: Path) -> None:
    """An existing output file is kept unless --force is given."""
    shutil.copy(DATA / "caucasus-aiken.txt", workdir / "quiz.txt")
    (workdir / "out.yaml").write_text("keep me", encoding="utf-8")
    refused = invoke("import", "quiz.txt", "--format", "aiken", "-o", "out.yaml")
    assert refused.exit_code == 2
    assert "out.yaml already exists; pass --force" in refused.output
    assert (workdir / "out.yaml").read_text(encoding="utf-8") == "keep me"
    forced = invoke("import", "quiz.txt", "--format", "aiken", "-o", "out.yaml", "--force")
    assert forced.exit_code == 0, forced.output
    assert "prompt: Who is Armenia's prime minister" in (workdir / "out.yaml").read_text(encoding="utf-8")


def test_import_usage_errors(invoke: Invoke, workdir: Path) -> None:
    """An unknown suffix needs --format; a bad --bank-id is refused; an unsafe XML fails with exit 1."""
    (workdir / "quiz.txt").write_text("Q\nA. x\nB. y\nANSWER: A\n", encoding="utf-8")
    assert "pass --format" in invoke("import", "quiz.txt").output
    bad_id = invoke("import", "quiz.txt", "--format", "aiken", "--bank-id", "Not_A_Slug")
    assert bad_id.exit_code == 2
    assert "'Not_A_Slug' is not a valid id" in bad_id.output
    (workdir / "bomb.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa">]><quiz>&a;</quiz>', encoding="utf-8"
    )
    bomb = invoke("import", "bomb.xml")
    assert bomb.exit_code == 1
    assert "bomb.xml: refused unsafe XML" in bomb.stderr


def test_export_then_import_gives_the_bank_back(invoke: Invoke, workdir: Path) -> None:
    """export -o writes GIFT; importing it reproduces a bank that passes `quizbot check`."""
    exported = invoke("export", str(BANK), "-o", "bank.gift")
    assert exported.exit_code == 0, exported.output
    assert "Exported 55 question(s) to bank.gift." in exported.stdout
    assert "::losing-friends::According to the article" in (workdir / "bank.gift").read_text(encoding="utf-8")
    (workdir / "again").mkdir()
    shutil.copy(workdir / ARTICLE, workdir / "again" / ARTICLE.name)
    imported = invoke("import", "bank.gift", "-o", "again/bank.yaml")
    assert imported.exit_code == 0, imported.output
    checked = invoke("check", "again/bank.yaml")
    assert checked.exit_code == 0, checked.output
    assert "1 bank(s), 55 question(s) valid" in checked.output


def test_export_refuses_an_invalid_bank(invoke: Invoke, workdir: Path) -> None:
    """A bank with errors is not exported; its errors are listed."""
    path = workdir / BANK
    path.write_text(path.read_text(encoding="utf-8").replace("answer: The South Caucasus", "answer: Moscow", 1))
    result = invoke("export", str(BANK))
    assert result.exit_code == 1
    assert "questions[0].answer: 'Moscow' is not one of the choices" in result.stderr
    assert "fix the 1 error(s) above before exporting" in result.stderr
    assert result.stdout == ""


def test_suggest_lists_missing_and_wrong_passages(invoke: Invoke, workdir: Path) -> None:
    """Blanked and misquoted passages get numbered suggestions with paragraph and score; found ones none."""
    path = workdir / BANK
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "passage: At a time when Vladimir Putin needs friends in his neighbourhood, he appears instead "
        "to be losing them in the South Caucasus.",
        'passage: ""',
        1,
    )
    text = text.replace(
        "passage: After two centuries of Russian involvement in the region",
        "passage: After two centuries of Russian involvment in the region",
        1,
    )
    path.write_text(text, encoding="utf-8")
    result = invoke("suggest", str(BANK), "-k", "2")
    assert result.exit_code == 1, result.output  # passages are still missing: not a success
    lines = result.stdout.splitlines()
    assert lines[0].endswith("questions[0] 'losing-friends': no passage; the sentences that best answer the question:")
    assert lines[1].startswith("  1. ¶1 ") and "he appears instead to be losing them" in lines[1]
    assert lines[2].startswith("  2. ¶")
    assert lines[3].endswith(
        "questions[1] 'two-centuries-involvement': passage not found; the closest sentences to it:"
    )
    assert lines[4].startswith("  1. ¶1 ") and "After two centuries of Russian involvement" in lines[4]
    assert lines[-1] == "2 question(s) need a passage."
    line_number = int(lines[0].split(":")[1])
    assert text.splitlines()[line_number - 1].strip() == "- id: losing-friends"


def test_suggest_on_a_sound_bank_and_with_article_option(invoke: Invoke, workdir: Path) -> None:
    """A bank whose passages are all found needs nothing; --article stands in for a missing source.path."""
    sound = invoke("suggest", str(BANK))
    assert sound.exit_code == 0
    assert sound.stdout == "Every passage is found in south-caucasus-russia.txt.\n"
    shutil.copy(DATA / "caucasus-aiken.txt", workdir / "quiz.txt")
    assert invoke("import", "quiz.txt", "--format", "aiken", "-o", "new.yaml").exit_code == 0
    no_path = invoke("suggest", "new.yaml")
    assert no_path.exit_code == 1
    assert "source.path" in no_path.stderr
    with_article = invoke("suggest", "new.yaml", "--article", str(ARTICLE))
    assert with_article.exit_code == 1, with_article.output  # three passages to fill in
    assert "Nikol Pashinyan" in with_article.stdout
    assert with_article.stdout.splitlines()[-1] == "3 question(s) need a passage."
