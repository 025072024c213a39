"""``quizbot play``: a round in the terminal, with the same engine and scoring as the bot.

A typo or a stray Enter asks again, until the question's time runs out. At a terminal the time
runs out while you think (the wait for your line ends at the deadline); from a pipe or a file the
lines are read as they come, so a transcript always replays the same way.
"""

from __future__ import annotations

import select
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TextIO

from bot.quiz import LETTERS, PlayedQuestion, QuizError, Reveal, Round, Scoring, Standing

PLAYER = 0
WIDTH = 88

# Reads one line within the given seconds: the line ("" at the end of input), or None when time ran out.
ReadLine = Callable[[TextIO, float], str | None]


def read_line(stdin: TextIO, timeout: float) -> str | None:
    """A line from ``stdin``, waiting at most ``timeout`` seconds when it is a terminal."""
    if stdin.isatty():
        ready, _, _ = select.select([stdin], [], [], max(timeout, 0))
        if not ready:
            return None
    return stdin.readline()


def play_in_terminal(
    questions: Sequence[PlayedQuestion],
    *,
    seconds: float,
    scoring: Scoring,
    stdin: TextIO,
    stdout: TextIO,
    clock: Callable[[], datetime],
    read: ReadLine = read_line,
) -> Standing | None:
    """Ask each question on ``stdout``, read answers from ``stdin``; returns the player's standing."""
    round_ = Round(questions, seconds=seconds, scoring=scoring)
    asked = 0
    while not round_.finished:
        opened = round_.open_next(clock())
        asked += 1
        _ask(opened.played, len(questions), seconds, stdout)
        position, ended = _take_answer(opened.played, opened.deadline, stdin, stdout, clock, read)
        if position is None:
            stdout.write("No answer recorded.\n")
        else:
            try:
                round_.answer(PLAYER, position, clock())
            except QuizError as exc:
                stdout.write(f"Not counted: {exc}.\n")
        if ended:
            stdout.write("\nNo more input: the round ends here.\n")
            round_.close(clock())
            break
        _show_reveal(round_.close(clock()), stdout)
    standings = round_.standings()
    mine = next((s for s in standings if s.player_id == PLAYER), None)
    _show_final(mine, asked, stdout)
    return mine


def _take_answer(
    played: PlayedQuestion,
    deadline: datetime,
    stdin: TextIO,
    stdout: TextIO,
    clock: Callable[[], datetime],
    read: ReadLine,
) -> tuple[int | None, bool]:
    """The chosen position (None if time ran out first), and whether the input ended; asks again after a typo."""
    count = len(played.choices)
    while True:
        line = read(stdin, (deadline - clock()).total_seconds())
        if line is None:
            stdout.write("\n⏰ Time's up!\n")
            return None, False
        if not line:
            return None, True
        if not stdin.isatty():
            stdout.write(line if line.endswith("\n") else line + "\n")  # show piped answers in the transcript
        position = _parse_letter(line, count)
        if position is not None:
            return position, False
        left = (deadline - clock()).total_seconds()
        if left <= 0:
            return None, False
        typed = line.strip()
        what = f"{typed[:20]!r} is not a choice" if typed else "Nothing typed"
        stdout.write(f"{what}: type a letter from A to {LETTERS[count - 1]} ({left:.0f} s left): ")
        stdout.flush()


def _parse_letter(line: str, count: int) -> int | None:
    letter = line.strip().upper()
    index = LETTERS.find(letter) if len(letter) == 1 else -1
    return index if 0 <= index < count else None


def _ask(played: PlayedQuestion, total: int, seconds: float, out: TextIO) -> None:
    question = played.question
    out.write(f"\nQuestion {played.number}/{total} · {question.difficulty} · {', '.join(question.tags)}\n")
    out.write(textwrap.fill(question.prompt, WIDTH) + "\n")
    for letter, choice in zip(LETTERS, played.choices, strict=False):
        out.write(f"  {letter}) {choice}\n")
    out.write(f"Your answer ({LETTERS[0]}-{LETTERS[len(played.choices) - 1]}, {seconds:g} s): ")
    out.flush()


def _show_reveal(reveal: Reveal, out: TextIO) -> None:
    played = reveal.played
    question = reveal.question
    correct = f"{LETTERS[played.correct_position]}) {question.correct_choice}"
    mine = next((a for a in reveal.answers if a.player_id == PLAYER), None)
    if mine is not None and mine.correct:
        streak = f" (streak {mine.streak})" if mine.streak > 1 else ""
        out.write(f"Correct! +{mine.points} points{streak}\n")
    elif mine is not None:
        out.write(f"Not quite: you chose {mine.letter}. The answer was {correct}\n")
    else:
        out.write(f"The answer was {correct}\n")
    out.write(textwrap.fill(question.explanation, WIDTH, initial_indent="Why: ", subsequent_indent="     ") + "\n")
    out.write(textwrap.fill(question.passage, WIDTH, initial_indent="> ", subsequent_indent="> ") + "\n")
    where = f"¶{question.paragraph}, " if question.paragraph else ""
    out.write(f"  ({where}{question.source.author}, “{question.source.title}”)\n")


def _show_final(mine: Standing | None, asked: int, out: TextIO) -> None:
    """The summary, out of the questions asked (fewer than planned when the input ended early)."""
    out.write("\n=== Round over ===\n")
    if mine is None:
        none = "You didn't answer the question." if asked == 1 else f"You answered none of the {asked} questions."
        out.write(none + "\n")
        return
    out.write(f"{mine.points:,} points · {mine.correct}/{asked} correct · best streak {mine.best_streak}\n")
