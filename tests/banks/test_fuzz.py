"""Property-based fuzzing of the bank loader and the importers: whatever the input, only the project's own
errors come out (BankError from the loader, ImportFailed from an importer), never a crash.

Each property runs a bounded number of examples with no per-example deadline, so the suite's time stays
bounded in CI (a few seconds in all).
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.banks import BankError, parse_bank_text
from bot.banks.importers import FORMATS, BankOptions, Format, ImportFailed, import_bank

from .helpers import EXCERPT, GOOD_BANK

ARTICLE = EXCERPT.read_text(encoding="utf-8")
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text with the characters that have broken banks before: NUL and other controls, bidi controls,
# zero-width and other invisible characters, look-alikes, combining marks, YAML's own syntax.
AWKWARD = st.sampled_from(
    [
        *("\0", "\x1b", "\u202e", "\u2066", "\u200b", "\u2060", "\ufeff", "\u0430", "\u0301", "\u00a0", "\t", "\n"),
        *(":", "- ", "[", "]", "{", "}", "&a", "*a", "!!python/object", "<<", '"', "'", "#", "|", ">", "%", "@"),
    ]
)
TEXT = st.lists(st.one_of(st.characters(), AWKWARD), max_size=20).map("".join)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20
)


def check_bank(text: str | bytes) -> None:
    """Load ``text`` as a bank against the excerpt: a bank, or BankError, and nothing else."""
    try:
        parse_bank_text(text, name="fuzz.yaml", article_text=ARTICLE)
    except BankError as exc:
        assert exc.issues, "a BankError always says what is wrong"


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes(raw: bytes) -> None:
    """Random bytes are a bank or a BankError."""
    check_bank(raw)


@FUZZ
@given(VALUES)
def test_any_yaml_document(data: object) -> None:
    """Any YAML document of mappings, lists and awkward scalars is a bank or a BankError."""
    check_bank(yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(st.dictionaries(st.sampled_from(["id", "prompt", "choices", "answer", "passage", "explanation"]), VALUES))
def test_any_question_in_a_good_bank(fields: dict[str, object]) -> None:
    """The good bank with its first question's fields replaced by anything is a bank or a BankError."""
    data = yaml.safe_load(GOOD_BANK)
    data["questions"][0].update(fields)
    check_bank(yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(st.integers(0, len(GOOD_BANK)), st.integers(0, 30), TEXT)
def test_the_good_bank_mutated(at: int, cut: int, insert: str) -> None:
    """The good bank with a stretch cut out and awkward text put in is a bank or a BankError."""
    check_bank(GOOD_BANK[:at] + insert + GOOD_BANK[at + cut :])


@FUZZ
# TEXT may hold lone surrogates, which UTF-8 cannot encode: "surrogatepass" makes them the invalid bytes an upload
# could carry (plain str.encode raised while drawing the example, failing the test one run in many).
@given(
    st.sampled_from(FORMATS), st.one_of(st.binary(max_size=300), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
)
def test_any_import(fmt: Format, raw: bytes) -> None:
    """Random input to an importer is YAML that loads as a bank or a BankError, or ImportFailed."""
    check_import(fmt, raw)


def check_import(fmt: Format, raw: bytes) -> None:
    """Import ``raw``: ImportFailed, or YAML that is a bank or a BankError."""
    try:
        text, _notes = import_bank(raw, fmt, BankOptions(), name=f"fuzz.{fmt}")
    except ImportFailed:
        return
    check_bank(text)


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=15,
)


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(["type", "question", "correct_answer", "incorrect_answers",
                                                  "category", "difficulty"]), JSON_VALUES), max_size=4))  # fmt: skip
def test_any_opentdb_results(results: list[dict[str, object]]) -> None:
    """An OpenTDB response whose results hold anything imports, or fails with ImportFailed."""
    check_import("opentdb", json.dumps({"response_code": 0, "results": results}).encode())


PATHS = st.one_of(
    TEXT,
    st.sampled_from(["article.txt", "../../../../etc/passwd", "/etc/passwd", "article.txt\0", ".", "..", "loop.txt"]),
)


@FUZZ
@given(PATHS)
def test_any_source_path(path: str) -> None:
    """Whatever source.path names (NULs, loops, paths out of the folder), the bank is a bank or a BankError."""
    data = yaml.safe_load(GOOD_BANK)
    data["source"]["path"] = path
    with contextlib.suppress(BankError):
        parse_bank_text(yaml.safe_dump(data, allow_unicode=True), name="fuzz.yaml", base_dir=FOLDER)


def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="quizbot-fuzz-"))
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    return folder


#: A banks folder with the article and a symlink loop, shared by the examples (hypothesis runs each many times).
FOLDER = _folder()
