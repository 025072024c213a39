"""Integer options: every one declares its bounds to Discord, and the bot checks them again when a command arrives.

Discord's client enforces ``min_value``/``max_value``, but a request can be made without the client, so the
bounds are checked on the server too, before the command runs: a number past PostgreSQL's ``integer``
never reaches a query, and a negative count never reaches the round service.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from discord import AppCommandOptionType, app_commands

INT4_MAX = 2**31 - 1  # the largest value of a PostgreSQL ``integer`` column
# An option naming a stored number (a schedule's, a bank version's): positive and within the column.
StoredNumber = app_commands.Range[int, 1, INT4_MAX]


class OptionOutOfRange(app_commands.CheckFailure):
    """An integer option arrived outside the bounds the command declares."""

    def __init__(self, name: str, low: int | None, high: int | None) -> None:
        super().__init__(f"{name} must be between {low} and {high}")
        self.name, self.low, self.high = name, low, high


def check_bounds(parameters: Iterable[app_commands.Parameter], options: Iterable[Mapping[str, Any]]) -> None:
    """Raise OptionOutOfRange for the first integer option outside its parameter's declared bounds."""
    declared = {p.display_name: p for p in parameters if p.type is AppCommandOptionType.integer}
    for option in options:
        parameter = declared.get(str(option.get("name")))
        value = option.get("value")
        if parameter is None or not isinstance(value, int):
            continue
        low, high = parameter.min_value, parameter.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            raise OptionOutOfRange(parameter.display_name, _whole(low), _whole(high))


def unbounded_options(parameters: Iterable[app_commands.Parameter]) -> list[str]:
    """The integer parameters missing a lower or an upper bound (every one should have both)."""
    return [
        p.display_name
        for p in parameters
        if p.type is AppCommandOptionType.integer and (p.min_value is None or p.max_value is None)
    ]


def _whole(bound: float | None) -> int | None:
    return None if bound is None else int(bound)
