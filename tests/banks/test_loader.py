"""Loading banks: the engine's Bank built from a good file, many files at once, and banks from text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.banks import ArticleFiles, BankError, load_bank, load_banks, parse_bank_text
from bot.quiz import Difficulty, Source

from .helpers import EXCERPT, GOOD_BANK, WriteBank


def test_good_bank_becomes_an_engine_bank(write_bank: WriteBank) -> None:
    """Every field of a good bank reaches the engine's Bank and Questions."""
    bank = load_bank(write_bank())
    source = Source(
        "Putin is losing friends in the South Caucasus", "Anna Matveeva", "https://theconversation.com/example"
    )
    assert (bank.id, bank.title, bank.source) == ("south-caucasus-russia", "Russia and the South Caucasus", source)
    assert bank.description == "Armenia, Azerbaijan and Russia's fading role."
    assert (bank.authors, bank.language, bank.seconds, bank.points) == (("quizbot contributors",), "en", 20, 1000)
    assert bank.question_ids == ("losing-friends", "ceasefire")
    first = bank.question("losing-friends")
    assert first.bank_id == "south-caucasus-russia"
    assert first.choices == ("Central Asia", "The South Caucasus", "The Baltic states", "The Balkans")
    assert first.answer == 1
    assert first.correct_choice == "The South Caucasus"
    assert first.paragraph == 1
    assert first.difficulty is Difficulty.EASY
    assert first.tags == ("russia", "overview")
    assert first.source == source


def test_numbers_as_choices_stay_text(write_bank: WriteBank) -> None:
    """`choices: [1988, 1994, 2000]` with `answer: 1994` gives text choices and the right answer index."""
    question = load_bank(write_bank()).question("ceasefire")
    assert question.choices == ("1988", "1994", "2000")
    assert question.answer == 1
    assert question.paragraph == 6


def test_yes_no_and_friends_stay_the_words_written(write_bank: WriteBank) -> None:
    """`yes`, `no`, `on`, `off`, `1.10` and `007` as choices are those strings, not booleans or numbers."""
    text = GOOD_BANK.replace("[1988, 1994, 2000]", "[yes, no, on, 1.10, 007]").replace("answer: 1994", "answer: no")
    question = load_bank(write_bank(text)).question("ceasefire")
    assert question.choices == ("yes", "no", "on", "1.10", "007")
    assert question.correct_choice == "no"


def test_optional_fields_have_defaults(write_bank: WriteBank) -> None:
    """Without defaults, description, language, difficulty and tags, the engine's defaults apply."""
    text = GOOD_BANK
    for line in [
        "description: Armenia, Azerbaijan and Russia's fading role.\n",
        "language: en\n",
        "defaults:\n  seconds: 20\n  points: 1000\n",
        "    difficulty: medium\n",
        "    tags: [war]\n",
    ]:
        assert line in text
        text = text.replace(line, "")
    bank = load_bank(write_bank(text))
    assert (bank.description, bank.language, bank.seconds, bank.points) == ("", "en", None, None)
    question = bank.question("ceasefire")
    assert (question.difficulty, question.tags) == (Difficulty.MEDIUM, ())


def test_related_groups_reach_the_engine_bank(write_bank: WriteBank) -> None:
    """A bank's related groups become the engine bank's groups, so the deck keeps them apart."""
    bank = load_bank(write_bank(GOOD_BANK + "related:\n  - [losing-friends, ceasefire]\n"))
    assert bank.related == (("losing-friends", "ceasefire"),)
    assert bank.round_capacity == 1


def test_missing_bank_file_is_an_issue(tmp_path: Path) -> None:
    """load_bank on a path that does not exist raises BankError, not OSError."""
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path / "nope.yaml")
    (issue,) = caught.value.issues
    assert "cannot be read" in issue.message


def test_duplicate_bank_ids_across_files_are_reported_on_the_second(write_bank: WriteBank, bank_dir: Path) -> None:
    """Two files with the same bank id: the first loads, the second is refused naming the first."""
    first = write_bank(name="a.yaml")
    second = write_bank(name="b.yaml")
    report = load_banks([bank_dir])
    assert [bank.id for bank in report.banks] == ["south-caucasus-russia"]
    (issue,) = report.issues
    assert (issue.path, issue.line, issue.column, issue.field) == (str(second), 1, 5, "id")
    assert issue.message == f"bank id 'south-caucasus-russia' is already used by {first}"


