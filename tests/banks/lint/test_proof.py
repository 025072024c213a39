"""Passages that do not prove the answer: a wrong choice named instead, a dangling pronoun, too few words."""

from __future__ import annotations

from bot.banks.lint import Kind
from bot.banks.lint.proof import passage_warnings

from .helpers import bank, question

CHOICES = ("More than 100,000", "More than 30,000", "About 3,000")


def test_a_passage_naming_a_wrong_choice_and_not_the_answer_is_flagged() -> None:
    """A wrong answer key that is still a choice: the passage says 30,000, the key says 100,000."""
    wrong_key = question("toll", CHOICES, 0, passage="In 1994, after more than 30,000 casualties, a ceasefire came.")
    (warning,) = passage_warnings(bank(wrong_key))
    assert (warning.kind, warning.field, warning.question_id) == (Kind.PASSAGE_CHOICE, "questions[0].passage", "toll")
    assert "names the choice 'More than 30,000' but not the answer 'More than 100,000'" in warning.message


def test_a_passage_naming_the_answer_is_fine_even_with_other_choices() -> None:
    """The right key, or a passage naming both the answer and a distractor, gives no warning."""
    right = question("toll", CHOICES, 1, passage="In 1994, after more than 30,000 casualties, a ceasefire came.")
    both = question("pair", ("Armenia", "Azerbaijan"), 1, passage="Armenia gave the region to Azerbaijan in the end.")
    assert passage_warnings(bank(right, both)) == []


def test_a_passage_beginning_with_a_pronoun_is_flagged() -> None:
    """'he appears ...' leaves out who 'he' is; the same sentence from its subject is fine."""
    dangling = question("friends", passage="he appears instead to be losing Bigtown to the rivals")
    (warning,) = passage_warnings(bank(dangling))
    assert (warning.kind, warning.field) == (Kind.PASSAGE, "questions[0].passage")
    assert "begins with 'he'" in warning.message
    named = question("friends", passage="The mayor appears instead to be losing Bigtown to the rivals")
    assert passage_warnings(bank(named)) == []


def test_a_passage_of_a_few_words_is_flagged() -> None:
    """Four words cannot prove an answer on their own; five can."""
    (warning,) = passage_warnings(bank(question("short", passage="Bigtown is the capital")))
    assert "has 4 word(s)" in warning.message
    assert passage_warnings(bank(question("long", passage="Bigtown is the capital city"))) == []
