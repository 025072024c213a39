"""The length cue: an answer much longer than every distractor, and the bank-wide "pick the longest" rate."""

from __future__ import annotations

from bot.banks.lint import Kind
from bot.banks.lint.length import length_warnings, longest_rate

from .helpers import bank, question


def test_an_answer_much_longer_than_every_distractor_is_flagged() -> None:
    """A 45-character answer among 10-character distractors is pinned to the question's answer."""
    long = question("gloss", ("Bigtown, the capital on the river since 1850", "Smalltown", "Midtown", "Newtown"))
    (warning,) = length_warnings(bank(long))
    assert (warning.kind, warning.field, warning.question_id) == (Kind.LENGTH, "questions[0].answer", "gloss")
    assert "44 characters" in warning.message and "at most 9" in warning.message


def test_an_answer_of_ordinary_length_is_not_flagged() -> None:
    """An answer a little longer than the longest distractor is fine."""
    fair = question("fair", ("Bigtown on the river", "Smalltown by the sea", "Midtown", "Newtown"))
    assert length_warnings(bank(fair)) == []


def test_the_rate_counts_ties_as_a_share_and_compares_with_guessing() -> None:
    """The longest choice scores 1 when it is the answer, 1/k when k choices tie for longest; guessing is 1/n."""
    strict = question("a", ("Longest one", "Short", "Tiny"))
    tied = question("b", ("Same", "Also", "No"))
    wrong = question("c", ("Short", "Much longer"))
    rate = longest_rate(bank(strict, tied, wrong))
    assert rate.longest == (1 + 0.5 + 0) / 3
    assert rate.guessing == (1 / 3 + 1 / 3 + 1 / 2) / 3


def test_a_bank_where_the_longest_choice_usually_wins_is_flagged() -> None:
    """Ten questions whose answer is always a little the longest: "pick the longest" scores 100% against 25%."""
    questions = [question(f"q{n}", (f"Bigtowns{n}", f"Small{n}", f"Mid{n}", f"New{n}")) for n in range(10)]
    warnings = length_warnings(bank(*questions))
    assert [w.field for w in warnings] == ["questions"]
    assert "scores 100%, where guessing scores 25%" in warnings[0].message


def test_a_bank_where_the_longest_choice_never_wins_is_flagged_too() -> None:
    """The opposite cue: if the longest choice is never right, ruling it out beats guessing."""
    questions = [question(f"q{n}", (f"Big{n}", f"Smallest{n}", f"Mid{n}", f"New{n}")) for n in range(10)]
    (warning,) = length_warnings(bank(*questions))
    assert "right in only 0% of questions" in warning.message


def test_a_balanced_bank_is_not_flagged() -> None:
    """When the answer is the longest about as often as chance, no bank-wide warning."""
    questions = [
        question(f"q{n}", (f"Big{n}", f"Smallest{n}", f"Mid{n}", f"New{n}"), 1 if n % 4 == 0 else 0) for n in range(12)
    ]
    rate = longest_rate(bank(*questions))
    assert rate.longest == 3 / 12
    assert length_warnings(bank(*questions)) == []


def test_a_small_bank_has_no_rate_warning() -> None:
    """Under ten questions the rate says too little to warn about."""
    questions = [question(f"q{n}", (f"Bigtowns{n}", f"Small{n}", f"Mid{n}", f"New{n}")) for n in range(9)]
    assert length_warnings(bank(*questions)) == []