def test_load_banks_keeps_the_good_banks_when_one_is_broken(write_bank: WriteBank, bank_dir: Path) -> None:
    """A broken bank is left out whole, with all its issues, while the others load."""
    write_bank(GOOD_BANK.replace("south-caucasus-russia", "first"), name="1.yaml")
    broken = write_bank(GOOD_BANK.replace("answer: 1994", "answer: 1995").replace("seconds: 20", "seconds: 1"), "2.yml")
    write_bank(GOOD_BANK.replace("south-caucasus-russia", "third"), name="3.yaml")
    report = load_banks([bank_dir])
    assert [bank.id for bank in report.banks] == ["first", "third"]
    assert [(issue.path, issue.field) for issue in report.issues] == [
        (str(broken), "defaults.seconds"),
        (str(broken), "questions[1].answer"),
    ]
    assert not report.ok


def test_load_banks_takes_files_and_directories_once_each(write_bank: WriteBank, bank_dir: Path) -> None:
    """Files and directories mix; a file reached twice is loaded once; other suffixes are ignored."""
    path = write_bank()
    (bank_dir / "notes.txt").write_text("not a bank", encoding="utf-8")
    report = load_banks([path, bank_dir])
    assert report.ok
    assert [bank.id for bank in report.banks] == ["south-caucasus-russia"]


def test_load_banks_reports_a_path_that_does_not_exist(tmp_path: Path) -> None:
    """A missing path is an issue, not an exception."""
    report = load_banks([tmp_path / "missing"])
    assert report.banks == []
    assert [issue.message for issue in report.issues] == ["no such file or directory"]


def test_load_banks_reads_each_article_once(
    write_bank: WriteBank, bank_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Banks sharing a source file share one parsed Article within a load_banks call."""
    for name in ("a", "b", "c"):
        write_bank(GOOD_BANK.replace("south-caucasus-russia", name), name=f"{name}.yaml")
    reads: list[Path] = []
    original = ArticleFiles._read

    def counting(self: ArticleFiles, full: Path, relative: str) -> str:
        reads.append(full)
        return original(self, full, relative)

    monkeypatch.setattr(ArticleFiles, "_read", counting)
    report = load_banks([bank_dir])
    assert len(report.banks) == 3
    assert reads == [bank_dir / "article.txt"]


def test_source_that_is_not_utf8_is_an_issue(write_bank: WriteBank, bank_dir: Path) -> None:
    """An article that is not UTF-8 text is reported on the bank's source.path."""
    (bank_dir / "article.txt").write_bytes(b"caf\xe9\n")
    with pytest.raises(BankError) as caught:
        load_bank(write_bank())
    (issue,) = caught.value.issues
    assert (issue.field, issue.line) == ("source.path", 10)
    assert "is not valid UTF-8 text (byte 0xe9 at offset 3)" in issue.message


def test_parse_bank_text_checks_against_given_article_text() -> None:
    """A bank given as text (an upload) is checked against article text given alongside, no files needed."""
    bank = parse_bank_text(GOOD_BANK, name="upload.yaml", article_text=EXCERPT.read_text(encoding="utf-8"))
    assert bank.question("ceasefire").paragraph == 6


def test_parse_bank_text_reports_missing_passages_against_given_text() -> None:
    """Passages are verified against the given article text, and issues use the given name."""
    with pytest.raises(BankError) as caught:
        parse_bank_text(GOOD_BANK, name="upload.yaml", article_text="Something else entirely.")
    assert [(issue.path, issue.field) for issue in caught.value.issues] == [
        ("upload.yaml", "questions[0].passage"),
        ("upload.yaml", "questions[1].passage"),
    ]


def test_parse_bank_text_reads_the_source_relative_to_base_dir(bank_dir: Path) -> None:
    """With a base directory instead of article text, source.path is read from there."""
    bank = parse_bank_text(GOOD_BANK.encode(), name="x.yaml", base_dir=bank_dir)
    assert bank.question("losing-friends").paragraph == 1


def test_parse_bank_text_without_an_article_refuses_the_bank() -> None:
    """With neither article text nor a directory, passages cannot be verified, so the bank is refused."""
    with pytest.raises(BankError) as caught:
        parse_bank_text(GOOD_BANK, name="x.yaml")
    (issue,) = caught.value.issues
    assert issue.field == "source.path"
    assert "passages cannot be checked" in issue.message


def test_max_bytes_is_configurable(write_bank: WriteBank) -> None:
    """load_bank and load_banks honour max_bytes."""
    path = write_bank()
    with pytest.raises(BankError, match="the limit is 100 bytes"):
        load_bank(path, max_bytes=100)
    assert load_banks([path], max_bytes=100).issues[0].message.endswith("the limit is 100 bytes")
