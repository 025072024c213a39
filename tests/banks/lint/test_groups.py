"""Related groups settle leak pairs, and the linter proposes the groups that would settle the rest."""

from __future__ import annotations

from bot.banks.lint import Kind, lint_bank
from bot.banks.lint.groups import propose_groups, unresolved
from bot.banks.lint.leaks import leak_pairs

from .helpers import CAPITAL, bank, leaker, question


def test_declared_related_questions_are_not_reported() -> None:
    """A pair whose questions share a related group is settled: no warning, no proposal."""
    river = question("river", ("The Long", "The Short"), **leaker("explanation"))
    loose = bank(CAPITAL, river)
    assert len(unresolved(loose, leak_pairs(loose))) == 1
    settled = bank(CAPITAL, river, related=(("capital", "river"),))
    report = lint_bank(settled)
    assert report.pairs == [] and report.proposed == []
    assert not [w for w in report.warnings if w.kind is Kind.LEAK]


def test_proposed_groups_join_pairs_and_existing_groups() -> None:
    """Pairs that chain become one proposed group, merged with the related group one of them is in."""
    river = question("river", ("The Long", "The Short"), **leaker("passage"))
    sea = question("sea", ("North Sea", "South Sea"), explanation="The Long river ends in the North Sea.")
    port = question("port", ("Harbourtown", "Dockside"))
    town = question("town", ("Oldtown", "Newtown"))
    checked = bank(CAPITAL, river, sea, port, town, related=(("sea", "port"),))
    pairs = unresolved(checked, leak_pairs(checked))
    assert propose_groups(checked, pairs) == [["capital", "river", "sea", "port"]]
