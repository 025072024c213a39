"""Leaks: one question giving away another's answer in what a round shows (prompt, revealed answer,
explanation, passage), and near-duplicate questions (the same passage, or prompts that say the same thing).
`bot.banks.lint.groups` sets aside the pairs a related group settles.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.banks.lint.text import contains, is_true_false, key, phrases_in, words
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


def _eligible(question: Question) -> tuple[str, ...] | None:
    """The answer's key, if it is one that can leak: not true/false, and distinctive."""
    answer = key(question.correct_choice)
    return None if is_true_false(question.choices) or not _distinctive(answer) else answer


def topic_answers(bank: Bank) -> set[tuple[str, ...]]:
    """Answers that are the bank's subject (named in its titles, or in a fifth of its questions): no giveaway."""
    titles = words(" ".join([bank.title, bank.description, bank.source.title]))
    answers = {question.id: key(question.correct_choice) for question in bank.questions}
    wanted = set(answers.values())
    lengths = {len(answer) for answer in wanted}
    naming: dict[tuple[str, ...], set[int]] = {}
    for index, question in enumerate(bank.questions):
        text = words(" ".join([question.prompt, *question.choices, question.explanation, question.passage]))
        for phrase in phrases_in(text, wanted, lengths):
            naming.setdefault(phrase, set()).add(index)
    in_titles = phrases_in(titles, wanted, lengths)
    needed = max(MIN_TOPIC_MENTIONS, TOPIC_SHARE * len(bank.questions))
    return {
        answers[question.id]
        for index, question in enumerate(bank.questions)
        if answers[question.id] in in_titles or len(naming.get(answers[question.id], set()) - {index}) >= needed
    }


def leak_pairs(bank: Bank) -> list[Pair]:
    """Every pair where one question shows another's distinctive answer, or the two are near-duplicates."""
    questions = bank.questions
    topics = topic_answers(bank)
    spoilable: dict[tuple[str, ...], list[int]] = {}
    for index, question in enumerate(questions):
        answer = _eligible(question)
        if answer is not None and answer not in topics:
            spoilable.setdefault(answer, []).append(index)
    lengths = {len(answer) for answer in spoilable}
    first_field: dict[tuple[int, int], str] = {}
    for other, question in enumerate(questions):
        shown = _shown_text(question)
        for field in _SHOWN_FIELDS:  # in this order, so that a pair is reported at its most visible field
            for phrase in phrases_in(shown[field], spoilable, lengths):
                for spoiled in spoilable[phrase]:
                    if spoiled != other:
                        first_field.setdefault((other, spoiled), field)
    pairs: list[Pair] = []
    for (other, spoiled), field in sorted(first_field.items(), key=lambda item: (item[0][1], item[0][0])):
        question = questions[spoiled]
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
    # Sorted words once per prompt: rapidfuzz's ratio of these is its token-sort ratio, without re-sorting
    # for each of the n squared pairs.
    prompts = [" ".join(sorted(words(question.prompt))) for question in questions]
    pairs: list[Pair] = []
    for second in range(len(questions)):
        for first in range(second):
            one, two = passages[first], passages[second]
            if one in two or two in one:
                what = "the same passage as" if one == two else "a passage overlapping that of"
                field = "passage"
            elif fuzz.ratio(prompts[first], prompts[second], score_cutoff=PARAPHRASE_SCORE):
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
        answer = _eligible(question)
        if answer is not None and contains(words(question.prompt), answer):
            message = f"the prompt states the question's own answer ({question.correct_choice!r})"
            warnings.append(LintWarning(Kind.LEAK, at(index, "prompt"), message, question.id))
    return warnings


def pair_warnings(bank: Bank, pairs: list[Pair]) -> list[LintWarning]:
    """One warning per pair, at the field of the question that gives the other away."""
    return [
        LintWarning(pair.kind, at(pair.shown, pair.field), pair.message, bank.questions[pair.shown].id)
        for pair in pairs
    ]
