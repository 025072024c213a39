"""The simulated players' plans: reproducible, before the deadline, and right about as often as designed."""

from __future__ import annotations

import dataclasses

import pytest

from bot.demo.players import ACCURACY, PERSONAS, REPORT_CHANCE, Persona, plan_answers, plan_report, rng_for
from bot.quiz import Difficulty, PlayedQuestion
from bot.reports import REASONS
from tests.quiz.helpers import make_question


def played(difficulty: Difficulty = Difficulty.MEDIUM, number: int = 1) -> PlayedQuestion:
    """A four-choice question of the given difficulty, shuffled as a round would."""
    question = dataclasses.replace(make_question(f"q{number}"), difficulty=difficulty)
    return PlayedQuestion.shuffled(number, question, seed=3)


def test_same_seed_same_crowd() -> None:
    """The same seed, round and question number give the same answers at the same times."""
    first = plan_answers(rng_for(1, 99, 2), PERSONAS, played(), 20)
    again = plan_answers(rng_for(1, 99, 2), PERSONAS, played(), 20)
    other = plan_answers(rng_for(2, 99, 2), PERSONAS, played(), 20)
    assert first == again
    assert first != other


@pytest.mark.parametrize("seconds", [5, 20, 120])
def test_answers_land_before_the_deadline_in_order(seconds: int) -> None:
    """Every planned click is at least a moment after the question opens, before it closes, sorted by time."""
    for number in range(1, 60):
        plans = plan_answers(rng_for(7, 1, number), PERSONAS, played(number=number), seconds)
        delays = [plan.delay for plan in plans]
        assert delays == sorted(delays)
        assert all(0.5 <= delay <= seconds - 1 for delay in delays)


@pytest.mark.parametrize("difficulty", list(Difficulty))
def test_accuracy_follows_difficulty(difficulty: Difficulty) -> None:
    """An average player is right about as often as ACCURACY says, and right means the right position."""
    average = (Persona("Avery", skill=0.0, pace=1.0, attendance=1.0),)
    plans = [plan_answers(rng_for(5, 0, n), average, played(difficulty, n), 20)[0] for n in range(1, 2001)]
    rate = sum(plan.correct for plan in plans) / len(plans)
    assert rate == pytest.approx(ACCURACY[difficulty], abs=0.04)
    for n, plan in enumerate(plans, start=1):
        assert (plan.position == played(difficulty, n).correct_position) is plan.correct


def test_harder_questions_take_longer() -> None:
    """The same player answers hard questions more slowly than easy ones, on average."""
    average = (Persona("Avery", skill=0.0, pace=1.0, attendance=1.0),)

    def mean_delay(difficulty: Difficulty) -> float:
        plans = [plan_answers(rng_for(5, 0, n), average, played(difficulty, n), 20)[0] for n in range(1, 501)]
        return sum(plan.delay for plan in plans) / len(plans)

    assert mean_delay(Difficulty.EASY) < mean_delay(Difficulty.MEDIUM) < mean_delay(Difficulty.HARD)


def test_absent_players_do_not_answer() -> None:
    """A player who never attends plans no click."""
    ghost = (Persona("Ghost", skill=0.0, pace=1.0, attendance=0.0),)
    assert plan_answers(rng_for(1, 1, 1), ghost, played(), 20) == []


def test_reports_are_rare_reproducible_and_by_a_player_who_got_it_wrong() -> None:
    """About REPORT_CHANCE of questions someone got wrong are reported, by one of those players, the same per seed."""
    reports = 0
    asked = 0
    for number in range(1, 400):
        rng = rng_for(5, 1, number)
        plans = plan_answers(rng, PERSONAS, played(number=number), 20)
        report = plan_report(rng, plans)
        again_rng = rng_for(5, 1, number)
        assert plan_report(again_rng, plan_answers(again_rng, PERSONAS, played(number=number), 20)) == report
        if any(not plan.correct for plan in plans):
            asked += 1
        if report is not None:
            reports += 1
            assert report.persona in {plan.persona for plan in plans if not plan.correct}
            assert report.reason in REASONS
    assert abs(reports / asked - REPORT_CHANCE) < 0.06


def test_nobody_reports_a_question_everybody_got_right() -> None:
    """With no wrong answer there is no one to complain."""
    rng = rng_for(1, 1, 1)
    right_only = [p for p in plan_answers(rng, PERSONAS, played(), 20) if p.correct]
    assert all(plan_report(rng_for(1, 1, n), right_only) is None for n in range(50))
