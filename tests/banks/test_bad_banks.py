"""A table of broken banks: each must be refused with the right message, line and field."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from bot.banks import BankError, BankIssue, load_bank

from .helpers import GOOD_BANK, WriteBank

Edit = Callable[[str], str | bytes]


def sub(old: str, new: str) -> Edit:
    """Replace the one occurrence of ``old`` in the good bank."""

    def edit(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} must occur exactly once in the good bank"
        return text.replace(old, new)

    return edit


def cut_from(marker: str, tail: str = "") -> Edit:
    """Drop everything from ``marker`` on, and append ``tail``."""
    return lambda text: text[: text.index(marker)] + tail


def whole(content: str | bytes) -> Edit:
    """Ignore the good bank and use ``content``."""
    return lambda _text: content


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join([f'*{chr(97 + level)}'] * 10)}]\n" for level in range(8)
)


@dataclass(frozen=True)
class Case:
    edit: Edit
    field: str
    line: int | None
    message: str


CASES: dict[str, Case] = {
    "syntax error": Case(sub("title: Russia and", "title: [Russia and"), "", 3, "YAML syntax error"),
    "unknown top-level key": Case(
        sub("language: en\n", "language: en\nlicence: MIT\n"), "licence", 6, "unknown field 'licence'"
    ),
    "unknown question key, with suggestion": Case(
        sub("difficulty: easy", "dificulty: easy"),
        "questions[0].dificulty",
        25,
        "unknown field 'dificulty'; did you mean 'difficulty'?",
    ),
    "unknown source key, with suggestion": Case(
        sub("path: article.txt\n", "path: article.txt\n  publsher: The Conversation\n"),
        "source.publsher",
        11,
        "unknown field 'publsher'; did you mean 'publisher'?",
    ),
    "missing question id": Case(
        sub("  - id: losing-friends\n    prompt", "  - prompt"), "questions[0].id", 15, "required field 'id' is missing"
    ),
    "missing bank id": Case(sub("id: south-caucasus-russia\n", ""), "id", 1, "required field 'id' is missing"),
    "missing questions": Case(cut_from("questions:"), "questions", 1, "required field 'questions' is missing"),
    "empty questions list": Case(cut_from("questions:", "questions: []\n"), "questions", 14, "has 0 questions"),
    "bad slug id": Case(
        sub("id: south-caucasus-russia", "id: South_Caucasus"), "id", 1, "'South_Caucasus' is not a valid id"
    ),
    "duplicate question id": Case(
        sub("id: ceasefire", "id: losing-friends"),
        "questions[1].id",
        27,
        "duplicate question id 'losing-friends'; questions[0] (line 15) already uses it",
    ),
    "duplicate YAML key": Case(
        sub("difficulty: easy\n", "difficulty: easy\n    difficulty: hard\n"),
        "questions[0].difficulty",
        26,
        "duplicate key 'difficulty' (first given on line 25)",
    ),
    "one choice": Case(sub("[1988, 1994, 2000]", "[1994]"), "questions[1].choices", 29, "too few choices: 1"),
    "six choices": Case(
        sub("[1988, 1994, 2000]", "[1988, 1994, 2000, 2001, 2002, 2003]"),
        "questions[1].choices",
        29,
        "too many choices: 6; at most 5",
    ),
    "duplicate choices, ignoring case and spaces": Case(
        sub("- The Balkans", '- "  the SOUTH caucasus "'),
        "questions[0].choices[3]",
        21,
        "'  the SOUTH caucasus ' repeats the choice 'The South Caucasus'",
    ),
    "answer not among the choices": Case(
        sub("answer: 1994", "answer: 1995"), "questions[1].answer", 30, "'1995' is not one of the choices"
    ),
    "answer matches a choice only by case": Case(
        sub("answer: The South Caucasus", "answer: the south caucasus"),
        "questions[0].answer",
        22,
        "'the south caucasus' is not one of the choices; did you mean 'The South Caucasus'?",
    ),
    "empty prompt": Case(
        sub("prompt: According to the article, where does Putin appear to be losing friends?", 'prompt: ""'),
        "questions[0].prompt",
        16,
        "must not be empty",
    ),
    "whitespace-only explanation": Case(
        sub("explanation: The war raged from 1988 to 1994, when Russia brokered a ceasefire.", 'explanation: "   "'),
        "questions[1].explanation",
        31,
        "must not be empty or only whitespace",
    ),
    "choice over 80 characters": Case(
        sub("- The Balkans", "- " + "B" * 81),
        "questions[0].choices[3]",
        21,
        "is too long: 81 characters; the limit is 80 (a Discord button label)",
    ),
    "prompt too long": Case(
        sub("prompt: According", "prompt: " + "w" * 1001 + " According"),
        "questions[0].prompt",
        16,
        "is too long: 1,073 characters; the limit is 1,000",
    ),
    "passage too long": Case(
        sub("passage: he appears", "passage: " + "p" * 1001 + " he appears"),
        "questions[0].passage",
        24,
        "the limit is 1,000",
    ),
    "bad difficulty": Case(
        sub("difficulty: medium", "difficulty: impossible"),
        "questions[1].difficulty",
        33,
        "'impossible' is not allowed; use one of 'easy', 'medium' or 'hard'",
    ),
    "seconds out of range": Case(sub("seconds: 20", "seconds: 3"), "defaults.seconds", 12, "must be at least 5, not 3"),
    "points out of range": Case(sub("points: 1000", "points: 20000"), "defaults.points", 13, "must be at most 10000"),
    "points not a number": Case(
        sub("points: 1000", "points: lots"), "defaults.points", 13, "must be a whole number, not 'lots'"
    ),
    "passage not found, with the closest sentence": Case(
        sub("passage: In 1994, after", "passage: In 1994, following"),
        "questions[1].passage",
        32,
        "passage not found in article.txt; closest sentence (¶6, ",
    ),
    "passage with skipped words": Case(
        sub("passage: In 1994, after more than 30,000 casualties,", "passage: In 1994,"),
        "questions[1].passage",
        32,
        '"In 1994, after more than 30,000 casualties, Russia brokered a ceasefire."',
    ),
    "passage with an ellipsis": Case(
        sub("passage: In 1994, after more than 30,000 casualties,", "passage: In 1994 ... "),
        "questions[1].passage",
        32,
        "an ellipsis cannot stand for skipped words",
    ),
    "source file missing": Case(
        sub("path: article.txt", "path: missing.txt"), "source.path", 10, "source file 'missing.txt' not found"
    ),
    "source path missing": Case(sub("  path: article.txt\n", ""), "source.path", 7, "required field 'path' is missing"),
    "source path absolute": Case(sub("path: article.txt", "path: /etc/hostname"), "source.path", 10, "absolute path"),
    "tags not a list": Case(sub("tags: [war]", "tags: war"), "questions[1].tags", 34, "must be a list"),
    "tag not a slug": Case(
        sub("tags: [war]", "tags: [War Crimes]"), "questions[1].tags[0]", 34, "'War Crimes' is not a valid id"
    ),
    "null answer": Case(sub("answer: 1994", "answer: null"), "questions[1].answer", 30, "has no value"),
    "empty answer": Case(sub("answer: 1994", "answer:"), "questions[1].answer", 30, "has no value"),
    "mapping where text is expected": Case(
        sub("title: Russia and the South Caucasus", "title: {text: Russia}"), "title", 2, "must be text, not a mapping"
    ),
    "bad url": Case(sub("url: https://", "url: ftp://"), "source.url", 9, "must be an http:// or https:// URL"),
    "bad language tag": Case(sub("language: en", "language: English please"), "language", 5, "BCP 47"),
    "no authors": Case(sub("authors: [quizbot contributors]", "authors: []"), "authors", 4, "has 0 items; at least 1"),
    "top-level list": Case(whole("- id: x\n- id: y\n"), "", 1, "a bank file must be a mapping of fields"),
    "question that is a string": Case(
        cut_from("  - id: ceasefire", "  - In which year was the ceasefire?\n"),
        "questions[1]",
        27,
        "a question must be a mapping of fields (id, prompt, choices, ...), not 'In which year was the ceasefire?'",
    ),
    "merge key": Case(sub("defaults:\n", "defaults:\n  <<: {seconds: 20}\n"), "defaults", 12, "merge keys"),
    "empty file": Case(whole(""), "", 1, "the file is empty"),
    "two YAML documents": Case(lambda text: text + "---\nid: other\n", "", 35, "expected a single document"),
    "alias bomb": Case(whole(ALIAS_BOMB), "", 1, "anchors and aliases expand to more than 10,000 values"),
    "file over the size limit": Case(
        lambda text: text + "#" + "x" * 1_000_000 + "\n", "", None, "the limit is 1,000,000 bytes"
    ),
    "non-UTF-8 bytes": Case(
        lambda text: text.encode().replace(b"Anna", b"Ann\xe9"), "", 8, "not valid UTF-8 text (byte 0xe9)"
    ),
    "related group naming an unknown question": Case(
        lambda text: text + "related:\n  - [losing-friends, ceasefir]\n",
        "related[0][1]",
        36,
        "'ceasefir' is not the id of a question in this bank; did you mean 'ceasefire'?",
    ),
    "question twice in a related group": Case(
        lambda text: text + "related:\n  - [losing-friends, ceasefire, ceasefire]\n",
        "related[0][2]",
        36,
        "'ceasefire' is already earlier in this group; a question belongs to one group at most",
    ),
    "related group of one": Case(lambda text: text + "related:\n  - [ceasefire]\n", "related[0]", 36, "at least 2"),
    "nested too deeply": Case(sub("tags: [war]", "tags: " + "[" * 40 + "]" * 40), "", 34, "nested more than 32 levels"),
}


def issues_of(write_bank: WriteBank, edit: Edit) -> list[BankIssue]:
    path = write_bank(edit(GOOD_BANK))
    with pytest.raises(BankError) as caught:
        load_bank(path)
    return caught.value.issues


def test_the_good_bank_loads(write_bank: WriteBank) -> None:
    """The bank every case edits is valid, so each case's error comes from its edit alone."""
    assert load_bank(write_bank()).id == "south-caucasus-russia"


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_bank_is_refused_with_one_precise_issue(write_bank: WriteBank, case: Case) -> None:
    """Each broken bank is refused with exactly one issue naming the field, the line and the problem."""
    issues = issues_of(write_bank, case.edit)
    assert len(issues) == 1, "\n".join(map(str, issues))
    issue = issues[0]
    assert issue.field == case.field
    assert issue.line == case.line
    assert case.message in issue.message
    assert issue.path.endswith("bank.yaml")


