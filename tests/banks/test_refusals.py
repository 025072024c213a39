"""Banks that must be refused though they parse: look-alike choices, invisible or control characters,
passages too short to prove anything, numbers written oddly; and an alias reported where it is written."""

from __future__ import annotations

import unicodedata

import pytest

from bot.banks import BankError, load_bank
from bot.banks.loader import parse_bank_text
from bot.banks.text import INVISIBLE_RANGES, as_seen, comparable, is_invisible

from .helpers import EXCERPT, GOOD_BANK, WriteBank
from .test_bad_banks import Case, issues_of, sub

CHOICES = "      - Central Asia\n      - The South Caucasus\n"


def second_choice(written: str) -> Case:
    """The bank's second choice of question 0 replaced by a look-alike of the first ("Central Asia")."""
    return Case(
        sub(CHOICES, f'      - Central Asia\n      - "{written}"\n'),
        "questions[0].choices[1]",
        19,
        "repeats the choice 'Central Asia'",
    )


LOOK_ALIKES = {
    "zero-width suffix": "Central Asia\\u200b",
    "word joiner inside": "Cent\\u2060ral Asia",
    "NFD accents": "Central Asia",  # replaced below by a pair that differs in normal form only
    "Cyrillic homoglyph": "Centr\\u0430l Asia",
    "inner no-break space": "Central\\u00a0Asia",
    "inner tab": "Central\\tAsia",
}


@pytest.mark.parametrize("written", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_choices_that_look_the_same_are_refused(write_bank: WriteBank, written: str) -> None:
    """Two choices a player cannot tell apart on the buttons are refused, at the second one's line."""
    if written == "Central Asia":
        case = Case(
            sub(CHOICES, '      - "Caf\\u00e9 Asia"\n      - "Cafe\\u0301 Asia"\n'),
            "questions[0].choices[1]",
            19,
            "repeats the choice 'Café Asia'",
        )
    else:
        case = second_choice(written)
    issues = [issue for issue in issues_of(write_bank, case.edit) if issue.field == case.field]
    assert len(issues) == 1
    assert issues[0].line == case.line
    assert case.message in issues[0].message


CASES: dict[str, Case] = {
    "prompt of zero-width spaces": Case(
        sub(
            "prompt: According to the article, where does Putin appear to be losing friends?",
            'prompt: "\\u200b\\u200b\\u2060"',
        ),
        "questions[0].prompt",
        16,
        "shows nothing: it holds only invisible characters",
    ),
    "choice of a word joiner": Case(
        sub("      - The Baltic states\n", '      - "\\u2060"\n'), "questions[0].choices[2]", 20, "shows nothing"
    ),
    "right-to-left override in a prompt": Case(
        sub(
            "prompt: According to the article, where does Putin appear to be losing friends?",
            'prompt: "Where does \\u202enituP appear to be losing friends?"',
        ),
        "questions[0].prompt",
        16,
        "bidirectional control U+202E",
    ),
    "isolate in an explanation": Case(
        sub(
            "explanation: The war raged from 1988 to 1994, when Russia brokered a ceasefire.",
            'explanation: "\\u2067The war raged from 1988 to 1994.\\u2069"',
        ),
        "questions[1].explanation",
        31,
        "bidirectional control U+2067",
    ),
    "escaped NUL in the title": Case(
        sub("title: Russia and the South Caucasus", 'title: "Russia\\0 and the South Caucasus"'),
        "title",
        2,
        "contains a NUL character",
    ),
    "escaped NUL in source.path": Case(
        sub("path: article.txt", 'path: "article.txt\\0"'), "source.path", 10, "contains a NUL character"
    ),
    "escaped NUL in a choice": Case(sub("[1988, 1994, 2000]", '[1988, 1994, "20\\x0000"]'), "", 0, "NUL"),
    "one-character passage": Case(
        sub("passage: he appears instead to be losing them in the South Caucasus", "passage: e"),
        "questions[0].passage",
        24,
        "is too short: quote at least 3 words",
    ),
    "two-word passage": Case(
        sub("passage: he appears instead to be losing them in the South Caucasus", "passage: South Caucasus"),
        "questions[0].passage",
        24,
        "is too short",
    ),
    "seconds written 1_0": Case(sub("seconds: 20", "seconds: 1_0"), "defaults.seconds", 12, "must be a whole number"),
    "points written ' +300 '": Case(
        sub("points: 1000", 'points: " +300 "'), "defaults.points", 13, "must be a whole number"
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bank_is_refused(write_bank: WriteBank, case: Case) -> None:
    """Each such bank is refused with one issue naming the field, its line and the reason."""
    issues = issues_of(write_bank, case.edit)
    assert len(issues) == 1, "\n".join(map(str, issues))
    issue = issues[0]
    if case.line:  # the NUL-in-a-flow-list case pins the message only
        assert (issue.field, issue.line) == (case.field, case.line)
    assert case.message in issue.message


def test_answer_in_another_normal_form_names_its_choice(write_bank: WriteBank) -> None:
    """An answer written in NFD for a choice written in NFC is that choice: one normalisation everywhere."""
    text = GOOD_BANK.replace("      - The Balkans\n", '      - "Caf\\u00e9"\n').replace(
        "answer: The South Caucasus", 'answer: "Cafe\\u0301"'
    )
    bank = load_bank(write_bank(text))
    question = bank.questions[0]
    assert question.choices[question.answer] == "Café"


def test_passage_in_another_normal_form_is_found(write_bank: WriteBank, bank_dir: object) -> None:
    """A passage with a zero-width space and decomposed letters is still found in the article."""
    text = GOOD_BANK.replace(
        "passage: he appears instead to be losing them in the South Caucasus",
        'passage: "he appears instead to be\\u200b losing them in the South Caucasus"',
    )
    assert load_bank(write_bank(text)).questions[0].paragraph is not None


def test_an_alias_repeating_a_question_is_reported_at_the_alias() -> None:
    """A question repeated by an alias is a duplicate id reported at the alias's line, not the anchor's."""
    text = GOOD_BANK.replace("  - id: losing-friends", "  - &first\n    id: losing-friends") + "  - *first\n"
    assert text.count("\n") == 36
    with pytest.raises(BankError) as caught:
        parse_bank_text(text, name="bank.yaml", article_text=open_excerpt())
    issues = [issue for issue in caught.value.issues if "duplicate question id" in issue.message]
    assert [(issue.field, issue.line) for issue in issues] == [("questions[2].id", 36)]


def open_excerpt() -> str:
    """The article excerpt the good bank quotes."""
    return EXCERPT.read_text(encoding="utf-8")


def test_invisible_table_matches_unicodedata() -> None:
    """INVISIBLE_RANGES is every format character but the visible prepended marks, plus the blank letters."""
    drawn = {*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD}
    expected = {
        code
        for code in range(0x110000)
        if (unicodedata.category(chr(code)) == "Cf" and code not in drawn)
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or code in {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}
    }
    table = {code for low, high in INVISIBLE_RANGES for code in range(low, high + 1)}
    # The table may hold code points a newer Unicode assigns (the Egyptian format controls grow).
    assert expected <= table
    assert all(is_invisible(chr(code)) for code in expected)


def test_reader_form_keeps_different_words_apart() -> None:
    """The look-alike folding does not merge ordinary different answers."""
    assert as_seen("1918") != as_seen("1919")
    assert as_seen("Baku") != as_seen("Bakú")
    assert comparable("Cafe\u0301") == "Café"
