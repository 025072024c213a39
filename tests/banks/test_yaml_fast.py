"""The fast reader (rapidyaml) against PyYAML's: whenever the fast one answers, both give the same data.

The fast reader may always decline (it then returns None and the loader reads the file with PyYAML); what
it must never do is answer differently, or answer for a file PyYAML refuses. Checked on every bank the
tests and ``questions/`` hold, and on generated documents built from YAML's awkward corners.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.banks import BankError, loader, parse_bank_text
from bot.banks.yaml_fast import fast_read
from bot.banks.yaml_source import YamlProblem, read_yaml

from .helpers import EXCERPT, GOOD_BANK
from .test_bad_banks import CASES as BAD_BANKS
from .test_refusals import CASES as REFUSED_BANKS

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = EXCERPT.read_text(encoding="utf-8")
DIFFERENTIAL = settings(
    max_examples=int(os.environ.get("QUIZBOT_DIFFERENTIAL_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _yaml_in_tests() -> list[tuple[str, bytes]]:
    """Every YAML file of tests/ and questions/, and every string in a test module that looks like a bank."""
    found = [
        (str(path.relative_to(ROOT)), path.read_bytes())
        for folder in ("tests", "questions")
        for path in sorted((ROOT / folder).rglob("*.y*ml"))
    ]
    for module in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "questions:" in node.value:
                found.append((f"{module.relative_to(ROOT)}:{node.lineno}", node.value.encode("utf-8")))
    # The tables of broken banks: the good bank with one edit each.
    for table, cases in (("bad", BAD_BANKS), ("refused", REFUSED_BANKS)):
        for label, case in cases.items():
            edited = case.edit(GOOD_BANK)
            found.append((f"{table}: {label}", edited if isinstance(edited, bytes) else edited.encode("utf-8")))
    return found


CORPUS = _yaml_in_tests()


def assert_same(raw: bytes) -> bool:
    """If the fast reader answers for ``raw``, PyYAML's reads it cleanly to the same data; whether it answered."""
    fast = fast_read(raw)
    if fast is None:
        return False
    document = read_yaml(raw, max_bytes=len(raw) + 1)
    assert document.problems == []
    assert document.data == fast
    assert _shape(document.data) == _shape(fast)  # same types too: "1" is not 1, None is not "None"
    return True


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return (type(value).__name__, value)


def test_the_corpus_is_found() -> None:
    """The walk finds the shipped bank, the test data and the banks written inside test modules."""
    names = [name for name, _ in CORPUS]
    assert any(name.startswith("questions/") for name in names)
    assert sum(".py:" in name for name in names) >= 10
    assert sum(name.startswith(("bad: ", "refused: ")) for name in names) > 50


@pytest.mark.parametrize(("name", "raw"), CORPUS, ids=[name for name, _ in CORPUS])
def test_every_bank_of_the_tests_reads_the_same(name: str, raw: bytes) -> None:
    """Each bank of the tests, as written: the fast reader declines or agrees with PyYAML's."""
    try:
        assert_same(raw)
    except YamlProblem:
        pytest.fail(f"{name}: the fast reader answered for a file PyYAML refuses")


def test_the_fast_reader_answers_for_ordinary_banks() -> None:
    """It is not vacuous: the shipped bank and the tests' good bank take the fast path."""
    assert assert_same((ROOT / "questions" / "south-caucasus-russia.yaml").read_bytes())
    assert assert_same(GOOD_BANK.encode("utf-8"))


