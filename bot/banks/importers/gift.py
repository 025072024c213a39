"""Read GIFT, Moodle's plain-text quiz format, into drafts (https://docs.moodle.org/en/GIFT_format).

Kept: ``::title::``, multiple choice with one correct answer (``{=right ~wrong}``, or ``~%100%`` for the
right one), true/false (``{T}``, ``{FALSE}``), per-answer ``#feedback``, ``####general feedback``, the
missing-word form (text after the ``{...}`` block), multi-line questions, ``//`` comment lines, the escapes
``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``, format markers (``[html]`` text is turned into plain text), and
``$CATEGORY:`` lines (each becomes a tag of the questions after it). Comments of the form
``// quizbot KEY: JSON`` carry what GIFT has no syntax for (passages, difficulty, tags, the bank's fields);
`bot.banks.export` writes them so that an exported bank imports back whole.

Skipped, with an issue naming the line: essays, descriptions, short answer, numerical, matching, several
correct answers, and partial credit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from bot.banks.importers.form import Draft, Imported, ImportIssue, difficulty_of, tag_of, true_false
from bot.banks.importers.html_text import html_to_text

#: What a ``// quizbot KEY: JSON`` comment may set on the question after it.
QUESTION_KEYS = frozenset({"passage", "difficulty", "tags"})
#: The key of the bank-level comment.
BANK_KEY = "bank"
MARKERS = ("html", "moodle", "plain", "markdown")
ESCAPED = "~=#{}:\\"
#: Shown in place of the ``{...}`` block of a missing-word question.
BLANK = "_____"

_META = re.compile(r"^\s*//\s*quizbot\s+([a-z]+)\s*:\s*(.*)$")
_MARKER = re.compile(r"^\s*\[(" + "|".join(MARKERS) + r")\]\s*", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)


@dataclass(slots=True)
class _Chunk:
    line: int
    lines: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    category: str | None = None


@dataclass(frozen=True, slots=True)
class _Answer:
    text: str
    feedback: str
    correct: bool
    weight: float | None


class _Skip(Exception):
    """The question is not one we can import; the message says why."""


def parse_gift(text: str) -> Imported:
    """Read GIFT text into drafts, skipping (with an issue) what is not a single-answer question."""
    imported = Imported()
    for chunk in _chunks(text, imported):
        where = f"line {chunk.line}"
        try:
            draft = _question(chunk, where)
        except _Skip as skip:
            imported.skip(where, str(skip))
        else:
            imported.add(draft)
    return imported


def _chunks(text: str, imported: Imported) -> list[_Chunk]:
    """Questions are separated by blank lines; comment and category lines are not part of any question."""
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    pending: dict[str, Any] = {}
    category: str | None = None

    def flush() -> None:
        nonlocal current, pending
        if current is not None:
            current.meta = pending
            chunks.append(current)
            pending = {}
        current = None

    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("//"):
            _read_meta(line, number, pending, imported)
        elif stripped.startswith("$CATEGORY:"):
            flush()
            # Moodle categories are paths ($course$/top/History/Wars); the last part names the topic.
            category = stripped.removeprefix("$CATEGORY:").strip().rstrip("/").rsplit("/", 1)[-1] or None
        else:
            if current is None:
                current = _Chunk(number, category=category)
            current.lines.append(line)
    flush()
    return chunks


def _read_meta(line: str, number: int, pending: dict[str, Any], imported: Imported) -> None:
    match = _META.match(line)
    if match is None:
        return  # An ordinary comment.
    key, raw = match.groups()
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        imported.issues.append(_issue(number, f"the quizbot comment {key!r} is not valid JSON; ignored"))
        return
    if key == BANK_KEY and isinstance(value, dict):
        imported.bank.update(value)
    elif key in QUESTION_KEYS:
        pending[key] = value
    else:
        imported.issues.append(_issue(number, f"unknown quizbot comment {key!r}; ignored"))


def _issue(number: int, message: str) -> ImportIssue:
    return ImportIssue(f"line {number}", message)


def _question(chunk: _Chunk, where: str) -> Draft:
    text = "\n".join(chunk.lines)
    title = ""
    rest = text.lstrip()
    if rest.startswith("::"):
        end = _find(rest, "::", 2)
        if end < 0:
            raise _Skip("the '::title' is never closed with '::'")
        title = _plain(rest[2:end], html=False, marker=False)
        rest = rest[end + 2 :]
    marker, rest = _marker(rest)
    html = marker == "html"
    opening = _find(rest, "{")
    if opening < 0:
        raise _Skip("no answers in braces: a description, not a question")
    closing = _find(rest, "}", opening + 1)
    if closing < 0:
        raise _Skip("the answers' '{' is never closed with '}'")
    before, block, after = rest[:opening], rest[opening + 1 : closing], rest[closing + 1 :]
    # The question's marker is already stripped: a second one would be part of the text.
    prompt = _plain(before, html=html, marker=False)
    tail = _plain(after, html=html, marker=False)
    if tail:
        prompt = f"{prompt} {BLANK} {tail}" if prompt else f"{BLANK} {tail}"
    if not prompt:
        raise _Skip("the question has no text")
    choices, answer, explanation = _answers(block, html=html)
    return Draft(
        prompt=prompt,
        choices=choices,
        answer=answer,
        where=where,
        explanation=explanation,
        title=title,
        passage=_meta_text(chunk.meta.get("passage")),
        difficulty=difficulty_of(chunk.meta.get("difficulty")),
        tags=_tags(chunk),
    )


def _answers(block: str, *, html: bool) -> tuple[tuple[str, ...], int, str]:
    general_at = _find(block, "####")
    general = ""
    if general_at >= 0:
        general = _plain(block[general_at + 4 :], html=html)
        block = block[:general_at]
    body = block.strip()
    if not body:
        raise _Skip("an essay question (no answers to choose from)")
    if body.startswith("#"):
        raise _Skip("a numerical question")
    true_false_match = _TRUE_FALSE.match(body)
    if true_false_match:
        choices, answer = true_false(true_false_match.group(1).upper().startswith("T"))
        feedbacks = _split(true_false_match.group(2) or "", "#")
        # GIFT gives the feedback for a wrong answer first, then the one for the right answer.
        right_feedback = _plain(feedbacks[2], html=html) if len(feedbacks) > 2 else ""
        return choices, answer, general or right_feedback
    answers = _parse_answers(body, html=html)
    if any(_find(answer.text, "->") >= 0 for answer in answers):
        raise _Skip("a matching question")
    # A negative weight is a penalty for a wrong choice; anything between 0 and 100 is partial credit.
    partial = [answer.weight for answer in answers if answer.weight is not None and 0 < answer.weight < 100]
    if partial:
        raise _Skip(f"partial credit ({partial[0]:g}%): a question here has exactly one correct answer")
    correct = [index for index, answer in enumerate(answers) if answer.correct]
    if len(answers) == len(correct):
        raise _Skip("a short-answer question (every answer is right; there are no wrong choices)")
    if len(correct) != 1:
        raise _Skip(f"{len(correct)} correct answers; a question here has exactly one")
    choices = tuple(_plain(answer.text, html=html) for answer in answers)
    answer = correct[0]
    return choices, answer, general or _plain(answers[answer].feedback, html=html)


def _parse_answers(body: str, *, html: bool) -> list[_Answer]:
    starts = [index for index in _unescaped(body) if body[index] in "=~"]
    if not starts or body[: starts[0]].strip():
        raise _Skip("the answers are not in a form this importer knows ('=right ~wrong', T or F)")
    answers: list[_Answer] = []
    for start, end in zip(starts, [*starts[1:], len(body)], strict=True):
        piece = body[start + 1 : end]
        weight: float | None = None
        match = _WEIGHT.match(piece)
        if match:
            weight = float(match.group(1))
            piece = piece[match.end() :]
        hash_at = _find(piece, "#")
        text, feedback = (piece[:hash_at], piece[hash_at + 1 :]) if hash_at >= 0 else (piece, "")
        correct = body[start] == "=" or weight == 100.0
        answers.append(_Answer(text, feedback, correct, weight))
    return answers


def _unescaped(text: str) -> list[int]:
    """Positions of the characters of ``text`` that are not escaped by a backslash."""
    positions: list[int] = []
    index = 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        positions.append(index)
        index += 1
    return positions


def _find(text: str, token: str, start: int = 0) -> int:
    """The position of the first unescaped ``token`` at or after ``start``, or -1."""
    index = 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if index >= start and text.startswith(token, index):
            return index
        index += 1
    return -1


def _split(text: str, token: str) -> list[str]:
    parts: list[str] = []
    start = 0
    while (at := _find(text, token, start)) >= 0:
        parts.append(text[start:at])
        start = at + len(token)
    parts.append(text[start:])
    return parts


def _marker(text: str) -> tuple[str | None, str]:
    match = _MARKER.match(text)
    if match is None:
        return None, text
    return match.group(1).lower(), text[match.end() :]


def _plain(raw: str, *, html: bool, marker: bool = True) -> str:
    """GIFT text as the player will read it: its marker stripped, lines joined, escapes undone, HTML as text."""
    own, raw = _marker(raw) if marker else (None, raw)
    # A line break in the file is a space; an escaped \n is a line break the author asked for.
    text = unescape(_LINE_BREAK.sub(" ", raw).strip())
    if html or own == "html":
        return html_to_text(text)
    return text


def unescape(raw: str) -> str:
    """Undo GIFT's backslash escapes (``\\n`` is a line break)."""
    return _ESCAPE.sub(lambda match: "\n" if match.group(1) == "n" else match.group(1), raw)


def _meta_text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _tags(chunk: _Chunk) -> tuple[str, ...]:
    tags: list[str] = []
    given = chunk.meta.get("tags")
    if isinstance(given, list):
        tags.extend(tag for tag in given if isinstance(tag, str))
    if chunk.category:
        tag = tag_of(chunk.category)
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)
