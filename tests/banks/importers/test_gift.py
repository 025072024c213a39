"""GIFT import: every feature of the sample file, the escapes, and what is skipped."""

from __future__ import annotations

import pytest

from bot.banks.importers import ImportIssue, read_import
from bot.banks.importers.gift import parse_gift, unescape
from bot.quiz.questions import Difficulty

from .helpers import DATA


@pytest.fixture(scope="module")
def sample() -> list[tuple[str, tuple[str, ...], str, str, str, tuple[str, ...]]]:
    """The sample's drafts as (title, choices, correct choice, prompt, explanation, tags)."""
    imported = read_import((DATA / "caucasus.gift").read_bytes(), "gift")
    return [(d.title, d.choices, d.correct_choice, d.prompt, d.explanation, d.tags) for d in imported.drafts]


def test_sample_keeps_the_eight_playable_questions(sample: list[tuple[object, ...]]) -> None:
    """The eight single-answer and true/false questions are kept, in file order, with their titles."""
    assert [row[0] for row in sample] == [
        "Two centuries",
        "Ceded to Russia",
        "",
        "Abu Dhabi",
        "Escapes",
        "Peace treaty",
        "Mediator",
        "Karabakh allocation",
    ]


def test_multiple_choice_with_feedback_and_general_feedback() -> None:
    """Per-answer feedback is dropped when there is general feedback, which becomes the explanation."""
    draft = parse_gift((DATA / "caucasus.gift").read_text(encoding="utf-8")).drafts[0]
    assert draft.prompt == "How long has Russia been involved in the South Caucasus, according to the article?"
    assert draft.choices == ("Two centuries", "About three decades", "Five centuries")
    assert draft.answer == 0
    assert draft.explanation == "The article speaks of two centuries of Russian involvement in the region."
    assert draft.where == "line 6"


def test_html_markers_are_stripped_and_multiline_text_joined(sample: list[tuple[object, ...]]) -> None:
    """[html] text loses its tags; a question over two lines is one line of text."""
    _, choices, correct, prompt, explanation, _ = sample[1]
    assert prompt == "Following which wars were Azerbaijan and Armenia ceded to Russia in the early 19th century?"
    assert correct == "The Russo-Persian wars"
    assert choices[0] == "The Russo-Persian wars"
    assert explanation == "They were ceded to Russia following the Russo-Persian wars."


def test_right_answer_feedback_is_the_explanation_without_general_feedback(sample: list[tuple[object, ...]]) -> None:
    """With no #### feedback, the right answer's own feedback becomes the explanation."""
    assert sample[2][2] == "1918 and 1920"
    assert sample[2][4] == "Yes."


def test_escapes_and_markdown_marker(sample: list[tuple[object, ...]]) -> None:
    """Escaped special characters are kept as text; [markdown] is stripped."""
    assert sample[3][3] == "In which city did Pashinyan and Aliyev meet on July 10: Abu Dhabi, Baku or Moscow?"
    _, choices, correct, prompt, explanation, _ = sample[4]
    assert prompt == "Which of these is written with GIFT escapes { } ~ = # : in its text?"
    assert choices == ("Curly {braces} and a ~tilde", "A #hash and an =equals sign", "Nothing special")
    assert correct == "Curly {braces} and a ~tilde"
    assert explanation == "Special characters are escaped with a backslash: ~ = # { } :"


def test_missing_word_question_gets_a_blank(sample: list[tuple[object, ...]]) -> None:
    """Text after the answers makes a fill-in-the-blank prompt, with no explanation to give."""
    assert sample[5][3] == "The two leaders reportedly came close to agreeing a _____ in Abu Dhabi."
    assert sample[5][2] == "peace treaty"
    assert sample[5][4] == ""


@pytest.mark.parametrize(("index", "correct"), [(6, "True"), (7, "False")])
def test_true_false_becomes_two_choices(sample: list[tuple[object, ...]], index: int, correct: str) -> None:
    """{T} and {FALSE#...#...} become True/False questions; the right-answer feedback explains."""
    assert sample[index][1] == ("True", "False")
    assert sample[index][2] == correct
    if index == 7:
        assert sample[index][4] == "Right: it went to Azerbaijan."


def test_categories_become_tags(sample: list[tuple[object, ...]]) -> None:
    """$CATEGORY's last part tags the questions after it, until the next category."""
    assert [row[5] for row in sample] == [("history",)] * 3 + [("diplomacy",)] * 5