@pytest.mark.parametrize(("name", "raw"), CORPUS, ids=[name for name, _ in CORPUS])
def test_every_bank_of_the_tests_loads_the_same(name: str, raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader's answer (the bank, or every issue with its line and field) is the same without the fast path."""
    with_fast = _outcome(raw)
    monkeypatch.setattr(loader, "fast_read", lambda raw: None)
    assert _outcome(raw) == with_fast


def _outcome(raw: bytes) -> object:
    try:
        return parse_bank_text(raw, name="bank.yaml", article_text=ARTICLE)
    except BankError as exc:
        return exc.issues


@pytest.mark.parametrize(
    "text",
    [
        "a: ~\n",
        "a: Null\n",
        "a: [x, NULL]\n",
        "a: true\n",
        "a: [true, false]\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 5\n",
        "<<: {a: 1}\n",
        "a: 1\na: 2\n",
        "? a\n: b\n",
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "%YAML 1.1\n---\na: 1\n",
        "a:\tb\n",
        "a: 1\r\nb: 2\r\n",
        "a: @x\n",
        "a: `x\n",
        "a: %x\n",
        'a: "\\x41"\n',
        "a: |+\n  x\n\n",
        "a: |2\n   x\n",
        'a: "\u2028"\n',
        'a: "\x85"\n',
        'a: "\x07"\n',
        "- a\n- b\n",
        "a\n",
        "",
        "a: +30\n",
        "a: .5\n",
    ],
)
def test_the_fast_reader_declines_what_it_cannot_vouch_for(text: str) -> None:
    """Constructs its JSON would lose or its parser reads differently go to PyYAML."""
    assert fast_read(text.encode("utf-8")) is None


@pytest.mark.parametrize(
    ("text", "data"),
    [
        (
            "a: yes\nb: 007\nc: 1.10\nd: 1e3\ne: -5\nf: 2024-01-01\n",
            {"a": "yes", "b": "007", "c": "1.10", "d": "1e3", "e": "-5", "f": "2024-01-01"},
        ),
        ("a: null\nb:\nc: 'null'\nd: \"~\"\ne: ''\n", {"a": None, "b": None, "c": "null", "d": "~", "e": ""}),
        ("a: \"say \\\"hi\\\"\\n\"\nb: 'it''s'\n", {"a": 'say "hi"\n', "b": "it's"}),
        ("a: |\n  one\n  two\nb: >-\n  three\n  four\n", {"a": "one\ntwo\n", "b": "three four"}),
        ("a: plain\n  folded\n\n  para\n", {"a": "plain folded\npara"}),
        ("a: [x, {b: c}]\n", {"a": ["x", {"b": "c"}]}),
        ("a: “curly” é 😀\n", {"a": "“curly” é 😀"}),
    ],
)
def test_the_fast_reader_keeps_the_text_as_written(text: str, data: object) -> None:
    """Scalars stay the author's text, as PyYAML's reader keeps them; plain null and empty are None."""
    assert fast_read(text.encode("utf-8")) == data
    assert read_yaml(text).data == data


# Generated documents: mappings and lists of scalars in every style, with YAML's awkward words and characters.
WORDS = st.sampled_from(
    [
        *("yes", "no", "on", "off", "true", "false", "True", "FALSE", "null", "Null", "NULL", "~", ""),
        *("007", "1.10", "1e3", "+30", "-5", ".5", "1.", "0x1F", "1_0", ".inf", ".NaN", "2024-01-01", "12:30"),
        *("a", "word", "two words", "é", "“q”", "😀", "\u00a0", "-", "- x", "x:", "a: b", "x #c", "#c", "x,y"),
        *("[", "]", "{", "}", "&a", "*a", "!t", "!!str", "<<", "?", "|", ">", "%", "@", "`", "'", '"', "\\"),
        *("\\n", "\\t", "\\x41", "\\u00e9", "\\/", "\\N", "\\_", "\\ ", "\t", "\r", "\n", " ", "  "),
    ]
)
TEXTS = st.lists(WORDS, max_size=5).map(" ".join) | st.lists(WORDS, max_size=5).map("".join)


@st.composite
def scalars(draw: st.DrawFn, indent: int) -> str:
    """A scalar written in one of YAML's styles, sometimes over several lines."""
    text = draw(TEXTS)
    style = draw(st.sampled_from(["plain", "single", "double", "double-raw", "literal", "folded", "multiline"]))
    pad = " " * (indent + 2)
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if style == "double-raw":
        return '"' + text + '"'
    if style in ("literal", "folded"):
        head = draw(st.sampled_from(["", "-", "+", "2", "-2"]))
        lines = draw(st.lists(TEXTS, min_size=1, max_size=3))
        extra = draw(st.sampled_from(["", " ", "  "]))
        body = "\n".join(pad + extra * (i % 2) + line if line else "" for i, line in enumerate(lines))
        return ("|" if style == "literal" else ">") + head + "\n" + body
    if style == "multiline":
        quote = draw(st.sampled_from(["", "'", '"']))
        lines = draw(st.lists(TEXTS, min_size=2, max_size=3))
        return quote + ("\n" + pad).join(lines) + quote
    return text


@st.composite
def documents(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> str:
    """A block mapping or list of scalars, flow lists and nested collections."""
    pad = " " * indent
    lines = []
    keys = draw(
        st.lists(
            st.sampled_from(["id", "prompt", "a", "b", "x y", "1", "yes", "~", "'q'", '"d"', "<<"]),
            min_size=1,
            max_size=4,
        )
    )
    as_list = draw(st.booleans())
    for key in keys:
        lead = f"{pad}- " if as_list else f"{pad}{key}: "
        kind = draw(st.sampled_from(["scalar", "scalar", "flow", "nested"] if depth < 2 else ["scalar", "flow"]))
        if kind == "scalar":
            lines.append(lead + draw(scalars(indent)))
        elif kind == "flow":
            items = draw(st.lists(st.one_of(TEXTS, scalars(indent).filter(lambda s: "\n" not in s)), max_size=3))
            lines.append(lead + "[" + ", ".join(items) + "]")
        else:
            lines.append(lead.rstrip())
            lines.append(draw(documents(indent + 2, depth + 1)))
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", f"{pad}# comment", "   ", f"{pad}#"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@DIFFERENTIAL
@given(documents())
def test_generated_documents_read_the_same(text: str) -> None:
    """A generated document: the fast reader declines, or agrees with PyYAML's."""
    try:
        assert_same(text.encode("utf-8"))
    except YamlProblem as problem:
        pytest.fail(f"the fast reader answered for a document PyYAML refuses: {problem.message}")


@DIFFERENTIAL
@given(
    st.lists(
        st.sampled_from([*"ab:- \n'\"#[]{},|>&*!?%@`~\\\t", "  ", "\n  ", ": ", "- ", "x: y", "é"]), max_size=40
    ).map("".join)
)
def test_generated_text_reads_the_same(text: str) -> None:
    """Text made of YAML's indicators: the fast reader declines, or agrees with PyYAML's."""
    try:
        assert_same(text.encode("utf-8"))
    except YamlProblem as problem:
        pytest.fail(f"the fast reader answered for text PyYAML refuses: {problem.message}")


def test_most_broken_banks_of_the_tables_take_the_fast_path() -> None:
    """Not vacuous: most broken banks are read by the fast reader, so their lines come from its lazy marks."""
    broken = [raw for name, raw in CORPUS if name.startswith(("bad: ", "refused: "))]
    fast = [raw for raw in broken if fast_read(raw) is not None]
    assert len(fast) > len(broken) // 2


def test_a_problem_found_in_fast_read_data_has_the_line_pyyaml_gives() -> None:
    """The fast path's issue for a duplicate question id names the line PyYAML's nodes give."""
    text = GOOD_BANK.replace("id: ceasefire", "id: losing-friends")
    assert fast_read(text.encode("utf-8")) is not None
    with pytest.raises(BankError) as caught:
        parse_bank_text(text, name="bank.yaml", article_text=ARTICLE)
    (issue,) = [issue for issue in caught.value.issues if issue.field == "questions[1].id"]
    assert issue.line == 27
