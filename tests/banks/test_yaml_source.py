"""Reading YAML as the author wrote it: text scalars, nulls, positions, duplicate keys and alias limits."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import yaml

from bot.banks import yaml_source
from bot.banks.yaml_source import YamlProblem, read_yaml


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run the test with libyaml's loader and with the pure-Python fallback."""
    if request.param == "pure-python":
        monkeypatch.setattr(yaml_source, "_Loader", yaml.SafeLoader)
    yield request.param


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("True", "True"),
        ("1.10", "1.10"),
        ("007", "007"),
        ("1918", "1918"),
        ("0x1F", "0x1F"),
        ("1e3", "1e3"),
        (".nan", ".nan"),
        ("2024-01-01", "2024-01-01"),
        ("12:30", "12:30"),
        ('"null"', "null"),
        ("'~'", "~"),
        ('""', ""),
        ("~", None),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("", None),
        ("!!int 5", "5"),
    ],
)
def test_scalars_are_the_text_the_author_wrote(loader: str, scalar: str, value: str | None) -> None:
    """Plain scalars stay text (no YAML 1.1 booleans, numbers or dates); only plain ~/null/empty become None."""
    assert read_yaml(f"key: {scalar}\n").data == {"key": value}


def test_lists_and_mappings_become_lists_and_dicts(loader: str) -> None:
    """Sequences become lists and mappings dicts, keys in file order."""
    data = read_yaml("b: [1, {c: yes}]\na:\n  - x\n").data
    assert data == {"b": ["1", {"c": "yes"}], "a": ["x"]}
    assert list(data) == ["b", "a"]


def test_marks_are_one_based_positions_of_every_field(loader: str) -> None:
    """Every field path maps to the 1-based line and column where its value (and key) starts."""
    document = read_yaml("id: x\nquestions:\n  - id: q\n    choices: [a, b]\n")
    assert document.marks[""] == (1, 1)
    assert document.marks["id"] == (1, 5)
    assert document.marks["questions[0]"] == (3, 5)
    assert document.marks["questions[0].id"] == (3, 9)
    assert document.marks["questions[0].choices[1]"] == (4, 18)
    assert document.key_marks["questions[0].choices"] == (4, 5)


def test_duplicate_keys_are_problems_and_the_first_value_is_kept(loader: str) -> None:
    """A repeated key is reported at the repetition, naming the line of the first."""
    document = read_yaml("a: 1\nb: 2\na: 3\n")
    assert document.data == {"a": "1", "b": "2"}
    (problem,) = document.problems
    assert (problem.line, problem.column, problem.field) == (3, 1, "a")
    assert "duplicate key 'a' (first given on line 1)" in problem.message


def test_a_few_aliases_are_fine(loader: str) -> None:
    """Anchors and aliases that expand modestly are expanded."""
    assert read_yaml("a: &t [x, y]\nb: *t\n").data == {"a": ["x", "y"], "b": ["x", "y"]}


def test_alias_bomb_is_refused_fast(loader: str) -> None:
    """A billion-laughs document is refused after bounded work, not expanded."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        name, previous = chr(97 + level), chr(96 + level)
        levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    started = time.perf_counter()
    with pytest.raises(YamlProblem, match="anchors and aliases expand"):
        read_yaml("\n".join(levels) + "\n")
    assert time.perf_counter() - started < 1.0


def test_recursive_alias_is_refused(loader: str) -> None:
    """An alias to the mapping that contains it cannot loop forever."""
    with pytest.raises(YamlProblem):
        read_yaml("a: &a {b: *a}\n")


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("a: [1, 2\nb: 3\n", 2, 2, "YAML syntax error"),
        ("a: b: c\n", 1, 5, "mapping values are not allowed"),
        ("a: 1\n\tb: 2\n", 2, 1, "YAML syntax error"),
        ("a: \x00\n", 1, 4, "YAML syntax error"),
        ("", 1, 1, "the file is empty"),
        ("# only a comment\n", 1, 1, "the file is empty"),
    ],
)
def test_unreadable_yaml_is_one_problem_with_a_position(
    loader: str, text: str, line: int, column: int, message: str
) -> None:
    """Syntax errors become a single problem at the line and column where the parser stopped."""
    with pytest.raises(YamlProblem) as caught:
        read_yaml(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert message in caught.value.message


def test_size_limit_is_checked_before_parsing() -> None:
    """A document over the limit is refused without being parsed, counting bytes not characters."""
    with pytest.raises(YamlProblem, match="the file is 14 bytes; the limit is 10 bytes"):
        read_yaml("a: ééééé\n", max_bytes=10)  # 9 characters, 14 bytes in UTF-8
    with pytest.raises(YamlProblem, match="limit"):
        read_yaml(b"a: [" * 100, max_bytes=10)


def test_invalid_utf8_names_the_line_and_column() -> None:
    """Bytes that are not UTF-8 are reported where they occur."""
    with pytest.raises(YamlProblem) as caught:
        read_yaml(b"a: ok\nb: caf\xe9\n")
    assert (caught.value.line, caught.value.column) == (2, 7)
    assert "not valid UTF-8 text (byte 0xe9)" in caught.value.message


def test_byte_order_mark_is_ignored() -> None:
    """A UTF-8 byte order mark, as some Windows editors write, is not part of the data."""
    assert read_yaml("\ufeffa: 1\n".encode()).data == {"a": "1"}


@pytest.mark.parametrize(
    ("text", "line", "plain"),
    [
        ("title: Ratio: 2 to 1\n", 1, "a value that contains ': ' needs quotes"),
        ("questions:\n  - id: x\n     prompt: y\n", 3, "a value that contains ': ' needs quotes"),
        ("a: 1\n\tb: 2\n", 2, "a tab is used for indentation; YAML needs spaces"),
        ('questions:\n  - id: x\n    prompt: "never closed\n', 3, "a quote opened here is never closed"),
        ("a: [1, 2\nb: 3\n", 2, "a [list] is not closed with ']'"),
    ],
)
def test_syntax_errors_are_explained_in_plain_words(text: str, line: int, plain: str) -> None:
    """A syntax error names its line, says the likely cause and fix, and that the other checks wait for it."""
    with pytest.raises(YamlProblem) as caught:
        read_yaml(text)
    message = caught.value.message
    assert caught.value.line == line
    assert message.startswith(f"YAML syntax error at line {line}: {plain}"), message
    assert "The other checks run once the file parses." in message
    assert "The YAML library says: " in message  # its own words stay, for searching
