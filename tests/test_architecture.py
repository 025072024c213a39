"""Structural tests: the quiz engine stays pure Python, and every layer imports only what the contract allows."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "bot" / "quiz"
FORBIDDEN = frozenset(
    {
        "discord",
        "sqlalchemy",
        "yaml",
        "pydantic",
        "pydantic_settings",
        "aiosqlite",
        "asyncpg",
        "alembic",
        "click",
        "fsrs",
    }
)
DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})


def imported_modules(path: Path) -> set[str]:
    """Every absolute module a file imports, anywhere in it: top level, in functions, or via importlib."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in DYNAMIC_IMPORTERS and isinstance(node.args[0].value, str):
                modules.add(node.args[0].value)
    return modules


ENGINE_FILES = sorted(ENGINE.rglob("*.py"))


def test_engine_files_are_found() -> None:
    """The walk sees the engine's modules, so the checks below are not vacuous."""
    names = {p.name for p in ENGINE_FILES}
    assert {"__init__.py", "round.py", "scoring.py", "selection.py", "shuffle.py", "questions.py"} <= names


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_module_imports_no_io_library(path: Path) -> None:
    """No engine module imports discord, a database, YAML, pydantic or click, even lazily."""
    bad = sorted(m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN)
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_module_depends_only_on_the_engine(path: Path) -> None:
    """Engine modules import nothing else from ``bot``, so no other layer can drag I/O in."""
    outside = sorted(m for m in imported_modules(path) if m.split(".")[0] == "bot" and not m.startswith("bot.quiz"))
    assert not outside, f"{path.relative_to(ROOT)} imports {outside}"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import discord", {"discord"}),
        ("from sqlalchemy.orm import Session", {"sqlalchemy.orm"}),
        ("def f():\n    import yaml\n", {"yaml"}),
        ("class C:\n    def m(self):\n        from pydantic import BaseModel\n", {"pydantic"}),
        ("if TYPE_CHECKING:\n    import aiosqlite\n", {"aiosqlite"}),
        ("import importlib\nimportlib.import_module('click')", {"importlib", "click"}),
        ("__import__('alembic')", {"alembic"}),
        ("from . import scoring\nfrom .round import Round", set()),
    ],
)
def test_import_scanner_sees_every_form(tmp_path: Path, source: str, found: set[str]) -> None:
    """The scanner catches plain, from, nested, guarded and dynamic imports, and ignores relative ones."""
    module = tmp_path / "module.py"
    module.write_text(source, encoding="utf-8")
    assert imported_modules(module) == found


