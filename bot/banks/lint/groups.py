"""Related groups and the pairs they settle: two questions declared related are never dealt in one round,
so what one shows cannot spoil the other."""

from __future__ import annotations

from bot.banks.lint.leaks import Pair
from bot.quiz import Bank


def unresolved(bank: Bank, pairs: list[Pair]) -> list[Pair]:
    """The pairs whose two questions are not declared related."""
    groups = bank.groups
    ids = [question.id for question in bank.questions]

    def related(one: int, two: int) -> bool:
        group = groups.get(ids[one])
        return group is not None and group == groups.get(ids[two])

    return [pair for pair in pairs if not related(pair.shown, pair.spoiled)]


def propose_groups(bank: Bank, pairs: list[Pair]) -> list[list[str]]:
    """Related groups that would settle ``pairs``: existing groups merged with the pairs' questions."""
    ids = [question.id for question in bank.questions]
    parent = {question_id: question_id for question_id in ids}

    def find(question_id: str) -> str:
        while parent[question_id] != question_id:
            parent[question_id] = parent[parent[question_id]]
            question_id = parent[question_id]
        return question_id

    def join(one: str, two: str) -> None:
        parent[find(one)] = find(two)

    for group in bank.related:
        for question_id in group[1:]:
            join(group[0], question_id)
    for pair in pairs:
        join(ids[pair.shown], ids[pair.spoiled])
    components: dict[str, list[str]] = {}
    for question_id in ids:
        components.setdefault(find(question_id), []).append(question_id)
    return [members for members in components.values() if len(members) > 1]
