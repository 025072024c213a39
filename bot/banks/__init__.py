"""Question banks: read YAML files, validate them, verify their passages, and build the engine's banks."""

from bot.banks.errors import BankError, BankIssue
from bot.banks.loader import ArticleFiles, LoadReport, SourceUnavailable, load_bank, load_banks, parse_bank_text
from bot.banks.model import BankModel, bank_json_schema
from bot.banks.passages import Article, Suggestion, normalise
from bot.banks.yaml_source import DEFAULT_MAX_BYTES

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
