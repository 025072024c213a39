"""The bank model's JSON Schema: committed, in sync, and documented field by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.banks import bank_json_schema

SCHEMA_FILE = Path(__file__).parents[2] / "docs" / "bank.schema.json"


def test_committed_schema_matches_the_model() -> None:
    """docs/bank.schema.json is exactly what bank_json_schema() generates (regenerate it when the model changes)."""
    generated = json.dumps(bank_json_schema(), indent=2) + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == generated


def test_schema_declares_its_dialect_and_title() -> None:
    """The schema names its JSON Schema dialect, a title and a description, as editors expect."""
    schema = bank_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "quizbot question bank"
    assert schema["description"]
    assert schema["additionalProperties"] is False


def _properties(node: Any) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            found.append((name, value))
        for value in node.values():
            found.extend(_properties(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_properties(value))
    return found


def test_every_field_has_a_description() -> None:
    """Every property in the schema carries a description, which authors see in their editor."""
    properties = _properties(bank_json_schema())
    assert len(properties) > 20
    assert [name for name, schema in properties if not schema.get("description")] == []


def test_choices_accept_numbers_in_editors() -> None:
    """Editors accept `choices: [1918, 1920]`, which the loader reads as text."""
    question = bank_json_schema()["$defs"]["QuestionModel"]["properties"]
    assert question["choices"]["items"]["type"] == ["string", "number"]
    assert question["answer"]["type"] == ["string", "number"]
