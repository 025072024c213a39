"""Leaks: one question giving away another's answer in what a round shows (prompt, revealed answer,
explanation, passage), and near-duplicate questions (the same passage, or prompts that say the same thing).
`bot.banks.lint.groups` sets aside the pairs a related group settles.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.banks.lint.text import contains, is_true_false, key, words
from bot.banks.lint.warning import Kind, LintWarning, at
from bot.banks.passages import normalise
from bot.quiz import Bank, Question

#: Prompts at least this similar (rapidfuzz token-sort ratio, 0-100) are paraphrases of each other.
PARAPHRASE_SCORE = 80
#: An answer found in this share of the bank's other questions (and in at least this many) is its topic,
#: not a giveaway.
TOPIC_SHARE = 0.2
MIN_TOPIC_MENTIONS = 3
#: Words too common to make an answer distinctive on their own.
_COMMON_WORDS = "one two three four five six seven eight nine ten none all "
_COMMON_WORDS += "both neither other and or of in on to for by at it its not no yes"
_COMMON = frozenset(_COMMON_WORDS.split())
_SHOWN_FIELDS = ("prompt", "answer", "explanation", "passage")


@dataclass(frozen=True, slots=True)
class Pair:
    """Two questions that should not meet in a round: ``shown`` (by index) gives away ``spoiled``."""

    kind: Kind
    shown: int
    spoiled: int
    field: str
    message: str


def _shown_text(question: Question) -> dict[str, tuple[str, ...]]:
    return {
        "prompt": words(question.prompt),
        # A distractor naming another question's answer hints at nothing; the revealed right answer does.
        "answer": words(question.correct_choice),
        "explanation": words(question.explanation),
        "passage": words(question.passage),
    }


def _distinctive(answer: tuple[str, ...]) -> bool:
    return any(word not in _COMMON and (len(word) >= 3 or any(c.isdigit() for c in word)) for word in answer)


def topic_answers(bank: Bank) -> set[tuple[str, ...]]:
    """Answers that are the bank's subject (named in its titles, or in a fifth of its questions): no giveaway."""
    titles = words(" ".join([bank.title, bank.description, bank.source.title]))
    texts = [words(" ".join([q.prompt, *q.choices, q.explanation, q.passage])) for q in bank.questions]
    topics: set[tuple[str, ...]] = set()
    for index, question in enumerate(bank.questions):
        answer = key(question.correct_choice)
        others = sum(1 for number, text in enumerate(texts) if number != index and contains(text, answer))
        if contains(titles, answer) or others >= max(MIN_TOPIC_MENTIONS, TOPIC_SHARE * len(texts)):
            topics.add(answer)
    return topics


def leak_pairs(bank: Bank) -> list[Pair]:
    """Every pair where one question shows another's distinctive answer, or the two are near-duplicates."""
    questions = bank.questions
    topics = topic_answers(bank)
    shown = [_shown_text(question) for question in questions]
    pairs: list[Pair] = []
    for spoiled, question in enumerate(questions):
        answer = key(question.correct_choice)
        if is_true_false(question.choices) or not _distinctive(answer) or answer in topics:
            continue
        for other, fields in enumerate(shown):
            if other == spoiled:
                continue
            field = next((name for name in _SHOWN_FIELDS if contains(fields[name], answer)), None)
            if field is not None:
                message = (
                    f"the {field} gives away the answer of {question.id!r} ({question.correct_choice!r}): rewrite "
                    f"it, or declare the two related"
                )
                pairs.append(Pair(Kind.LEAK, other, spoiled, field, message))
    pairs.extend(_duplicates(bank))
    return pairs


def _duplicates(bank: Bank) -> list[Pair]:
    questions = bank.questions
    passages = [normalise(question.passage) for question in questions]
    prompts = [" ".join(words(question.prompt)) for question in questions]
    pairs: list[Pair] = []
    for second in range(len(questions)):
        for first in range(second):
            one, two = passages[first], passages[second]
            if one in two or two in one:
                what = "the same passage as" if one == two else "a passage overlapping that of"
                field = "passage"
            elif fuzz.token_sort_ratio(prompts[first], prompts[second]) >= PARAPHRASE_SCORE:
                what, field = "a prompt that paraphrases that of", "prompt"
            else:
                continue
            message = f"has {what} {questions[first].id!r}: drop one, or declare the two related"
            pairs.append(Pair(Kind.DUPLICATE, second, first, field, message))
    return pairs


def self_leaks(bank: Bank) -> list[LintWarning]:
    """A warning per question whose prompt states its own answer."""
    warnings: list[LintWarning] = []
    for index, question in enumerate(bank.questions):
        answer = key(question.correct_choice)
        if is_true_false(question.choices) or not _distinctive(answer):
            continue
        if contains(words(question.prompt), answer):
            message = f"the prompt states the question's own answer ({question.correct_choice!r})"
            warnings.append(LintWarning(Kind.LEAK, at(index, "prompt"), message, question.id))
    return warnings


def pair_warnings(bank: Bank, pairs: list[Pair]) -> list[LintWarning]:
    """One warning per pair, at the field of the question that gives the other away."""
    return [
        LintWarning(pair.kind, at(pair.shown, pair.field), pair.message, bank.questions[pair.shown].id)
        for pair in pairs
    ]