def test_at_least_thirty_bad_banks() -> None:
    """The table covers at least thirty distinct ways to break a bank."""
    assert len(CASES) >= 30


def test_alias_bomb_is_refused_quickly(write_bank: WriteBank) -> None:
    """A billion-laughs document (10^9 values once expanded) is refused in well under a second."""
    started = time.perf_counter()
    issues_of(write_bank, whole(ALIAS_BOMB))
    assert time.perf_counter() - started < 1.0


def test_several_errors_in_one_file_are_all_reported(write_bank: WriteBank) -> None:
    """One load reports every problem of a file, in file order, not just the first."""
    text = GOOD_BANK
    for old, new in [
        ("id: south-caucasus-russia", "id: Bad Id"),
        ("seconds: 20", "seconds: 500"),
        ("    dificulty", "    dificulty"),
        ("difficulty: easy", "dificulty: easy"),
        ("answer: 1994", "answer: 1995"),
        ("passage: In 1994, after", "passage: In 1994, before"),
    ]:
        text = text.replace(old, new)
    issues = issues_of(write_bank, whole(text))
    assert [(issue.line, issue.field) for issue in issues] == [
        (1, "id"),
        (12, "defaults.seconds"),
        (25, "questions[0].dificulty"),
        (30, "questions[1].answer"),
        (32, "questions[1].passage"),
    ]


def test_a_question_in_two_related_groups_is_reported_in_the_later_group(write_bank: WriteBank) -> None:
    """Each question listed again in a second related group is reported there, naming the first group."""
    extra = "related:\n  - [losing-friends, ceasefire]\n  - [ceasefire, losing-friends]\n"
    issues = issues_of(write_bank, lambda text: text + extra)
    assert [(issue.field, issue.line) for issue in issues] == [("related[1][0]", 37), ("related[1][1]", 37)]
    assert all("is already in related[0]" in issue.message for issue in issues)


def test_issue_is_printed_like_a_compiler_error(write_bank: WriteBank) -> None:
    """An issue prints as path:line:column: field: message, with the user's value quoted."""
    (issue,) = issues_of(write_bank, sub("answer: 1994", "answer: Moscow"))
    assert str(issue) == f"{issue.path}:30:13: questions[1].answer: 'Moscow' is not one of the choices"
