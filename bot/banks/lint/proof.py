"""Passages that do not prove their answer: they name a wrong choice and not the right one, begin with a
pronoun whose antecedent was cut off, or are too short to say anything on their own."""

from __future__ import annotations

from bot.banks.lint.text import contains, is_true_false, key, words
from bot.banks.lint.warning import Kind, LintWarning, at
from bot.quiz import Bank

#: A passage of fewer words than this cannot show, on its own, why the answer is right.
MIN_PASSAGE_WORDS = 5
#: Words that point back to something the passage left out.
_DANGLING_WORDS = "he she it they them his her hers its their "
_DANGLING_WORDS += "theirs this these those him such which who whom whose"
DANGLING = frozenset(_DANGLING_WORDS.split())


def passage_warnings(bank: Bank) -> list[LintWarning]:
    """Warnings for passages that name a wrong choice only, start with a dangling pronoun, or are too short."""
    warnings: list[LintWarning] = []
    for index, question in enumerate(bank.questions):
        passage = words(question.passage)
        field = at(index, "passage")
        if not is_true_false(question.choices) and not contains(passage, key(question.correct_choice)):
            named = [
                choice
                for position, choice in enumerate(question.choices)
                if position != question.answer and contains(passage, key(choice))
            ]
            if named:
                warnings.append(
                    LintWarning(
                        Kind.PASSAGE_CHOICE,
                        field,
                        f"the passage names the choice {named[0]!r} but not the answer "
                        f"{question.correct_choice!r}: is the answer key right, or the passage cut short?",
                        question.id,
                    )
                )
        if passage and passage[0] in DANGLING:
            warnings.append(
                LintWarning(
                    Kind.PASSAGE,
                    field,
                    f"the passage begins with {question.passage.split()[0]!r}, whose antecedent is not quoted: "
                    "start the quote where the subject is named",
                    question.id,
                )
            )
        if len(passage) < MIN_PASSAGE_WORDS:
            warnings.append(
                LintWarning(
                    Kind.PASSAGE,
                    field,
                    f"the passage has {len(passage)} word(s): quote at least {MIN_PASSAGE_WORDS}, enough to prove "
                    "the answer on its own",
                    question.id,
                )
            )
    return warnings
