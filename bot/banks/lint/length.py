"""The length cue: a right answer that stands out by being longer than every distractor."""

from __future__ import annotations

from dataclasses import dataclass

from bot.banks.lint.warning import Kind, LintWarning, at
from bot.quiz import Bank, Question

#: An answer is flagged when it is this many times as long as the longest distractor...
LENGTH_RATIO = 1.3
#: ...and at least this many characters longer.
LENGTH_MARGIN = 8
#: The bank is flagged when always picking the longest choice beats guessing by more than this share...
LONGEST_MARGIN = 0.10
#: ...over at least this many questions (fewer is too few to tell).
MIN_QUESTIONS_FOR_RATE = 10


@dataclass(frozen=True, slots=True)
class LongestRate:
    """How a player who always picks the longest choice scores, against one who guesses."""

    longest: float
    guessing: float
    questions: int

    @property
    def cue(self) -> bool:
        """Whether "pick the longest" beats guessing by enough, over enough questions, to be a cue."""
        return self.questions >= MIN_QUESTIONS_FOR_RATE and self.longest - self.guessing > LONGEST_MARGIN

    @property
    def reverse_cue(self) -> bool:
        """Whether the longest choice is right so rarely that ruling it out beats guessing: the opposite cue."""
        return self.questions >= MIN_QUESTIONS_FOR_RATE and self.guessing - self.longest > LONGEST_MARGIN


def _longest_share(question: Question) -> float:
    """The expected score of picking the longest choice (ties broken at random)."""
    longest = max(len(choice) for choice in question.choices)
    tied = [index for index, choice in enumerate(question.choices) if len(choice) == longest]
    return 1 / len(tied) if question.answer in tied else 0.0


def longest_rate(bank: Bank) -> LongestRate:
    """The bank-wide scores of "always pick the longest choice" and of guessing, as shares of 1."""
    questions = bank.questions
    if not questions:
        return LongestRate(0.0, 0.0, 0)
    longest = sum(_longest_share(question) for question in questions) / len(questions)
    guessing = sum(1 / len(question.choices) for question in questions) / len(questions)
    return LongestRate(longest, guessing, len(questions))


def length_warnings(bank: Bank) -> list[LintWarning]:
    """A warning per question whose answer is much longer than every distractor, and one for the bank's rate."""
    warnings: list[LintWarning] = []
    for index, question in enumerate(bank.questions):
        answer = len(question.correct_choice)
        others = [len(choice) for position, choice in enumerate(question.choices) if position != question.answer]
        longest_other = max(others, default=0)
        if answer >= LENGTH_RATIO * longest_other and answer - longest_other >= LENGTH_MARGIN:
            warnings.append(
                LintWarning(
                    Kind.LENGTH,
                    at(index, "answer"),
                    f"the answer ({answer} characters) is much longer than every other choice (at most "
                    f"{longest_other}): lengthen the distractors or trim the answer",
                    question.id,
                )
            )
    rate = longest_rate(bank)
    if rate.cue:
        warnings.append(
            LintWarning(
                Kind.LENGTH,
                "questions",
                f"always picking the longest choice scores {rate.longest:.0%}, where guessing scores "
                f"{rate.guessing:.0%}: make the right answer the longest less often",
            )
        )
    elif rate.reverse_cue:
        warnings.append(
            LintWarning(
                Kind.LENGTH,
                "questions",
                f"the longest choice is right in only {rate.longest:.0%} of questions, where guessing scores "
                f"{rate.guessing:.0%}: players learn to rule it out, so let the answer be the longest more often",
            )
        )
    return warnings
