"""The bank file format as a pydantic model: the single source of the rules and of the JSON Schema."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from bot.quiz.questions import Difficulty
from bot.quiz.rules import POINTS_RANGE, SECONDS_RANGE

#: Lowercase letters and digits in hyphen-separated words: ``losing-friends``.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: At least one character that is not whitespace.
NOT_BLANK_PATTERN = r"\S"
#: A BCP 47 language tag, loosely: ``en``, ``pt-BR``, ``zh-Hant-TW``.
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
URL_PATTERN = r"^https?://\S+$"
#: Bank and question ids go into Discord custom_ids (at most 100 characters) together, with room to spare.
MAX_ID_LENGTH = 40

# Discord's limits (see DISCORD-FACTS.md): a choice is a button label (80); the prompt, explanation and
# passage go into embed descriptions and fields, where we keep to 1,000 so that a question embed with all
# of them stays well under the 6,000-character total; titles go into embed titles (256).
MAX_CHOICE = 80
MAX_PROMPT = 1000
MAX_EXPLANATION = 1000
MAX_PASSAGE = 1000
MAX_TITLE = 256
MAX_DESCRIPTION = 1000
MAX_NAME = 256
MAX_URL = 2000
MAX_PATH = 255
MAX_TAG = 32
# A question offers this many possible answers, one button each.
MIN_CHOICES = 2
MAX_CHOICES = 5
MAX_TAGS = 10
MAX_AUTHORS = 20
MIN_RELATED = 2

# YAML reads `1918` as a number; the loader keeps it as the text "1918", so editors must accept both.
_TEXT_OR_NUMBER: dict[str, Any] = {"type": ["string", "number"]}

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=MAX_ID_LENGTH)]
Tag = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=MAX_TAG),
    Field(description="A short lowercase tag: letters, digits and hyphens, like `oil-and-gas`."),
]
Author = Annotated[
    str,
    StringConstraints(pattern=NOT_BLANK_PATTERN, min_length=1, max_length=MAX_NAME),
    Field(description="An author's name, as it should be credited."),
]
Choice = Annotated[
    str,
    StringConstraints(pattern=NOT_BLANK_PATTERN, min_length=1, max_length=MAX_CHOICE),
    Field(
        description=f"One possible answer, shown on a Discord button (at most {MAX_CHOICE} characters).",
        json_schema_extra=_TEXT_OR_NUMBER,
    ),
]
RelatedGroup = Annotated[
    list[Slug],
    Field(
        min_length=MIN_RELATED,
        description=(
            "The ids of questions that give each other away (one's prompt, choices, explanation or passage "
            "answers another): a round deals at most one of them."
        ),
    ),
]


def _digits_only(value: Any) -> Any:
    # The loader gives every scalar as text, and pydantic's lax mode would read "1_0" as 10 and " +30 " as
    # 30: a number in a bank is written with digits alone.
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise PydanticCustomError("int_parsing", "Input should be a whole number written with digits")
    return value


def _text(max_length: int) -> Any:
    return StringConstraints(pattern=NOT_BLANK_PATTERN, min_length=1, max_length=max_length)


class _Strict(BaseModel):
    # Unknown keys are errors: a misspelt `explanaton:` must not silently drop the explanation.
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Strict):
    """The article the bank's questions are written about."""

    model_config = ConfigDict(title="Source")

    title: Annotated[str, _text(MAX_TITLE)] = Field(
        description=f"The article's title, as published (at most {MAX_TITLE} characters)."
    )
    author: Annotated[str, _text(MAX_NAME)] = Field(
        description=f"The article's author or authors, as credited (at most {MAX_NAME} characters)."
    )
    url: Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=MAX_URL)] | None = Field(
        default=None, description="Where the article can be read (an http or https URL). Optional."
    )
    path: Annotated[str, _text(MAX_PATH)] = Field(
        description=(
            "The article's plain-text file, relative to the bank file (like `south-caucasus-russia.txt`). "
            "Every passage is checked against it; each non-empty line of it is one paragraph."
        )
    )
    publisher: Annotated[str, _text(MAX_NAME)] | None = Field(
        default=None, description="Who published the article, like `The Conversation`. Optional."
    )
    licence: Annotated[str, _text(MAX_NAME)] | None = Field(
        default=None, description="The article's licence, like `CC BY-ND 4.0`. Optional."
    )


