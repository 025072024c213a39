"""Structural tests: the quiz engine stays pure Python, importing no I/O or framework library."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "bot" / "quiz"
FORBIDDEN = frozenset(
    {"discord", "sqlalchemy", "yaml", "pydantic", "pydantic_settings", "aiosqlite", "asyncpg", "alembic", "click"}
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
