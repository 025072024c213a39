"""Question banks: read YAML files, validate them, verify their passages, and build the engine's banks.

The names below are imported on first use (PEP 562): the bot's start-up reads its shipped banks from the
cache of validated banks, and needs neither the YAML reader, the bank schema nor the checks until a bank
misses the cache or a guild's upload is checked.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bot.banks.errors import BankError, BankIssue

if TYPE_CHECKING:
    from bot.banks.loader import ArticleFiles, LoadReport, SourceUnavailable, load_bank, load_banks, parse_bank_text
    from bot.banks.model import BankModel, bank_json_schema
    from bot.banks.passages import Article, Suggestion, normalise
    from bot.banks.yaml_source import DEFAULT_MAX_BYTES

#: Where each lazily imported name lives.
_LAZY = {
    "ArticleFiles": "bot.banks.loader",
    "LoadReport": "bot.banks.loader",
    "SourceUnavailable": "bot.banks.loader",
    "load_bank": "bot.banks.loader",
    "load_banks": "bot.banks.loader",
    "parse_bank_text": "bot.banks.loader",
    "BankModel": "bot.banks.model",
    "bank_json_schema": "bot.banks.model",
    "Article": "bot.banks.passages",
    "Suggestion": "bot.banks.passages",
    "normalise": "bot.banks.passages",
    "DEFAULT_MAX_BYTES": "bot.banks.yaml_source",
}

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Article",
    "ArticleFiles",
    "BankError",
    "BankIssue",
    "BankModel",
    "LoadReport",
    "SourceUnavailable",
    "Suggestion",
    "bank_json_schema",
    "load_bank",
    "load_banks",
    "normalise",
    "parse_bank_text",
]


def __getattr__(name: str) -> Any:
    """Import a lazily exported name from its module on first use, then keep it here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
