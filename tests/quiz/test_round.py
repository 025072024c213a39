"""Tests for bot/quiz/round.py: opening, answering, closing, reveals, streaks, standings and replay."""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.quiz import (
    AlreadyAnswered,
    InvalidChoice,
    PlayedQuestion,
    QuestionClosed,
    QuestionStillOpen,
    Reveal,
    Round,
    RoundOver,
    Standing,
)

from .helpers import T0, FakeClock, make_question, make_round, right, wrong


def test_played_question_maps_display_positions_to_choices() -> None:
    """Display choices follow the shuffled order and the correct position shows the correct text."""
    question = make_question(choices=5, answer=3)
    played = PlayedQuestion(2, question, (4, 3, 0, 2, 1))
    assert played.choices == ("c4", "c3", "c0", "c2", "c1")
    assert played.correct_position == 1
    assert played.choices[played.correct_position] == question.correct_choice


def test_shuffled_question_is_reproducible_per_seed() -> None:
    """PlayedQuestion.shuffled gives the same order for the same seed and a permutation of the choices."""
    question = make_question(choices=5)
    first, again = PlayedQuestion.shuffled(1, question, 99), PlayedQuestion.shuffled(1, question, 99)
    assert first == again
    assert sorted(first.order) == [0, 1, 2, 3, 4]


def test_open_next_sets_the_deadline() -> None:
    """Opening a question stamps its open time and a deadline one limit later."""
    rnd = make_round(seconds=15)
    opened = rnd.open_next(T0)
    assert (opened.opened_at, opened.deadline) == (T0, T0 + timedelta(seconds=15))
    assert opened.played is rnd.questions[0]
    assert rnd.current == opened


def test_open_next_while_a_question_is_open() -> None:
    """A second open before closing raises QuestionStillOpen and keeps the first question open."""
    rnd = make_round()
    first = rnd.open_next(T0)
    with pytest.raises(QuestionStillOpen):
        rnd.open_next(T0 + timedelta(seconds=1))
    assert rnd.current == first


def test_open_next_after_the_last_question() -> None:
    """Opening past the end raises RoundOver."""
    rnd = make_round(count=1)
    rnd.open_next(T0)
    rnd.close(T0)
    with pytest.raises(RoundOver):
        rnd.open_next(T0)


def test_finished_only_after_the_last_close() -> None:
    """A round is finished once its last question closes, not while it is open."""
    rnd, clock = make_round(count=2), FakeClock()
    states = [rnd.finished]
    for _ in range(2):
        rnd.open_next(clock.now)
        states.append(rnd.finished)
        rnd.close(clock.advance(20))
        states.append(rnd.finished)
    assert states == [False, False, False, False, True]


def test_empty_round_is_finished_from_the_start() -> None:
    """A round without questions is finished and cannot open anything."""
    rnd = Round(questions=[], seconds=20)
    assert rnd.finished
    with pytest.raises(RoundOver):
        rnd.open_next(T0)


@pytest.mark.parametrize(
    ("offset", "accepted", "points"),
    [
        (timedelta(0), True, 1000),
        (timedelta(seconds=10), True, 750),
        (timedelta(seconds=20), True, 500),  # exactly at the deadline still counts
        (timedelta(seconds=20, microseconds=1), False, None),
        (timedelta(seconds=-2), True, 1000),  # clock skew: answered "before" the open
    ],
)
def test_answer_window(offset: timedelta, accepted: bool, points: int | None) -> None:
    """Answers are taken up to and including the deadline; earlier-than-open answers count as instant."""
    rnd = make_round(seconds=20)
    rnd.open_next(T0)
    if not accepted:
        with pytest.raises(QuestionClosed):
            rnd.answer(1, right(rnd), T0 + offset)
        return
    answer = rnd.answer(1, right(rnd), T0 + offset)
    assert answer.points == points
    assert answer.elapsed == max(offset, timedelta(0))
    assert answer.answered_at == T0 + offset


