"""YAML syntax errors in plain words: what the author most likely did, and how to fix it.

The YAML library words its errors in its own terms ("mapping values are not allowed in this
context"); an author needs to hear "a value that contains ': ' needs quotes". Each rule below
matches the library's words (libyaml's and PyYAML's differ slightly) and gives the likely cause.
The library's own words stay at the end of the message, for searching.
"""

from __future__ import annotations

OTHER_CHECKS = "The other checks run once the file parses."

# (words of the library's problem or context, the plain explanation); the first match wins.
_RULES: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed",
        "a value that contains ': ' needs quotes (answer: \"Ratio: 2 to 1\"), "
        "or this line is indented deeper than the key above it",
    ),
    ("found character '\\t'", "a tab is used for indentation; YAML needs spaces"),
    ("found a tab character", "a tab is used for indentation; YAML needs spaces"),
    ("while scanning a quoted scalar", "a quote opened here is never closed (inside 'quotes', write it's as 'it''s')"),
    ("found undefined alias", "'*name' refers to an '&name' anchor that is not defined above it"),
    ("did not find expected ',' or ']'", "a [list] is not closed with ']', or a value in it with a comma needs quotes"),
    ("did not find expected ',' or '}'", "a {mapping} is not closed with '}', or a value in it needs quotes"),
    ("could not find expected ':'", "a key has no ': ' after it, or a long text is split over lines without quotes"),
    (
        "while parsing a block collection",
        "the items of a list do not line up: every '- ' of one list starts in the same column",
    ),
    (
        "while parsing a block mapping",
        "the keys of one question do not line up: each starts in the same column as the key above it",
    ),
    (
        "that cannot start any token",
        "a value starts with a character YAML reserves ('@', '`', '%', '!', '&', '*'); put the value in quotes",
    ),
)


def explain(problem: str | None, context: str | None, line: int | None) -> str:
    """The whole message for a YAML syntax error at ``line`` (1-based), from the library's problem and context."""
    words = " ".join(part for part in (problem, context) if part)
    cause = next((plain for pattern, plain in _RULES if pattern in words), None)
    where = f"line {line}" if line else "the file"
    if cause is None:
        cause = (
            f"check the indentation of {where} and the line above it; a value that contains ': ' "
            "or starts with a special character ([, {, *, &, !, |, >, %, @) needs quotes"
        )
    library = problem or "the YAML cannot be parsed"
    if context:
        library += f", {context}"
    return f"YAML syntax error at {where}: {cause}. {OTHER_CHECKS} (The YAML library says: {library}.)"
