"""The bank linter: quality warnings about a validated bank (cues, leaks, weak passages, difficulty labels).

Pure functions over the engine's `Bank`; `quizbot check` pins each warning to its line in the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.banks.analytics import QuestionReport
from bot.banks.lint.balance import position_warnings, true_false_warnings
from bot.banks.lint.difficulty import difficulty_warnings
from bot.banks.lint.groups import propose_groups, unresolved
from bot.banks.lint.leaks import Pair, leak_pairs, pair_warnings, self_leaks
from bot.banks.lint.length import LongestRate, length_warnings, longest_rate
from bot.banks.lint.proof import passage_warnings
from bot.banks.lint.warning import Kind, LintWarning
from bot.quiz import Bank

__all__ = ["Kind", "LintReport", "LintWarning", "LongestRate", "lint_bank"]


@dataclass(frozen=True, slots=True)
class LintReport:
    """A bank's warnings, in kind order, with the figures behind them."""

    warnings: list[LintWarning]
    longest: LongestRate
    #: Leak and near-duplicate pairs not settled by a related group.
    pairs: list[Pair]
    #: The related groups that would settle those pairs (existing groups included, merged as needed).
    proposed: list[list[str]]


def lint_bank(bank: Bank, plays: Iterable[QuestionReport] | None = None) -> LintReport:
    """Every quality warning for ``bank``; difficulty labels are checked only when ``plays`` are given."""
    pairs = unresolved(bank, leak_pairs(bank))
    warnings = [
        *length_warnings(bank),
        *position_warnings(bank),
        *true_false_warnings(bank),
        *self_leaks(bank),
        *pair_warnings(bank, pairs),
        *passage_warnings(bank),
        *(difficulty_warnings(bank, plays) if plays is not None else []),
    ]
    order = list(Kind)
    warnings.sort(key=lambda warning: order.index(warning.kind))
    return LintReport(warnings, longest_rate(bank), pairs, propose_groups(bank, pairs) if pairs else [])