def test_answer_when_nothing_is_open() -> None:
    """Answering before the first open or after a close raises QuestionClosed."""
    rnd = make_round()
    with pytest.raises(QuestionClosed):
        rnd.answer(1, 0, T0)
    rnd.open_next(T0)
    rnd.close(T0 + timedelta(seconds=3))
    with pytest.raises(QuestionClosed):
        rnd.answer(1, 0, T0 + timedelta(seconds=4))


@pytest.mark.parametrize(("choices", "position"), [(4, -1), (4, 4), (2, 2), (5, 5)])
def test_answer_outside_the_choices(choices: int, position: int) -> None:
    """A position that is not on screen raises InvalidChoice and records nothing."""
    rnd = make_round(choices=choices)
    rnd.open_next(T0)
    with pytest.raises(InvalidChoice):
        rnd.answer(1, position, T0)
    assert rnd.answer_of(1) is None


def test_second_answer_is_refused() -> None:
    """A player's first answer stands; a second raises AlreadyAnswered naming the first position."""
    rnd = make_round()
    rnd.open_next(T0)
    first = rnd.answer(1, wrong(rnd), T0 + timedelta(seconds=1))
    with pytest.raises(AlreadyAnswered) as info:
        rnd.answer(1, right(rnd), T0 + timedelta(seconds=2))
    assert info.value.position == first.position
    assert rnd.answer_of(1) == first


def test_answer_records_letter_and_correctness() -> None:
    """An answer knows its letter, whether it is right, and its points."""
    rnd = make_round()
    rnd.open_next(T0)
    good = rnd.answer(1, right(rnd), T0 + timedelta(seconds=5))
    bad = rnd.answer(2, wrong(rnd), T0 + timedelta(seconds=1))
    assert (good.correct, good.points, good.streak) == (True, 875, 1)
    assert (bad.correct, bad.points, bad.streak) == (False, 0, 0)
    assert good.letter == "ABCDE"[right(rnd)]


def test_close_reveals_distribution_and_answers() -> None:
    """The reveal counts answers per display position and lists answers in the order they came."""
    rnd = make_round(count=2)
    rnd.open_next(T0)
    r, w = right(rnd), wrong(rnd)
    rnd.answer(3, r, T0 + timedelta(seconds=9))
    rnd.answer(1, w, T0 + timedelta(seconds=2))
    rnd.answer(2, r, T0 + timedelta(seconds=4))
    reveal = rnd.close(T0 + timedelta(seconds=20))
    expected = [0, 0, 0, 0]
    expected[r], expected[w] = 2, 1
    assert reveal.distribution == tuple(expected)
    assert [a.player_id for a in reveal.answers] == [1, 2, 3]
    assert [a.player_id for a in reveal.correct_answers] == [2, 3]
    assert reveal.question == rnd.questions[0].question
    assert reveal.total_questions == 2
    assert rnd.current is None


def test_close_with_no_answers() -> None:
    """A question nobody answered reveals an all-zero distribution."""
    rnd = make_round(choices=3)
    rnd.open_next(T0)
    reveal = rnd.close(T0)
    assert reveal.distribution == (0, 0, 0)
    assert reveal.answers == ()
    assert rnd.standings() == []


def test_close_when_nothing_is_open() -> None:
    """Closing twice raises QuestionClosed."""
    rnd = make_round()
    with pytest.raises(QuestionClosed):
        rnd.close(T0)


def play(rnd: Round, clock: FakeClock, script: list[dict[int, bool]]) -> list[Reveal]:
    """Play one question per script entry: each player answers right (True) or wrong (False) after 5 s."""
    reveals = []
    for answers in script:
        rnd.open_next(clock.now)
        at = clock.advance(5)
        for player, is_right in answers.items():
            rnd.answer(player, right(rnd) if is_right else wrong(rnd), at)
        reveals.append(rnd.close(clock.advance(15)))
    return reveals


