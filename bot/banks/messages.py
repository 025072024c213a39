"""Plain-English messages for pydantic's validation errors, pinned to the field path they concern."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from rapidfuzz import fuzz, process

from bot.banks.errors import show
from bot.banks.model import (
    LANGUAGE_PATTERN,
    MAX_CHOICE,
    NOT_BLANK_PATTERN,
    SLUG_PATTERN,
    URL_PATTERN,
    BankModel,
)

Anchor = Literal["value", "key", "parent"]
"""Where in the file a finding points: the field's value, its key, or the mapping that should hold it."""

_PATTERN_MESSAGES = {
    NOT_BLANK_PATTERN: "must not be empty or only whitespace",
    URL_PATTERN: "must be an http:// or https:// URL with no spaces",
    LANGUAGE_PATTERN: "must be a BCP 47 language tag, like 'en' or 'pt-BR'",
}
_NUMBER_ERRORS = {"int_type", "int_parsing", "int_from_float", "float_type", "float_parsing"}
_MAPPING_ERRORS = {"model_type", "model_attributes_type", "dict_type"}
# The field path already names the field, except at the top of the file and for a question given by index.
_SUBJECTS = {"BankModel": "a bank file ", "QuestionModel": "a question "}


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in a bank's data, before it is given a position in the file."""

    field: str
    message: str
    anchor: Anchor = "value"


def field_path(loc: Sequence[int | str]) -> str:
    """Turn a pydantic location like ``('questions', 3, 'answer')`` into ``questions[3].answer``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else part
    return path


def translate(error: ErrorDetails) -> Finding:
    """One pydantic error as a finding with a message an author can act on."""
    loc = error["loc"]
    path = field_path(loc)
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error["input"]
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")

    if kind == "missing":
        return Finding(path, f"the required field {name!r} is missing", "parent")
    if kind == "extra_forbidden":
        return Finding(path, _unknown_field(loc), "key")
    if value is None and kind not in {"too_short", "too_long"}:
        return Finding(path, "has no value (it is empty or null), but one is required")
    if kind == "string_type":
        return Finding(path, f"must be text, not {_describe(value)}")
    if kind in _NUMBER_ERRORS:
        return Finding(path, f"must be a whole number, not {_describe(value)}")
    if kind == "list_type":
        return Finding(path, f"must be a list (like [a, b] or one '- item' per line), not {_describe(value)}")
    if kind in _MAPPING_ERRORS:
        return Finding(path, _not_a_mapping(ctx.get("class_name", ""), value))
    if kind == "string_too_short":
        return Finding(path, "must not be empty")
    if kind == "string_too_long":
        limit = ctx["max_length"]
        message = f"is too long: {len(value):,} characters; the limit is {limit:,}"
        if limit == MAX_CHOICE and name in {"choices", "answer"}:
            message += " (a Discord button label)"
        return Finding(path, message)
    if kind == "string_pattern_mismatch":
        return Finding(path, _pattern_message(ctx["pattern"], value))
    if kind in {"too_short", "too_long"}:
        return Finding(path, _count_message(kind, name, ctx, value))
    if kind in {"greater_than_equal", "greater_than"}:
        return Finding(path, f"must be at least {ctx.get('ge', ctx.get('gt'))}, not {_number(value)}")
    if kind in {"less_than_equal", "less_than"}:
        return Finding(path, f"must be at most {ctx.get('le', ctx.get('lt'))}, not {_number(value)}")
    if kind in {"enum", "literal_error"}:
        expected = ctx.get("expected", "")
        return Finding(path, f"{show(value)} is not allowed; use one of {expected}")
    return Finding(path, error["msg"])


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return show(value)


def _number(value: Any) -> str:
    return value if isinstance(value, str) and len(value) < 20 else show(value)


def _not_a_mapping(class_name: str, value: Any) -> str:
    model = _MODELS.get(class_name)
    example = ", ".join(list(model.model_fields)[:3]) + ", ..." if model else "..."
    subject = _SUBJECTS.get(class_name, "")
    return f"{subject}must be a mapping of fields ({example}), not {_describe(value)}"


def _pattern_message(pattern: str, value: Any) -> str:
    if pattern == SLUG_PATTERN:
        return (
            f"{show(value)} is not a valid id: use lowercase letters, digits and single hyphens, like 'losing-friends'"
        )
    return _PATTERN_MESSAGES.get(pattern, f"{show(value)} does not match the pattern {pattern}")


def _count_message(kind: str, name: str, ctx: dict[str, Any], value: Any) -> str:
    actual = ctx.get("actual_length")
    if actual is None:
        actual = len(value) if isinstance(value, list | dict | str) else 0
    if kind == "too_short":
        least = ctx["min_length"]
        if name == "questions":
            return f"the bank has {actual} questions; it needs at least {least}"
        if name == "choices":
            return f"too few choices: {actual}; a question needs at least {least}"
        return f"has {actual} items; at least {least} are needed"
    most = ctx["max_length"]
    if name == "choices":
        return f"too many choices: {actual}; at most {most} fit as buttons"
    return f"has {actual} items; at most {most} are allowed"


def _unknown_field(loc: Sequence[int | str]) -> str:
    key = str(loc[-1])
    known = _fields_at(loc[:-1])
    message = f"unknown field {key!r}"
    if not known:
        return message
    best = process.extractOne(key.casefold(), known, scorer=fuzz.ratio, score_cutoff=60)
    if best is not None:
        return f"{message}; did you mean {best[0]!r}?"
    return f"{message}; the known fields are {', '.join(known)}"


def _fields_at(loc: Sequence[int | str]) -> list[str]:
    """The field names of the model found at ``loc``, walking the annotations from `BankModel`."""
    annotation: Any = BankModel
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = typing.get_args(annotation)
            if typing.get_origin(annotation) is not list or not args:
                return []
            annotation = args[0]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part)
            if field is None:
                return []
            annotation = field.annotation
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """``X | None`` and ``Annotated[X, ...]`` as plain ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in {typing.Union, types.UnionType}:
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _models() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    pending: list[type[BaseModel]] = [BankModel]
    while pending:
        model = pending.pop()
        found[model.__name__] = model
        for field in model.model_fields.values():
            inner = _unwrap(field.annotation)
            args = typing.get_args(inner)
            if typing.get_origin(inner) is list and args:
                inner = _unwrap(args[0])
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner.__name__ not in found:
                pending.append(inner)
    return found


_MODELS = _models()
