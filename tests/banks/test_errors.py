"""How a bank issue prints, and how user values are quoted in messages."""

from __future__ import annotations

import pytest

from bot.banks import BankError, BankIssue
from bot.banks.errors import show


@pytest.mark.parametrize(
    ("issue", "printed"),
    [
        (
            BankIssue("questions/x.yaml", 42, 7, "questions[3].answer", "'Moscow' is not one of the choices"),
            "questions/x.yaml:42:7: questions[3].answer: 'Moscow' is not one of the choices",
        ),
        (BankIssue("x.yaml", 3, None, "id", "bad"), "x.yaml:3: id: bad"),
        (BankIssue("x.yaml", None, None, "", "the file is empty"), "x.yaml: the file is empty"),
        (BankIssue("x.yaml", 1, 1, "", "YAML syntax error"), "x.yaml:1:1: YAML syntax error"),
    ],
)
def test_issue_prints_as_path_line_column_field_message(issue: BankIssue, printed: str) -> None:
    """str(issue) is the compiler-style line, leaving out whatever is unknown."""
    assert str(issue) == printed


def test_issue_is_frozen() -> None:
    """Issues are immutable values."""
    issue = BankIssue("x.yaml", 1, 1, "id", "bad")
    with pytest.raises(AttributeError):
        issue.line = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Moscow", "'Moscow'"),
        ("it's", '"it\'s"'),
        ("a" * 60, "'" + "a" * 60 + "'"),
        ("a" * 500, "'" + "a" * 59 + "…'"),
        (None, "nothing (an empty or null value)"),
        (3, "3"),
    ],
)
def test_show_quotes_like_repr_and_cuts_long_text(value: object, shown: str) -> None:
    """User values are quoted repr-style and cut to about 60 characters."""
    assert show(value) == shown


def test_bank_error_carries_and_prints_every_issue() -> None:
    """BankError keeps every issue and lists them all in its message."""
    issues = [BankIssue("x.yaml", 1, 1, "id", "first"), BankIssue("x.yaml", 2, 1, "title", "second")]
    error = BankError(issues)
    assert error.issues == issues
    assert "x.yaml:1:1: id: first" in str(error)
    assert "x.yaml:2:1: title: second" in str(error)
