"""``quizbot play``: a round in the terminal, with the same engine and scoring as the bot."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TextIO

from bot.quiz import LETTERS, PlayedQuestion, QuizError, Reveal, Round, Scoring, Standing

PLAYER = 0
WIDTH = 88


def play_in_terminal(
    questions: Sequence[PlayedQuestion],
    *,
    seconds: float,
    scoring: Scoring,
    stdin: TextIO,
    stdout: TextIO,
    clock: Callable[[], datetime],
) -> Standing | None:
    """Ask each question on ``stdout``, read answers from ``stdin``; returns the player's standing."""
    round_ = Round(questions, seconds=seconds, scoring=scoring)
    while not round_.finished:
        opened = round_.open_next(clock())
        _ask(opened.played, len(questions), seconds, stdout)
        line = stdin.readline()
        if not line:
            stdout.write("\nNo more input: the round ends here.\n")
            round_.close(clock())
            break
        if not stdin.isatty():
            stdout.write(line if line.endswith("\n") else line + "\n")  # show piped answers in the transcript
        position = _parse_letter(line, len(opened.played.choices))
        if position is None:
            stdout.write("No answer recorded.\n")
        else:
            try:
                round_.answer(PLAYER, position, clock())
            except QuizError as exc:
                stdout.write(f"Not counted: {exc}.\n")
        reveal = round_.close(clock())
        _show_reveal(reveal, stdout)
    standings = round_.standings()
    mine = next((s for s in standings if s.player_id == PLAYER), None)
    _show_final(mine, len(questions), stdout)
    return mine


def _parse_letter(line: str, count: int) -> int | None:
    letter = line.strip().upper()[:1]
    index = LETTERS.find(letter) if letter else -1
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


def _show_final(mine: Standing | None, total: int, out: TextIO) -> None:
    out.write("\n=== Round over ===\n")
    if mine is None:
        out.write(f"You answered none of the {total} questions.\n")
        return
    out.write(f"{mine.points:,} points · {mine.correct}/{total} correct · best streak {mine.best_streak}\n")
