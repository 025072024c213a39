"""Small engine banks for the linter tests, written question by question."""

from __future__ import annotations

from bot.quiz import Bank, Difficulty, Question, Source

SOURCE = Source(title="The Testland Gazette on rivers", author="A. Writer")


def question(
    qid: str,
    choices: tuple[str, ...] = ("Bigtown", "Smalltown", "Midtown", "Newtown"),
    answer: int = 0,
    *,
    prompt: str | None = None,
    explanation: str = "The article says so.",
    passage: str | None = None,
    difficulty: Difficulty = Difficulty.MEDIUM,
) -> Question:
    """A question whose passage, unless given, quotes its answer in a sentence of its own."""
    return Question(
        id=qid,
        bank_id="testland",
        prompt=prompt or f"{qid}?",
        choices=choices,
        answer=answer,
        explanation=explanation,
        passage=passage or f"The article, on {qid}, plainly answers {choices[answer]} here.",
        source=SOURCE,
        difficulty=difficulty,
    )


def bank(*questions: Question, related: tuple[tuple[str, ...], ...] = ()) -> Bank:
    """A bank of ``questions`` with the given related groups."""
    return Bank(id="testland", title="Testland", source=SOURCE, questions=questions, related=related)


def numbered(count: int, **kwargs: object) -> list[Question]:
    """``count`` unrelated questions ``q0``, ``q1``...: distinct prompts, answers and passages."""
    return [
        question(
            f"q{n}",
            (f"Alpha{n}", f"Beta{n}", f"Gamma{n}", f"Delta{n}"),
            n % 4,
            prompt=f"Which of these is item number {n} in the list of {n * 7} things?",
            **kwargs,
        )
        for n in range(count)
    ]


CAPITAL = question("capital", ("Bigtown", "Smalltown", "Midtown"), prompt="What is the capital of Testland?")


def leaker(field: str) -> dict[str, str]:
    """Fields for a second question whose ``field`` names the capital's answer."""
    texts = {
        "prompt": "Which river flows through Bigtown?",
        "explanation": "The Long river flows through Bigtown, as the article says.",
        "passage": "The Long river flows through the capital, Bigtown, from the hills.",
    }
    return {field: texts[field]}