def test_importing_the_engine_loads_no_io_library() -> None:
    """A fresh interpreter that imports bot.quiz has none of the forbidden libraries in sys.modules."""
    code = (
        "import json, sys\n"
        "import bot.quiz\n"
        f"forbidden = {sorted(FORBIDDEN)!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in forbidden)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


# The layers contract: which part of ``bot`` may import what. Every import counts, including those only
# for type checking: a type-only import still ties one layer to another.


def under(module: str, package: str) -> bool:
    """True if ``module`` is ``package`` or inside it."""
    return module == package or module.startswith(package + ".")


def module_name(path: Path, root: Path) -> str:
    """The dotted name of the module at ``path`` (a package's ``__init__`` is the package)."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str, root: Path) -> bool:
    """True if ``name`` is a module or package found under ``root``."""
    base = root.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def module_imports(path: Path, root: Path) -> set[str]:
    """The modules a file imports: relative imports resolved, ``from package import module`` read as the module."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            found.add(source)
            found.update(m for alias in node.names if is_module(m := f"{source}.{alias.name}", root))
        elif isinstance(node, ast.Import | ast.Call):
            found.update(m for m in imported_modules_of(node) if m)
    return found


def imported_modules_of(node: ast.AST) -> set[str]:
    """The absolute modules one ``import`` statement or ``import_module("...")`` call names."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in DYNAMIC_IMPORTERS and isinstance(node.args[0].value, str):
            return {node.args[0].value}
    return set()


def feature_of(module: str) -> str | None:
    """The extension package a ``bot.exts`` module belongs to (``_common`` included), or None."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["bot", "exts"] else None


def reaches_into_another_feature(importer: str, imported: str) -> bool:
    """True if ``imported`` is a private (``_``-prefixed) module of a feature other than the importer's."""
    feature = feature_of(imported)
    if feature is None or feature in {"_common", feature_of(importer)}:
        return False
    return any(part.startswith("_") for part in imported.split(".")[3:])


def ours(module: str) -> bool:
    """True for the project's own modules."""
    return under(module, "bot")


@dataclass(frozen=True)
class Rule:
    """A line of the contract: modules inside ``layer`` may not import a module ``forbids`` picks."""

    text: str
    layer: str
    forbids: Callable[[str, str], bool]


RULES = (
    Rule("bot.quiz imports nothing of ours", "bot.quiz", lambda _, m: ours(m) and not under(m, "bot.quiz")),
    Rule(
        "bot.banks imports only bot.quiz of ours",
        "bot.banks",
        lambda _, m: ours(m) and not under(m, "bot.banks") and not under(m, "bot.quiz"),
    ),
    Rule(
        "bot.schedules imports only bot.quiz of ours",
        "bot.schedules",
        lambda _, m: ours(m) and not under(m, "bot.schedules") and not under(m, "bot.quiz"),
    ),
    Rule(
        "bot.db never imports bot.rounds, bot.review, bot.reports, bot.exts, bot.cli or bot.demo",
        "bot.db",
        lambda _, m: any(
            under(m, p) for p in ("bot.rounds", "bot.review", "bot.reports", "bot.exts", "bot.cli", "bot.demo")
        ),
    ),
    # The review and report services sit beside the round service: below Discord, above the store.
    Rule(
        "bot.review never imports discord, bot.rounds, bot.reports, bot.exts, bot.cli or bot.demo",
        "bot.review",
        lambda _, m: any(
            under(m, p) for p in ("discord", "bot.rounds", "bot.reports", "bot.exts", "bot.cli", "bot.demo")
        ),
    ),
    Rule(
        "bot.reports never imports discord, fsrs, bot.rounds, bot.review, bot.exts, bot.cli or bot.demo",
        "bot.reports",
        lambda _, m: any(
            under(m, p) for p in ("discord", "fsrs", "bot.rounds", "bot.review", "bot.exts", "bot.cli", "bot.demo")
        ),
    ),
    # FSRS is the review service's own business: everything else asks bot.review.
    Rule("only bot.review imports fsrs", "bot", lambda i, m: under(m, "fsrs") and not under(i, "bot.review")),
    Rule("bot.exts never imports sqlalchemy", "bot.exts", lambda _, m: under(m, "sqlalchemy")),
    Rule(
        "bot.exts never imports another feature's private (_-prefixed) modules",
        "bot.exts",
        reaches_into_another_feature,
    ),
    Rule("bot.cli never imports bot.exts", "bot.cli", lambda _, m: under(m, "bot.exts")),
)

# KNOWN EXCEPTIONS: today's violations that other work on issue 11 removes. Delete a line once its fix is
# merged; test_every_known_exception_still_occurs fails on a line that no longer matches an import.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def contract_violations(root: Path) -> set[tuple[str, str, str]]:
    """Every (importer, imported, rule) that breaks the contract in the ``bot`` package under ``root``."""
    found = set()
    for path in sorted((root / "bot").rglob("*.py")):
        importer = module_name(path, root)
        for rule in RULES:
            if under(importer, rule.layer):
                found.update(
                    (importer, imported, rule.text)
                    for imported in module_imports(path, root)
                    if rule.forbids(importer, imported)
                )
    return found


def test_the_layers_keep_the_contract() -> None:
    """No module imports across a layer boundary the contract forbids, beyond the labelled known exceptions."""
    new = sorted(v for v in contract_violations(ROOT) if v[:2] not in KNOWN_EXCEPTIONS)
    assert not new, "\n".join(f"{importer} imports {imported}: {rule}" for importer, imported, rule in new)


def test_every_known_exception_still_occurs() -> None:
    """A known exception whose import is gone is stale: delete it from KNOWN_EXCEPTIONS."""
    stale = set(KNOWN_EXCEPTIONS) - {v[:2] for v in contract_violations(ROOT)}
    assert not stale, f"fixed, delete from KNOWN_EXCEPTIONS: {sorted(stale)}"


def write_modules(root: Path, modules: dict[str, str]) -> None:
    """Create the given modules (dotted name: source) as files, with ``__init__`` files for their packages."""
    for name, source in modules.items():
        parts = name.split(".")
        for depth in range(1, len(parts)):
            init = root.joinpath(*parts[:depth], "__init__.py")
            init.parent.mkdir(parents=True, exist_ok=True)
            init.touch()
        root.joinpath(*parts).with_suffix(".py").write_text(source, encoding="utf-8")


@pytest.mark.parametrize(
    ("modules", "expected"),
    [
        ({"bot.quiz.round": "from bot.db import models"}, ("bot.quiz.round", "bot.db", "bot.quiz")),
        ({"bot.banks.loader": "import bot.rounds.library"}, ("bot.banks.loader", "bot.rounds.library", "bot.banks")),
        (
            {"bot.schedules.when": "if TYPE_CHECKING:\n    from bot.db.repos import x"},
            ("bot.schedules.when", "bot.db.repos", "bot.schedules"),
        ),
        ({"bot.db.repos.x": "from ...rounds import service"}, ("bot.db.repos.x", "bot.rounds", "bot.db")),
        ({"bot.exts.stats._c": "from sqlalchemy import select"}, ("bot.exts.stats._c", "sqlalchemy", "sqlalchemy")),
        (
            {"bot.exts.schedule._g": "from bot.exts.rounds import _launch", "bot.exts.rounds._launch": ""},
            ("bot.exts.schedule._g", "bot.exts.rounds._launch", "private"),
        ),
        (
            {"bot.exts.schedule._g": "from ..rounds._launch import f", "bot.exts.rounds._launch": ""},
            ("bot.exts.schedule._g", "bot.exts.rounds._launch", "private"),
        ),
        ({"bot.cli.x": "importlib.import_module('bot.exts.stats')"}, ("bot.cli.x", "bot.exts.stats", "bot.cli")),
        ({"bot.review.x": "import discord"}, ("bot.review.x", "discord", "bot.review never")),
        ({"bot.reports.x": "from bot.review import rate"}, ("bot.reports.x", "bot.review", "bot.reports never")),
        ({"bot.db.repos.x": "from bot.review import rate"}, ("bot.db.repos.x", "bot.review", "bot.db never")),
        ({"bot.exts.review._v": "from fsrs import Rating"}, ("bot.exts.review._v", "fsrs", "fsrs")),
    ],
)
def test_the_contract_catches_each_kind_of_violation(
    tmp_path: Path, modules: dict[str, str], expected: tuple[str, str, str]
) -> None:
    """Each rule fires on a planted violation, whatever the import's form (relative, guarded, dynamic)."""
    write_modules(tmp_path, modules)
    ((importer, imported, rule),) = contract_violations(tmp_path)
    assert (importer, imported) == expected[:2]
    assert expected[2] in rule


@pytest.mark.parametrize(
    "modules",
    [
        {"bot.quiz.round": "from bot.quiz.scoring import score\nfrom . import selection"},
        {"bot.banks.loader": "from bot.quiz import Bank\nimport yaml"},
        {"bot.exts.rounds._a": "from bot.exts.rounds._b import x", "bot.exts.rounds._b": ""},
        {"bot.exts.schedule._g": "from bot.exts.rounds import render", "bot.exts.rounds.render": ""},
        {"bot.exts.stats._c": "from bot.exts._common.text import truncate", "bot.exts._common.text": ""},
        {"bot.cli.x": "from bot.rounds.service import RoundService"},
        {"bot.review.x": "from fsrs import Scheduler\nfrom bot.db.repos import cards"},
        {"bot.rounds.service": "from bot.review.cards import round_ratings\nfrom bot.reports import held_back"},
    ],
)
def test_the_contract_allows_what_it_does_not_forbid(tmp_path: Path, modules: dict[str, str]) -> None:
    """Imports within a layer, downwards, of a feature's own or public modules, and of _common pass."""
    write_modules(tmp_path, modules)
    assert contract_violations(tmp_path) == set()


def test_tests_of_extensions_mirror_the_features() -> None:
    """tests/exts has one folder per package of bot/exts, and no test file outside them but the shared ones."""
    features = {p.name for p in (ROOT / "bot" / "exts").iterdir() if (p / "__init__.py").exists()}
    folders = {p.name for p in (ROOT / "tests" / "exts").iterdir() if (p / "__init__.py").exists()}
    assert features == folders
    loose = {p.name for p in (ROOT / "tests" / "exts").glob("test_*.py")}
    # Two files test every feature at once: loading them all, and the command reference they make up.
    assert loose <= {"test_startup.py", "test_commands_reference.py"}, "a feature's tests belong in its folder"
