"""Leaks between questions, near-duplicates, related groups that settle them, and the groups proposed."""

from __future__ import annotations

from bot.banks.lint import Kind
from bot.banks.lint.leaks import leak_pairs, self_leaks

from .helpers import CAPITAL, bank, leaker, question


def test_a_prompt_explanation_or_passage_naming_another_answer_is_a_leak() -> None:
    """Each of prompt, explanation and passage of another question giving the answer away is one pair."""
    for field in ("prompt", "explanation", "passage"):
        river = question("river", ("The Long", "The Short", "The Wide"), **leaker(field))
        (pair,) = leak_pairs(bank(CAPITAL, river))
        assert (pair.kind, pair.shown, pair.spoiled, pair.field) == (Kind.LEAK, 1, 0, field)
        assert "gives away the answer of 'capital' ('Bigtown')" in pair.message


def test_a_revealed_answer_is_a_leak_but_a_distractor_is_not() -> None:
    """Another question's right answer naming Bigtown leaks; Bigtown among its wrong choices does not."""
    answering = question("mayor", ("The mayor of Bigtown", "A baker"), prompt="Who opened the bridge?")
    assert [p.field for p in leak_pairs(bank(CAPITAL, answering))] == ["answer"]
    distracting = question("mayor", ("A baker", "The mayor of Bigtown"), prompt="Who opened the bridge?")
    assert leak_pairs(bank(CAPITAL, distracting)) == []


def test_matching_ignores_case_punctuation_and_leading_articles_but_needs_whole_words() -> None:
    """'the Bigtown' and 'BIGTOWN,' match Bigtown; 'Bigtowners' does not."""
    for text, leaks in [("Only the BIGTOWN, they say.", True), ("Ask the Bigtowners.", False)]:
        other = question("other", ("Yes", "No"), prompt="Is it far?", explanation=text)
        assert bool(leak_pairs(bank(CAPITAL, other))) is leaks, text


def test_common_and_topic_answers_do_not_count_as_leaks() -> None:
    """An answer of common words ('Two') or the bank's topic (named in its titles) gives nothing away."""
    two = question("bridges", ("Two", "Five"), prompt="How many bridges are there?")
    rivers = question("subject", ("Rivers", "Roads"), prompt="What is the Gazette about?")
    other = question("other", ("Yes", "No"), explanation="Two rivers meet at the two bridges.")
    assert leak_pairs(bank(two, rivers, other)) == []


def test_same_or_overlapping_passages_are_near_duplicates() -> None:
    """Two questions quoting the same sentence, or one quoting part of the other's, are near-duplicates."""
    sentence = "Bigtown, the capital, stands where the Long river meets the sea."
    one = question("one", ("Bigtown", "Smalltown"), passage=sentence, prompt="What is the capital?")
    two = question("two", ("The Long", "The Short"), passage=sentence, prompt="Which river reaches the sea?")
    part = question("part", ("The sea", "A lake"), passage="the Long river meets the sea", prompt="Where does it end?")
    pairs = [p for p in leak_pairs(bank(one, two, part)) if p.kind is Kind.DUPLICATE]
    assert {(p.shown, p.spoiled) for p in pairs} == {(1, 0), (2, 0), (2, 1)}
    assert any("the same passage as 'one'" in p.message for p in pairs)


def test_paraphrased_prompts_are_near_duplicates_and_different_ones_are_not() -> None:
    """Prompts with the same words in another order are paraphrases; unrelated prompts are not."""
    one = question("one", ("1850", "1900"), prompt="In which year was the bridge at Bigtown built?")
    two = question("two", ("Stone", "Iron"), prompt="The bridge at Bigtown was built in which year?")
    three = question("three", ("North", "South"), prompt="Where does the Long river rise?")
    pairs = [p for p in leak_pairs(bank(one, two, three)) if p.kind is Kind.DUPLICATE]
    assert [(p.shown, p.spoiled, p.field) for p in pairs] == [(1, 0, "prompt")]


def test_a_prompt_stating_its_own_answer_is_flagged() -> None:
    """'In Bigtown, the capital, ...' asking for the capital is flagged; a neutral prompt is not."""
    giveaway = question("capital", ("Bigtown", "Smalltown"), prompt="Which town is the capital, Bigtown or another?")
    (warning,) = self_leaks(bank(giveaway))
    assert (warning.kind, warning.field, warning.question_id) == (Kind.LEAK, "questions[0].prompt", "capital")
    assert self_leaks(bank(CAPITAL)) == []
