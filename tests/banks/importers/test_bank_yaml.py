"""Writing imported drafts as a bank file: readable YAML, TODOs where needed, loadable once filled in."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.banks import Article, BankError, parse_bank_text
from bot.banks.importers import BankOptions, Format, ImportFailed, import_bank, read_import, render_bank
from bot.banks.importers.form import Draft, Imported

from .helpers import ARTICLE, DATA

ARTICLE_TEXT = ARTICLE.read_text(encoding="utf-8")
OPTIONS = BankOptions(
    source_title="Armenia and Azerbaijan are mending fences",
    source_author="Anna Matveeva",
    source_path="article.txt",
    authors=("Quiz Author",),
)
SAMPLES: list[tuple[str, Format, int]] = [
    ("caucasus.gift", "gift", 8),
    ("caucasus-aiken.txt", "aiken", 3),
    ("opentdb.json", "opentdb", 4),
    ("moodle.xml", "moodle-xml", 2),
]
_SUGGESTION = re.compile(r'^\s*#   ¶\d+ \d+%: (".*")$')


def fill(text: str) -> str:
    """Do what the author is asked to: paste each first suggestion as the passage, and write explanations."""
    lines = text.splitlines()
    first_suggestion: str | None = None
    for index, line in enumerate(lines):
        match = _SUGGESTION.match(line)
        if match and first_suggestion is None:
            first_suggestion = match.group(1)
        if line.strip() == 'passage: ""':
            # No suggestion (a question the article does not cover): quote its first sentence instead.
            quoted = first_suggestion or '"At a time when Vladimir Putin needs friends in his neighbourhood"'
            lines[index] = line.replace('""', quoted)
            first_suggestion = None
        elif line.strip() == 'explanation: ""':
            lines[index] = line.replace('""', "Written by the author.")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("name", "fmt", "count"), SAMPLES)
def test_imported_bank_loads_once_passages_are_filled(name: str, fmt: Format, count: int) -> None:
    """Every format's import, with its TODOs filled from the suggestions, passes the full bank check."""
    text, _ = import_bank((DATA / name).read_bytes(), fmt, OPTIONS, name=name, article=Article(ARTICLE_TEXT))
    with pytest.raises(BankError) as unfilled:
        parse_bank_text(text, name=name, article_text=ARTICLE_TEXT)
    assert all(issue.message.startswith("must not be empty") for issue in unfilled.value.issues)

    bank = parse_bank_text(fill(text), name=name, article_text=ARTICLE_TEXT)

    assert len(bank.questions) == count
    assert bank.source.title == OPTIONS.source_title
    assert bank.authors == ("Quiz Author",)


def test_gift_bank_text_is_readable_and_marks_passages() -> None:
    """The GIFT sample's bank: ids from titles, block-style choices, and a TODO with three suggestions."""
    text, _ = import_bank(
        (DATA / "caucasus.gift").read_bytes(), "gift", OPTIONS, name="caucasus.gift", article=Article(ARTICLE_TEXT)
    )
    data = yaml.safe_load(text)
    assert data["id"] == "caucasus"
    assert data["title"] == OPTIONS.source_title
    assert data["source"] == {
        "title": OPTIONS.source_title,
        "author": "Anna Matveeva",
        "path": "article.txt",
    }
    assert [q["id"] for q in data["questions"]] == [
        "two-centuries",
        "ceded-to-russia",
        "between-which-years-did-armenia-and",
        "abu-dhabi",
        "escapes",
        "peace-treaty",
        "mediator",
        "karabakh-allocation",
    ]
    assert data["questions"][0]["tags"] == ["history"]
    assert "    choices:\n      - Two centuries\n" in text
    assert "    tags: [history]\n" in text
    block = text[text.index("  - id: two-centuries") : text.index("  - id: ceded-to-russia")]
    todo = block[block.index("# TODO passage") :].splitlines()
    assert todo[0].strip() == "# TODO passage: quote the article word for word. Suggestions (paragraph, score):"
    assert [bool(_SUGGESTION.match(line)) for line in todo[1:4]] == [True, True, True]
    assert "After two centuries of Russian involvement in the region" in todo[1]
    assert todo[4].strip() == 'passage: ""'


def test_without_article_or_options_everything_unknown_is_a_todo() -> None:
    """With no options, the bank title, authors, source fields and passages are TODOs the loader refuses."""
    imported = read_import((DATA / "caucasus-aiken.txt").read_bytes(), "aiken")
    text = render_bank(imported, BankOptions(), name="quiz.txt")
    for key in ("title", "author", "path"):
        assert f"  # TODO {key}: " in text
    assert "# TODO title: the bank's title" in text
    assert "# TODO authors: who wrote the questions" in text
    assert text.count("# TODO passage: quote the article word for word (`quizbot suggest`") == 3
    assert text.count("# TODO explanation: why the answer is right") == 3
    assert yaml.safe_load(text)["id"] == "quiz"
    with pytest.raises(BankError) as refused:
        parse_bank_text(text, name="quiz.yaml", article_text=ARTICLE_TEXT)
    fields = {issue.field for issue in refused.value.issues}
    assert {"title", "authors[0]", "source.title", "source.author", "source.path", "questions[0].passage"} <= fields


def test_awkward_text_survives_the_yaml() -> None:
    """Text YAML would misread (yes, numbers, colons, quotes, '#') is written so it reads back exactly."""
    choices = ("yes", "1918", "a: b", "# not a comment")
    imported = Imported(
        drafts=[
            Draft(
                prompt='He said "no": really?',
                choices=choices,
                answer=1,
                where="x",
                explanation="It's 1918 \u2014 see ¶3.",
                passage="quote",
            )
        ]
    )
    text = render_bank(imported, OPTIONS, name="x")
    question = yaml.safe_load(text)["questions"][0]
    assert question["prompt"] == 'He said "no": really?'
    assert question["choices"] == list(choices)
    assert question["answer"] == "1918"
    assert question["explanation"] == "It's 1918 \u2014 see ¶3."


def test_suggestion_quotes_are_valid_yaml() -> None:
    """A suggested sentence holding double quotes and backslashes pastes as a valid YAML string."""
    imported = Imported(drafts=[Draft(prompt="Who said it?", choices=("a", "b"), answer=0, where="x")])
    article = Article('He said "go \\ now" to them.\nOther text.')
    text = render_bank(imported, OPTIONS, name="x", article=article)
    line = next(line for line in text.splitlines() if _SUGGESTION.match(line))
    quoted = _SUGGESTION.match(line)
    assert quoted is not None
    assert yaml.safe_load(quoted.group(1)) == 'He said "go \\ now" to them.'


def test_a_file_with_no_importable_question_fails() -> None:
    """An import that keeps nothing is an error naming the first skipped questions."""
    with pytest.raises(ImportFailed, match=r"no importable question in the file: line 1: skipped: an essay"):
        import_bank(b"Describe. {}", "gift", OPTIONS, name="x.gift")