class DefaultsModel(_Strict):
    """Settings for every question of the bank; where one is left out, the server's setting applies."""

    model_config = ConfigDict(title="Defaults")

    seconds: int | None = Field(
        default=None,
        ge=SECONDS_RANGE[0],
        le=SECONDS_RANGE[1],
        description=f"Seconds players have to answer each question, {SECONDS_RANGE[0]} to {SECONDS_RANGE[1]}.",
    )
    points: int | None = Field(
        default=None,
        ge=POINTS_RANGE[0],
        le=POINTS_RANGE[1],
        description=(
            f"The most points a correct answer earns (fast answers earn more), {POINTS_RANGE[0]} to {POINTS_RANGE[1]}."
        ),
    )

    _digits = field_validator("seconds", "points", mode="before")(_digits_only)


class QuestionModel(_Strict):
    """One multiple-choice question and the passage of the article that answers it."""

    model_config = ConfigDict(title="Question")

    id: Slug = Field(
        description=(
            f"The question's id: lowercase letters, digits and hyphens (at most {MAX_ID_LENGTH} characters), "
            "unique within the bank. Keep it stable forever: statistics and history are keyed on it."
        )
    )
    prompt: Annotated[str, _text(MAX_PROMPT)] = Field(
        description=f"The question as players read it (at most {MAX_PROMPT} characters)."
    )
    choices: list[Choice] = Field(
        min_length=MIN_CHOICES,
        max_length=MAX_CHOICES,
        description=(
            f"{MIN_CHOICES} to {MAX_CHOICES} distinct possible answers (compared ignoring case and surrounding "
            "spaces). They are shuffled when played, so their order here does not matter."
        ),
    )
    answer: Annotated[str, _text(MAX_CHOICE)] = Field(
        description="The correct answer: exactly one of the choices, written the same way.",
        json_schema_extra=_TEXT_OR_NUMBER,
    )
    explanation: Annotated[str, _text(MAX_EXPLANATION)] = Field(
        description=f"Why the answer is right, in the bank author's words (at most {MAX_EXPLANATION} characters)."
    )
    passage: Annotated[str, _text(MAX_PASSAGE)] = Field(
        description=(
            f"A verbatim quote from the article that supports the answer (at most {MAX_PASSAGE} characters). "
            "It must occur in the article once case, runs of whitespace, typographic quotes and dashes are "
            "normalised; nothing else is forgiven (no ellipses, no skipped words)."
        )
    )
    difficulty: Difficulty = Field(
        default=Difficulty.MEDIUM, description="How hard the question is: `easy`, `medium` (the default) or `hard`."
    )
    tags: list[Tag] = Field(
        default_factory=list,
        max_length=MAX_TAGS,
        description=f"Up to {MAX_TAGS} short lowercase tags, used to pick questions by topic.",
    )


class BankModel(_Strict):
    """A question bank: questions about one article, which every passage is checked against."""

    model_config = ConfigDict(title="Bank")

    id: Slug = Field(
        description=(
            f"The bank's id: lowercase letters, digits and hyphens (at most {MAX_ID_LENGTH} characters), "
            "unique across all banks. Keep it stable forever."
        )
    )
    title: Annotated[str, _text(MAX_TITLE)] = Field(
        description=f"The bank's title, shown to players (at most {MAX_TITLE} characters)."
    )
    description: Annotated[str, _text(MAX_DESCRIPTION)] | None = Field(
        default=None, description=f"A sentence or two about the bank (at most {MAX_DESCRIPTION} characters). Optional."
    )
    authors: list[Author] = Field(
        min_length=1,
        max_length=MAX_AUTHORS,
        description=f"Who wrote the questions: 1 to {MAX_AUTHORS} names.",
    )
    language: Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN, max_length=35)] = Field(
        default="en", description="The language of the questions, as a BCP 47 tag like `en` or `pt-BR`. Default `en`."
    )
    source: SourceModel = Field(description="The article the questions are about.")
    defaults: DefaultsModel | None = Field(
        default=None, description="Timing and points for every question of the bank. Optional."
    )
    questions: list[QuestionModel] = Field(
        min_length=1, description="The questions: at least one. Their order does not matter."
    )
    related: list[RelatedGroup] = Field(
        default_factory=list,
        description=(
            f"Groups of related questions, each a list of {MIN_RELATED} or more question ids; a question "
            "belongs to one group at most. A round never deals two questions of one group. Optional; "
            "`quizbot check` proposes the groups it finds."
        ),
    )


def bank_json_schema() -> dict[str, Any]:
    """The JSON Schema of a bank file, for authors' editors (``docs/bank.schema.json`` is generated from it)."""
    schema = BankModel.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "quizbot question bank",
        "description": (
            "A quizbot question bank: multiple-choice questions about one article, each quoting the passage "
            "of the article that answers it. See docs/banks.md."
        ),
        **{key: value for key, value in schema.items() if key not in {"title", "description"}},
    }
