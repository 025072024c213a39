"""Tests for bot/quiz/selection.py: per-bank decks, cycles, refreshes and multi-bank rounds."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.quiz import Deck, NotEnoughQuestions, draw, draw_round


def ids(n: int, prefix: str = "q") -> list[str]:
    """``n`` question ids."""
    return [f"{prefix}{i}" for i in range(n)]


def test_remaining_is_the_unplayed_tail() -> None:
    """A deck's remaining questions are those after the cursor."""
    assert Deck(("a", "b", "c"), 1).remaining == ("b", "c")
    assert Deck().remaining == ()


def test_first_draw_shuffles_the_whole_bank() -> None:
    """Drawing from an empty deck orders every question of the bank and advances the cursor."""
    picked, deck = draw(Deck(), ids(5), 2, random.Random(1))
    assert sorted(deck.order) == ids(5)
    assert deck.cursor == 2
    assert picked == list(deck.order[:2])


def test_draw_continues_from_the_cursor() -> None:
    """A draw takes the next questions of the stored order, without reshuffling it."""
    deck = Deck(("c", "a", "d", "b"), 1)
    picked, new = draw(deck, ["a", "b", "c", "d"], 2, random.Random(0))
    assert picked == ["a", "d"]
    assert new == Deck(("c", "a", "d", "b"), 3)


def test_draw_is_reproducible() -> None:
    """The same deck, bank and rng seed give the same picks and the same new deck."""
    assert draw(Deck(), ids(10), 4, random.Random(9)) == draw(Deck(), ids(10), 4, random.Random(9))


def test_draw_zero_takes_nothing() -> None:
    """A draw of zero questions picks none and leaves the cursor where it was."""
    picked, deck = draw(Deck(("a", "b"), 1), ["a", "b"], 0, random.Random(0))
    assert picked == []
    assert deck == Deck(("a", "b"), 1)


def test_draw_more_than_the_bank_holds() -> None:
    """Asking one bank for more questions than it has raises NotEnoughQuestions with both numbers."""
    with pytest.raises(NotEnoughQuestions) as info:
        draw(Deck(), ids(3), 4, random.Random(0))
    assert (info.value.wanted, info.value.available) == (4, 3)


def test_draw_rejects_a_negative_count() -> None:
    """A negative count is a caller bug, not an empty draw."""
    with pytest.raises(ValueError, match="-1"):
        draw(Deck(), ids(3), -1, random.Random(0))


def test_draw_across_the_end_of_a_cycle_does_not_repeat() -> None:
    """When the deck runs out mid-draw, the new cycle skips what this draw already took."""
    deck = Deck(("a", "b", "c", "d"), 3)
    for seed in range(30):
        picked, new = draw(deck, ["a", "b", "c", "d"], 4, random.Random(seed))
        assert picked[0] == "d"
        assert sorted(picked) == ["a", "b", "c", "d"]
        assert new.cursor == 3
        assert new.order[-1] == "d"  # played now, so it comes last in the new cycle


def test_exhausted_deck_starts_a_new_cycle() -> None:
    """A deck whose cursor reached the end deals a full fresh cycle."""
    picked, new = draw(Deck(("a", "b", "c"), 3), ["a", "b", "c"], 3, random.Random(4))
    assert sorted(picked) == ["a", "b", "c"]
    assert new.cursor == 3


def test_removed_questions_are_never_drawn() -> None:
    """Questions deleted from the bank vanish from the deck, and the cursor counts only surviving played ones."""
    deck = Deck(("a", "b", "c", "d", "e"), 2)
    picked, new = draw(deck, ["a", "c", "e"], 2, random.Random(0))
    assert picked == ["c", "e"]
    assert new == Deck(("a", "c", "e"), 3)


def test_added_questions_are_played_before_the_cycle_restarts() -> None:
    """New questions join the unplayed part of the current cycle, not the next one."""
    deck = Deck(("a", "b", "c"), 2)
    for seed in range(20):
        picked, new = draw(deck, ["a", "b", "c", "x", "y"], 3, random.Random(seed))
        assert sorted(picked) == ["c", "x", "y"]
        assert new.order[:2] == ("a", "b")
        assert new.cursor == 5


