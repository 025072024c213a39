"""The demo's simulated players: who answers, what, and after how long; seeded, so runs repeat.

Pure planning: nothing here touches Discord or simcord, so it is tested on its own.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from bot.quiz import Difficulty, PlayedQuestion

# How often an average player picks the right choice, by the question's difficulty.
ACCURACY = {Difficulty.EASY: 0.85, Difficulty.MEDIUM: 0.65, Difficulty.HARD: 0.45}
# Harder questions take longer to read and decide.
THINKING = {Difficulty.EASY: 0.8, Difficulty.MEDIUM: 1.0, Difficulty.HARD: 1.3}
TYPICAL_DELAY = 6.0  # seconds: the median answer time of an average player on a 20 s medium question
DELAY_SPREAD = 0.45  # sigma of the lognormal: most answers land within about half to twice the median
EARLIEST = 0.8  # nobody reads a question and clicks in under a second


@dataclass(frozen=True, slots=True)
class Persona:
    """A simulated player's habits."""

    name: str
    skill: float  # added to the difficulty's accuracy
    pace: float  # multiplies the typical answer time
    attendance: float  # chance of answering a given question at all


PERSONAS = (
    Persona("Nino", skill=0.10, pace=0.8, attendance=0.97),
    Persona("Aram", skill=0.0, pace=1.0, attendance=0.95),
    Persona("Leyla", skill=0.05, pace=1.3, attendance=0.9),
    Persona("Sasha", skill=-0.05, pace=0.7, attendance=0.92),
    Persona("Tamar", skill=-0.12, pace=1.6, attendance=0.85),
    Persona("Emil", skill=0.02, pace=1.1, attendance=0.8),
    Persona("Zara", skill=0.08, pace=1.2, attendance=0.9),
    Persona("Giorgi", skill=-0.08, pace=0.9, attendance=0.88),
)


@dataclass(frozen=True, slots=True)
class PlannedAnswer:
    """One simulated click: who, which display position, and how long after the question opened."""

    persona: Persona
    position: int
    delay: float
    correct: bool


def rng_for(seed: int, round_seed: int, number: int) -> random.Random:
    """The random source of one question of one round: the same seed replays the same crowd."""
    return random.Random(f"{seed}:{round_seed}:{number}")


def plan_answers(
    rng: random.Random, personas: tuple[Persona, ...], played: PlayedQuestion, seconds: float
) -> list[PlannedAnswer]:
    """Who answers this question, right or wrong, and when; sorted by delay, all before the deadline."""
    difficulty = played.question.difficulty
    latest = max(seconds - 1.5, seconds * 0.6)
    median = min(TYPICAL_DELAY, seconds * 0.3) * THINKING[difficulty]
    wrong = [p for p in range(len(played.choices)) if p != played.correct_position]
    plans: list[PlannedAnswer] = []
    for persona in personas:
        # Draw every number for every persona, so one player's choices never shift another's.
        attends = rng.random() < persona.attendance
        correct = rng.random() < min(max(ACCURACY[difficulty] + persona.skill, 0.05), 0.98)
        guess = rng.choice(wrong)
        delay = rng.lognormvariate(math.log(median * persona.pace), DELAY_SPREAD)
        if not attends:
            continue
        delay = min(max(delay, min(EARLIEST, latest)), latest)
        position = played.correct_position if correct else guess
        plans.append(PlannedAnswer(persona, position, delay, correct))
    return sorted(plans, key=lambda plan: plan.delay)


#: The chance that, after a question somebody got wrong, one of those players reports it.
REPORT_CHANCE = 0.15
#: What a grumbling player files: a reason (``bot.reports.REASONS``) and a note.
COMPLAINTS = (
    ("wrong_answer", "I'm sure the article says otherwise."),
    ("several_right", "Two of these look right to me."),
    ("unclear", "I read this three times and still wasn't sure what it asked."),
    ("other", ""),
)


@dataclass(frozen=True, slots=True)
class PlannedReport:
    """A simulated player reporting the question they just got wrong."""

    persona: Persona
    reason: str
    note: str


def plan_report(rng: random.Random, answers: list[PlannedAnswer]) -> PlannedReport | None:
    """Now and then, one of the players who got the question wrong reports it; None most of the time."""
    roll, pick, complaint = rng.random(), rng.random(), rng.choice(COMPLAINTS)
    wrong = [answer.persona for answer in answers if not answer.correct]
    if not wrong or roll >= REPORT_CHANCE:
        return None
    return PlannedReport(wrong[int(pick * len(wrong))], *complaint)