def test_skipped_questions_are_reported_with_their_line() -> None:
    """Essay, matching, numerical, partial-credit and short-answer questions are skipped, naming the line."""
    issues = parse_gift((DATA / "caucasus.gift").read_text(encoding="utf-8")).issues
    assert [str(issue) for issue in issues] == [
        "line 57: skipped: an essay question (no answers to choose from)",
        "line 59: skipped: a matching question",
        "line 64: skipped: a numerical question",
        "line 66: skipped: partial credit (50%): a question here has exactly one correct answer",
        "line 72: skipped: a short-answer question (every answer is right; there are no wrong choices)",
    ]


@pytest.mark.parametrize(
    ("gift", "message"),
    [
        ("No answers at all.", "no answers in braces: a description, not a question"),
        ("::Open:: never closed {=a ~b", "the answers' '{' is never closed with '}'"),
        ("::Untitled:: {=a ~b}", "the question has no text"),
        ("Q {=a =b ~c}", "2 correct answers; a question here has exactly one"),
        ("Q {~a ~b}", "0 correct answers; a question here has exactly one"),
        ("Q {what =a ~b}", "the answers are not in a form this importer knows ('=right ~wrong', T or F)"),
        ("::Broken title Q {=a ~b}", "the '::title' is never closed with '::'"),
    ],
)
def test_malformed_questions_are_skipped(gift: str, message: str) -> None:
    """Questions the importer cannot read are skipped with a reason, not guessed at."""
    imported = parse_gift(gift)
    assert imported.drafts == []
    assert imported.issues == [ImportIssue("line 1", f"skipped: {message}")]


def test_penalty_weights_still_make_a_single_answer_question() -> None:
    """~%100% marks the right answer and negative weights are penalties, so the question is kept."""
    draft = parse_gift("Q {~%100%right ~%-50%wrong ~other}").drafts[0]
    assert draft.choices == ("right", "wrong", "other")
    assert draft.answer == 0


def test_limits_are_warned_about_early() -> None:
    """A question with six choices or an overlong choice is kept, with a warning the loader will agree with."""
    long_choice = "x" * 81
    imported = parse_gift(f"Q {{=a ~b ~c ~d ~e ~f}}\n\nR {{={long_choice} ~b}}")
    assert len(imported.drafts) == 2
    assert [str(issue) for issue in imported.issues] == [
        "line 1: 6 choices; a question needs 2 to 5",
        f"line 3: choice {'x' * 40!r} is 81 characters; a button label holds 80",
    ]


def test_quizbot_comments_carry_passage_difficulty_tags_and_bank() -> None:
    """`// quizbot KEY: JSON` comments set what GIFT has no syntax for; bad ones are reported, not fatal."""
    text = "\n".join(
        [
            '// quizbot bank: {"id": "b", "title": "T"}',
            "// quizbot nonsense: 1",
            "",
            '// quizbot passage: "a quoted\\nline"',
            '// quizbot difficulty: "hard"',
            '// quizbot tags: ["x", "y"]',
            "::q::Q {=a ~b}",
            "",
            "// quizbot tags: not json",
            "R {=a ~b}",
        ]
    )
    imported = parse_gift(text)
    first, second = imported.drafts
    assert imported.bank == {"id": "b", "title": "T"}
    assert (first.passage, first.difficulty, first.tags) == ("a quoted\nline", Difficulty.HARD, ("x", "y"))
    assert (second.passage, second.difficulty, second.tags) == ("", None, ())
    assert [str(issue) for issue in imported.issues] == [
        "line 2: unknown quizbot comment 'nonsense'; ignored",
        "line 9: the quizbot comment 'tags' is not valid JSON; ignored",
    ]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (r"a \~ b \= c \# d", "a ~ b = c # d"),
        (r"\{x\} \: y", "{x} : y"),
        (r"back\\slash", "back\\slash"),
        (r"line\nbreak", "line\nbreak"),
        (r"not\\nbreak", "not\\nbreak"),
        (r"\frac{1}{2}", r"\frac{1}{2}"),
    ],
)
def test_unescape(raw: str, text: str) -> None:
    """GIFT's escapes are undone; other backslashes (LaTeX) are left alone."""
    assert unescape(raw) == text


def test_crlf_and_bom_are_accepted() -> None:
    """A Windows file with a byte-order mark reads like any other."""
    imported = read_import("\ufeff::t::Q {\r\n=a\r\n~b\r\n}\r\n".encode(), "gift")
    assert [(d.title, d.prompt, d.choices) for d in imported.drafts] == [("t", "Q", ("a", "b"))]