def test_added_question_after_a_finished_cycle_comes_first() -> None:
    """A question added once every other has been played is dealt before any repeat."""
    picked, _ = draw(Deck(("a", "b"), 2), ["a", "b", "new"], 1, random.Random(3))
    assert picked == ["new"]


@given(
    n=st.integers(min_value=1, max_value=12),
    sizes=st.lists(st.integers(min_value=0, max_value=12), max_size=15),
    seed=st.integers(),
)
def test_draws_from_a_fixed_bank_are_fair(n: int, sizes: list[int], seed: int) -> None:
    """Any sequence of draws: no repeat within a draw or the first n picks, and play counts differ by one at most."""
    bank, rng, deck = ids(n), random.Random(seed), Deck()
    stream: list[str] = []
    for size in sizes:
        picked, deck = draw(deck, bank, min(size, n), rng)
        assert len(set(picked)) == len(picked)
        stream.extend(picked)
        counts = Counter(stream)
        played = [counts[q] for q in bank]
        assert max(played) - min(played) <= 1
    assert len(set(stream[:n])) == min(n, len(stream))


@given(
    steps=st.lists(
        st.tuples(st.sets(st.integers(min_value=0, max_value=15), min_size=1), st.integers(min_value=0, max_value=16)),
        max_size=12,
    ),
    seed=st.integers(),
)
def test_draws_from_a_changing_bank(steps: list[tuple[set[int], int]], seed: int) -> None:
    """As the bank changes between draws, draws hold only current questions, all distinct, and the deck stays valid."""
    rng, deck = random.Random(seed), Deck()
    for members, size in steps:
        bank = [f"q{i}" for i in sorted(members)]
        picked, deck = draw(deck, bank, min(size, len(bank)), rng)
        assert set(picked) <= set(bank)
        assert len(set(picked)) == len(picked)
        assert sorted(deck.order) == sorted(bank)
        assert 0 <= deck.cursor <= len(deck.order)


def test_draw_round_splits_in_proportion() -> None:
    """Shares follow bank sizes: 10 from banks of 30, 20 and 0 gives 6, 4 and 0."""
    banks = {"a": ids(30, "a"), "b": ids(20, "b"), "empty": []}
    chosen, decks = draw_round({}, banks, 10, random.Random(0))
    assert Counter(bank for bank, _ in chosen) == {"a": 6, "b": 4}
    assert set(decks) == {"a", "b", "empty"}
    assert decks["a"].cursor == 6
    assert decks["empty"] == Deck()


def test_draw_round_largest_remainder_goes_to_the_bigger_fraction() -> None:
    """With sizes 5, 3 and 2 and 4 questions (exact 2.0, 1.2, 0.8) the last seat goes to the 0.8."""
    banks = {"a": ids(5, "a"), "b": ids(3, "b"), "c": ids(2, "c")}
    for seed in range(10):
        chosen, _ = draw_round({}, banks, 4, random.Random(seed))
        assert Counter(bank for bank, _ in chosen) == {"a": 2, "b": 1, "c": 1}


def test_draw_round_ties_are_not_always_won_by_the_first_bank() -> None:
    """Equal remainders are broken by the rng, so each of two equal banks sometimes gets the odd question."""
    banks = {"a": ids(10, "a"), "b": ids(10, "b")}
    firsts = Counter(draw_round({}, banks, 1, random.Random(seed))[0][0][0] for seed in range(100))
    assert firsts["a"] > 20
    assert firsts["b"] > 20


def test_draw_round_continues_stored_decks() -> None:
    """A bank's stored deck is continued, and a bank without one starts a fresh deck."""
    banks = {"a": ["a0", "a1"], "b": ["b0", "b1"]}
    chosen, decks = draw_round({"a": Deck(("a1", "a0"), 1)}, banks, 2, random.Random(0))
    assert ("a", "a0") in chosen
    assert decks["a"] == Deck(("a1", "a0"), 2)
    assert decks["b"].cursor == 1


def test_draw_round_needs_enough_questions_overall() -> None:
    """Asking for more questions than all banks hold raises NotEnoughQuestions with the total available."""
    with pytest.raises(NotEnoughQuestions) as info:
        draw_round({}, {"a": ids(2), "b": ids(3)}, 6, random.Random(0))
    assert (info.value.wanted, info.value.available) == (6, 5)


