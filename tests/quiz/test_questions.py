"""Tests for bot/quiz/questions.py: questions, banks and difficulties as immutable data."""

from __future__ import annotations

import dataclasses

import pytest

from bot.quiz import Bank, Difficulty

from .helpers import SOURCE, make_bank, make_question


@pytest.mark.parametrize(("choices", "answer"), [(4, -1), (4, 4), (2, 2), (0, 0)])
def test_answer_must_index_a_choice(choices: int, answer: int) -> None:
    """A question whose answer index is outside its choices cannot be built."""
    with pytest.raises(ValueError, match="outside"):
        make_question(choices=choices, answer=answer)


def test_question_key_and_correct_choice() -> None:
    """The key joins bank and question ids, and correct_choice is the text at the answer index."""
    question = make_question("q7", bank_id="caucasus", choices=3, answer=2)
    assert question.key == "caucasus/q7"
    assert question.correct_choice == "c2"


def test_question_defaults() -> None:
    """Unset fields default to medium difficulty, no paragraph and no tags."""
    question = make_question()
    assert (question.difficulty, question.paragraph, question.tags) == (Difficulty.MEDIUM, None, ())


def test_question_is_immutable() -> None:
    """A question cannot be changed once built."""
    question = make_question()
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.answer = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "member"), [("easy", Difficulty.EASY), ("medium", Difficulty.MEDIUM), ("hard", Difficulty.HARD)]
)
def test_difficulty_round_trips_through_text(text: str, member: Difficulty) -> None:
    """Difficulties are built from and compare equal to their lower-case names."""
    assert Difficulty(text) is member
    assert member == text


def test_bank_finds_questions_by_id() -> None:
    """A bank looks questions up by id and lists ids in file order."""
    bank = make_bank(size=3)
    assert bank.question("q1") is bank.questions[1]
    assert bank.question_ids == ("q0", "q1", "q2")


def test_bank_lookup_of_a_missing_id() -> None:
    """Looking up an id the bank does not hold raises KeyError."""
    with pytest.raises(KeyError):
        make_bank().question("nope")


def test_bank_rejects_duplicate_question_ids() -> None:
    """Two questions with the same id in one bank are refused, naming the id."""
    questions = (make_question("q1"), make_question("q2"), make_question("q1", answer=1))
    with pytest.raises(ValueError, match=r"repeats question ids \['q1'\]"):
        Bank(id="bank", title="T", source=SOURCE, questions=questions)


def test_bank_rejects_questions_of_another_bank() -> None:
    """A question whose bank_id names another bank is refused, naming its key."""
    questions = (make_question("q1"), make_question("q2", bank_id="other"))
    with pytest.raises(ValueError, match="other/q2"):
        Bank(id="bank", title="T", source=SOURCE, questions=questions)


def test_banks_with_equal_data_are_equal_and_hashable() -> None:
    """Equality and hashing ignore the private lookup table, so equal banks are interchangeable."""
    assert make_bank(size=2) == make_bank(size=2)
    assert hash(make_bank(size=2)) == hash(make_bank(size=2))
    assert make_bank(size=2) != make_bank(size=3)


def test_empty_bank_is_valid() -> None:
    """A bank may hold no questions; it simply has no ids."""
    assert Bank(id="b", title="T", source=SOURCE, questions=()).question_ids == ()


def test_bank_related_groups_give_each_question_its_group() -> None:
    """Related groups map each member to one group key, and a round can hold one question per group."""
    questions = tuple(make_question(f"q{i}") for i in range(5))
    bank = Bank(id="bank", title="T", source=SOURCE, questions=questions, related=(("q0", "q1"), ("q2", "q3")))
    groups = bank.groups
    assert set(groups) == {"q0", "q1", "q2", "q3"}
    assert groups["q0"] == groups["q1"] != groups["q2"] == groups["q3"]
    assert bank.round_capacity == 3


@pytest.mark.parametrize(
    ("related", "message"),
    [((("q0", "nope"),), "names no question 'nope'"), ((("q0", "q1"), ("q1", "q2")), "'q1' is in two related")],
)
def test_bank_rejects_bad_related_groups(related: tuple[tuple[str, ...], ...], message: str) -> None:
    """A related group naming an unknown question, or a question in two groups, cannot be built."""
    questions = tuple(make_question(f"q{i}") for i in range(3))
    with pytest.raises(ValueError, match=message):
        Bank(id="bank", title="T", source=SOURCE, questions=questions, related=related)