def test_streak_grows_and_earns_its_bonus() -> None:
    """Consecutive correct answers earn 875, 975, 1075... until the +500 cap."""
    rnd = make_round(count=8)
    reveals = play(rnd, FakeClock(), [{1: True}] * 8)
    assert [r.answers[0].points for r in reveals] == [875, 975, 1075, 1175, 1275, 1375, 1375, 1375]
    assert [r.answers[0].streak for r in reveals] == [1, 2, 3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize(
    ("script", "streaks"),
    [
        ([{1: True}, {1: True}, {}, {1: True}], [1, 2, 1]),  # skipping a question resets the streak
        ([{1: True}, {1: False}, {1: True}], [1, 0, 1]),  # a wrong answer resets it
        ([{1: True, 2: True}, {2: True}, {1: True, 2: True}], [1, 1]),  # others answering keeps no streak alive
        ([{1: False}, {1: True}, {1: True}], [0, 1, 2]),
    ],
)
def test_streak_resets(script: list[dict[int, bool]], streaks: list[int]) -> None:
    """A player's streak restarts after a wrong answer or a question they skipped."""
    rnd = make_round(count=len(script))
    reveals = play(rnd, FakeClock(), script)
    assert [a.streak for r in reveals for a in r.answers if a.player_id == 1] == streaks


def test_standings_share_ranks_on_equal_points() -> None:
    """Equal points share a rank and the next rank skips (1, 1, 3); ties list the faster player first."""
    rnd = make_round(count=1)
    rnd.open_next(T0)
    rnd.answer(10, right(rnd), T0 + timedelta(microseconds=1))  # still 1000 points, but slower
    rnd.answer(20, right(rnd), T0)
    rnd.answer(5, wrong(rnd), T0)
    rnd.close(T0 + timedelta(seconds=20))
    assert rnd.standings() == [
        Standing(rank=1, player_id=20, points=1000, correct=1, answered=1, best_streak=1),
        Standing(rank=1, player_id=10, points=1000, correct=1, answered=1, best_streak=1),
        Standing(rank=3, player_id=5, points=0, correct=0, answered=1, best_streak=0),
    ]


def test_standings_ranks_with_a_tie_in_the_middle() -> None:
    """Ranks run 1, 2, 2, 4 when the second and third players tie; equal time falls back to player id."""
    rnd = make_round(count=1)
    rnd.open_next(T0)
    rnd.answer(4, right(rnd), T0)
    rnd.answer(3, right(rnd), T0 + timedelta(seconds=8))
    rnd.answer(2, right(rnd), T0 + timedelta(seconds=8))
    rnd.answer(1, right(rnd), T0 + timedelta(seconds=16))
    rnd.close(T0 + timedelta(seconds=20))
    assert [(s.rank, s.player_id, s.points) for s in rnd.standings()] == [
        (1, 4, 1000),
        (2, 2, 800),
        (2, 3, 800),
        (4, 1, 600),
    ]


def test_standings_track_best_streak() -> None:
    """Standings report the longest run of correct answers, not the current one."""
    rnd = make_round(count=5)
    play(rnd, FakeClock(), [{1: True}, {1: True}, {1: True}, {1: False}, {1: True}])
    [standing] = rnd.standings()
    assert (standing.correct, standing.answered, standing.best_streak) == (4, 5, 3)


def test_totals_change_only_on_close() -> None:
    """An open question's answers do not count in the standings until it closes."""
    rnd = make_round()
    rnd.open_next(T0)
    rnd.answer(1, right(rnd), T0)
    assert rnd.standings() == []
    rnd.close(T0)
    assert [s.points for s in rnd.standings()] == [1000]


# --- replay: a round is a pure function of its calls --------------------------------------------

PLAYERS = st.integers(min_value=1, max_value=5)
OFFSETS = st.integers(min_value=-2_000, max_value=24_000)  # milliseconds after the open
QUESTION_SCRIPT = st.dictionaries(PLAYERS, st.tuples(st.integers(min_value=0, max_value=3), OFFSETS), max_size=5)


@dataclass(frozen=True)
class Call:
    """One recorded engine call: ``kind`` is open, answer or close."""

    kind: str
    at: datetime
    player: int = 0
    position: int = 0


def record(script: list[dict[int, tuple[int, int]]]) -> list[Call]:
    """The calls an adapter would log for ``script``: open every minute, answers, close at the deadline."""
    calls: list[Call] = []
    for number, answers in enumerate(script):
        opened = T0 + timedelta(minutes=number)
        calls.append(Call("open", opened))
        for player, (position, offset) in answers.items():
            calls.append(Call("answer", opened + timedelta(milliseconds=offset), player, position))
        calls.append(Call("close", opened + timedelta(seconds=20)))
    return calls


def run(calls: list[Call], count: int) -> tuple[list[Reveal], list[Standing]]:
    """Drive a fresh round through ``calls``; late answers are refused exactly as in play."""
    rnd, reveals = make_round(count=count), []
    for call in calls:
        if call.kind == "open":
            rnd.open_next(call.at)
        elif call.kind == "answer":
            # A recorded late answer is refused again on replay, exactly as it was live.
            with contextlib.suppress(QuestionClosed):
                rnd.answer(call.player, call.position, call.at)
        else:
            reveals.append(rnd.close(call.at))
    return reveals, rnd.standings()


@given(script=st.lists(QUESTION_SCRIPT, min_size=1, max_size=6))
def test_replaying_recorded_calls_rebuilds_the_round(script: list[dict[int, tuple[int, int]]]) -> None:
    """Feeding the same recorded calls to a fresh round yields identical reveals and standings."""
    calls = record(script)
    assert run(calls, len(script)) == run(list(calls), len(script))


@given(script=st.lists(QUESTION_SCRIPT, min_size=1, max_size=6), seed=st.integers())
def test_answer_arrival_order_does_not_change_points(script: list[dict[int, tuple[int, int]]], seed: int) -> None:
    """Within a question, the order answers are submitted in never changes anyone's points or rank."""
    calls = record(script)
    shuffled: list[Call] = []
    pending: list[Call] = []
    for call in calls:
        if call.kind == "answer":
            pending.append(call)
            continue
        random.Random(seed).shuffle(pending)
        shuffled += [*pending, call]
        pending = []
    assert run(shuffled, len(script))[1] == run(calls, len(script))[1]


@given(script=st.lists(QUESTION_SCRIPT, min_size=1, max_size=8))
def test_round_matches_a_reference_model(script: list[dict[int, tuple[int, int]]]) -> None:
    """Every accepted answer's streak, points and totals agree with a straightforward model of the rules."""
    reveals, standings = run(record(script), len(script))
    streak: dict[int, int] = {}
    totals: dict[int, int] = {}
    for reveal in reveals:
        answered = {a.player_id for a in reveal.answers}
        for answer in reveal.answers:
            assert answer.elapsed <= timedelta(seconds=20)
            expected_streak = streak.get(answer.player_id, 0) + 1 if answer.correct else 0
            assert answer.streak == expected_streak
            bonus = min(max(expected_streak - 1, 0) * 100, 500)
            if answer.correct:
                assert 500 + bonus <= answer.points <= 1000 + bonus
            else:
                assert answer.points == 0
            streak[answer.player_id] = expected_streak
            totals[answer.player_id] = totals.get(answer.player_id, 0) + answer.points
        for player in streak.keys() - answered:
            streak[player] = 0
        assert sum(reveal.distribution) == len(reveal.answers)
    assert {s.player_id: s.points for s in standings} == totals
    assert [s.points for s in standings] == sorted(totals.values(), reverse=True)
    for place, s in enumerate(standings, start=1):
        assert s.rank == min(p for p, t in enumerate(standings, start=1) if t.points == s.points) <= place


def test_the_reveal_names_the_streaks_a_skipped_question_broke() -> None:
    """Only players with a streak who left the question unanswered are named; a wrong answer is in the answers."""
    rnd = make_round(count=3)
    first, second, third = play(rnd, FakeClock(), [{1: True, 2: True, 3: False}, {2: False}, {2: True}])
    assert first.broken_streaks == ()
    assert second.broken_streaks == (1,)  # 3 had no streak to lose; 2's wrong answer is scored as such
    assert third.broken_streaks == ()  # 1's streak is already gone