def test_draw_round_of_nothing() -> None:
    """No banks and no questions is an empty round, not an error."""
    assert draw_round({}, {}, 0, random.Random(0)) == ([], {})


def test_draw_round_is_reproducible() -> None:
    """The same decks, banks and rng seed give the same picks in the same order."""
    banks = {"a": ids(7, "a"), "b": ids(4, "b"), "c": ids(9, "c")}
    assert draw_round({}, banks, 8, random.Random(5)) == draw_round({}, banks, 8, random.Random(5))


@given(
    sizes=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=6),
    fraction=st.floats(min_value=0, max_value=1),
    seed=st.integers(),
)
def test_draw_round_shares(sizes: list[int], fraction: float, seed: int) -> None:
    """Shares sum to count, stay within one of the exact proportion, never exceed a bank, and picks never repeat."""
    banks = {f"b{i}": ids(n, f"b{i}-") for i, n in enumerate(sizes)}
    total = sum(sizes)
    count = round(total * fraction)
    chosen, decks = draw_round({}, banks, count, random.Random(seed))
    assert len(chosen) == count
    assert len(set(chosen)) == count
    shares = Counter(bank for bank, _ in chosen)
    for bank, qids in banks.items():
        exact_floor, has_remainder = divmod(count * len(qids), total) if total else (0, 0)
        assert exact_floor <= shares[bank] <= exact_floor + (1 if has_remainder else 0) <= len(qids)
        assert {q for b, q in chosen if b == bank} <= set(qids)
        assert decks[bank].cursor == shares[bank]


def _related(groups: list[list[str]]) -> dict[str, str]:
    """A question-to-group mapping, as `Bank.groups` gives it."""
    return {question: f"g{number}" for number, group in enumerate(groups) for question in group}


def test_related_questions_are_never_dealt_in_one_round() -> None:
    """Over many seeded rounds with a stored deck, no round holds two questions of one related group."""
    bank = ids(20)
    groups = [["q0", "q1", "q2"], ["q3", "q4"], ["q5", "q6", "q7", "q8"], ["q9", "q10"]]
    group_of = _related(groups)
    for seed in range(200):
        rng, deck = random.Random(seed), Deck()
        for _ in range(6):
            picked, deck = draw(deck, bank, 10, rng, group_of)
            assert len(set(picked)) == 10
            dealt = Counter(group_of[q] for q in picked if q in group_of)
            assert all(count == 1 for count in dealt.values()), (seed, picked)


def test_related_questions_still_all_get_played() -> None:
    """Questions skipped because a relative was dealt wait in the deck: every question is played within two cycles."""
    bank = ids(12)
    group_of = _related([["q0", "q1", "q2", "q3"], ["q4", "q5"]])
    for seed in range(50):
        rng, deck, seen = random.Random(seed), Deck(), Counter[str]()
        for _ in range(6):
            picked, deck = draw(deck, bank, 4, rng, group_of)
            seen.update(picked)
        assert set(seen) == set(bank), seed


def test_a_round_holds_at_most_one_question_per_group() -> None:
    """Asking for more questions than there are groups (and unrelated questions) raises NotEnoughQuestions."""
    group_of = _related([["q0", "q1", "q2"]])
    with pytest.raises(NotEnoughQuestions) as info:
        draw(Deck(), ids(4), 3, random.Random(0), group_of)
    assert (info.value.wanted, info.value.available) == (3, 2)
    picked, _ = draw(Deck(), ids(4), 2, random.Random(0), group_of)
    assert "q3" in picked


def test_draw_round_keeps_related_questions_apart_and_counts_groups() -> None:
    """Across banks, each bank's groups are kept apart, and a bank's share is capped by its number of groups."""
    banks = {"a": ids(6, "a"), "b": ids(6, "b")}
    groups = {"a": _related([["a0", "a1", "a2", "a3", "a4"]])}  # bank a can give at most 2 questions
    for seed in range(100):
        chosen, _ = draw_round({}, banks, 8, random.Random(seed), groups)
        from_a = [q for bank, q in chosen if bank == "a"]
        assert len(from_a) == 2
        assert sum(q in groups["a"] for q in from_a) == 1
    with pytest.raises(NotEnoughQuestions) as info:
        draw_round({}, banks, 9, random.Random(0), groups)
    assert info.value.available == 8
