"""The quiz engine: rounds, answers, scoring and selection as plain data, with no I/O."""

from bot.quiz.errors import (
    AlreadyAnswered,
    InvalidChoice,
    NotEnoughQuestions,
    QuestionClosed,
    QuestionStillOpen,
    QuizError,
    RoundOver,
)
from bot.quiz.questions import Bank, Difficulty, Question, Source
from bot.quiz.round import LETTERS, Answer, OpenQuestion, PlayedQuestion, Reveal, Round, Standing
from bot.quiz.rules import RoundRules, round_rules, scoring_of
from bot.quiz.scoring import Scoring
from bot.quiz.selection import Deck, draw, draw_round

__all__ = [
    "LETTERS",
    "AlreadyAnswered",
    "Answer",
    "Bank",
    "Deck",
    "Difficulty",
    "InvalidChoice",
    "NotEnoughQuestions",
    "OpenQuestion",
    "PlayedQuestion",
    "Question",
    "QuestionClosed",
    "QuestionStillOpen",
    "QuizError",
    "Reveal",
    "Round",
    "RoundOver",
    "RoundRules",
    "Scoring",
    "Source",
    "Standing",
    "draw",
    "draw_round",
    "round_rules",
    "scoring_of",
]
