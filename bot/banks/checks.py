"""Checks the schema cannot express: unique ids, distinct choices, the answer among them, passages found.

They run on the plain data read from YAML, not on the validated model, so that they still report their
problems when some other part of the file is invalid: an author sees every error at once.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from rapidfuzz import fuzz, process

from bot.banks.closest import SUGGESTION_BUDGET, ClosestSentences
from bot.banks.errors import show
from bot.banks.messages import Finding
from bot.banks.model import MAX_PASSAGE
from bot.banks.passages import Article, normalise
from bot.banks.text import all_fit, as_seen, comparable, forbidden, strings, texts, visible
from bot.banks.yaml_source import YamlDocument

#: A bank checked against the wrong article gets suggestions for its first missing passages only (and
#: within a time budget: see `bot.banks.closest`).
MAX_SUGGESTIONS = 100
MAX_QUOTED_SENTENCE = 300
#: A passage of a word or two is "found" in almost any article, and then proves nothing.
MIN_PASSAGE_WORDS = 3
#: Unless it is this long (for languages written without spaces between words).
MIN_PASSAGE_CHARACTERS = 20


def _text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


def _questions(document: YamlDocument) -> list[tuple[int, dict[str, Any]]]:
    data = document.data
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list):
        return []
    return [(index, question) for index, question in enumerate(questions) if isinstance(question, dict)]


def check_questions(document: YamlDocument) -> list[Finding]:
    """Question ids unique within the bank, choices distinct, and the answer exactly one of the choices."""
    findings: list[Finding] = []
    first_with_id: dict[str, int] = {}
    for index, question in _questions(document):
        base = f"questions[{index}]"
        question_id = question.get("id")
        if _text(question_id):
            if question_id in first_with_id:
                first = f"questions[{first_with_id[question_id]}]"
                line = document.marks.get(f"{first}.id", (None,))[0]
                where = f"{first} (line {line})" if line else first
                findings.append(
                    Finding(f"{base}.id", f"duplicate question id {question_id!r}; {where} already uses it")
                )
            else:
                first_with_id[question_id] = index
        choices = question.get("choices")
        if isinstance(choices, list):
            findings.extend(_distinct_choices(base, choices))
            findings.extend(_answer_among(base, question.get("answer"), choices))
    return findings


def check_related(document: YamlDocument) -> list[Finding]:
    """Each related group names questions of the bank, and each question is in one group at most."""
    data = document.data
    groups = data.get("related") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        return []
    known = [question.get("id") for _, question in _questions(document)]
    ids = [question_id for question_id in known if _text(question_id)]
    findings: list[Finding] = []
    first_group: dict[str, int] = {}
    for number, group in enumerate(groups):
        if not isinstance(group, list):
            continue
        for position, question_id in enumerate(group):
            field = f"related[{number}][{position}]"
            if not _text(question_id):
                continue
            if question_id not in ids:
                findings.append(Finding(field, _unknown_question(question_id, ids)))
            elif question_id in first_group:
                where = first_group[question_id]
                again = "earlier in this group" if where == number else f"in related[{where}]"
                findings.append(
                    Finding(field, f"{question_id!r} is already {again}; a question belongs to one group at most")
                )
            else:
                first_group[question_id] = number
    return findings


def _unknown_question(question_id: str, ids: list[str]) -> str:
    message = f"{question_id!r} is not the id of a question in this bank"
    best = process.extractOne(question_id, ids, scorer=fuzz.ratio, score_cutoff=70)
    return f"{message}; did you mean {best[0]!r}?" if best is not None else message


def _distinct_choices(base: str, choices: list[Any]) -> list[Finding]:
    findings: list[Finding] = []
    first_with_key: dict[str, str] = {}
    for position, choice in enumerate(choices):
        if not _text(choice):
            continue
        key = as_seen(choice)
        if key in first_with_key:
            findings.append(
                Finding(
                    f"{base}.choices[{position}]",
                    f"{choice!r} repeats the choice {first_with_key[key]!r} "
                    "(choices are compared as players see them: ignoring case, spacing, invisible characters "
                    "and letters that look alike)",
                )
            )
        else:
            first_with_key[key] = choice
    return findings


def _answer_among(base: str, answer: Any, choices: list[Any]) -> list[Finding]:
    # Only when every choice is text: otherwise the schema errors already say what is wrong.
    if not _text(answer) or not choices or not all(isinstance(choice, str) for choice in choices):
        return []
    if answer_index(answer, choices) is not None:
        return []
    near = [choice for choice in choices if as_seen(choice) == as_seen(answer)]
    message = f"{show(answer)} is not one of the choices"
    if near:
        message += f"; did you mean {show(near[0])}? (the answer must match a choice exactly)"
    return [Finding(f"{base}.answer", message)]


def answer_index(answer: str, choices: list[str] | tuple[str, ...]) -> int | None:
    """The index of the choice the answer names (compared in `comparable` form), or None."""
    wanted = comparable(answer)
    return next((index for index, choice in enumerate(choices) if comparable(choice) == wanted), None)


def check_text(document: YamlDocument) -> list[Finding]:
    """No text holds a control or bidi character, and none is made of invisible characters alone."""
    if all_fit(texts(document.data, [])):
        return []  # the usual case, without building the path of every value
    findings: list[Finding] = []
    for path, value in strings(document.data):
        why = forbidden(value)
        if why is not None:
            findings.append(Finding(path, why))
        elif value.strip() and not visible(value):
            findings.append(Finding(path, "shows nothing: it holds only invisible characters (like zero-width spaces)"))
    return findings


def _too_short(passage: str) -> bool:
    folded = normalise(passage)
    return len(folded.split()) < MIN_PASSAGE_WORDS and len(folded) < MIN_PASSAGE_CHARACTERS


def check_passages(
    document: YamlDocument,
    article: Article,
    *,
    max_suggestions: int = MAX_SUGGESTIONS,
    suggestion_budget: float = SUGGESTION_BUDGET,
) -> tuple[list[Finding], dict[int, int]]:
    """Every passage located in the article: the problems, and the paragraph of each question found.

    A passage not found gets the article's closest sentence as a hint, for the first ``max_suggestions``
    of them and within ``suggestion_budget`` seconds in all (see `bot.banks.closest`).
    """
    findings: list[Finding] = []
    paragraphs: dict[int, int] = {}
    suggestions_left = max_suggestions
    closest = ClosestSentences(article, budget=suggestion_budget)
    for index, question in _questions(document):
        passage = question.get("passage")
        if not _text(passage) or len(passage) > MAX_PASSAGE:
            # An overlong passage is refused by the schema; searching for it would only add noise.
            continue
        if _too_short(passage):
            findings.append(
                Finding(
                    f"questions[{index}].passage",
                    f"is too short: quote at least {MIN_PASSAGE_WORDS} words of the article, so that it shows "
                    "where the answer comes from",
                )
            )
            continue
        paragraph = article.locate(passage)
        if paragraph is not None:
            paragraphs[index] = paragraph
            continue
        message = f"passage not found in {article.name}"
        if "..." in passage or "\u2026" in passage:
            message += " (an ellipsis cannot stand for skipped words: quote one unbroken stretch)"
        if suggestions_left > 0:
            suggestions_left -= 1
            best = closest.closest(passage)
            if best is not None:
                sentence = best.sentence
                if len(sentence) > MAX_QUOTED_SENTENCE:
                    sentence = sentence[: MAX_QUOTED_SENTENCE - 1] + "\u2026"
                message += f'; closest sentence (¶{best.paragraph}, {best.score:.0f}%): "{sentence}"'
        findings.append(Finding(f"questions[{index}].passage", message))
    return findings, paragraphs
