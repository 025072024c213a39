"""Round plans: whether a round may start where it was asked for, and the banks and rules it will play.

A plan is checked before anything is stored. The Discord layer hands over plain facts (the
channel, the permissions the bot lacks there); the checks and the rules live here, once, for
``/quiz start``, scheduled runs and practice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.banks.library import BankLibrary
from bot.db.repos import GuildSettings
from bot.quiz import Bank, RoundRules, round_rules
from bot.quiz.rules import SECONDS_RANGE
from bot.rounds.errors import AllBanksDisabled, ChannelNotAllowed, MissingPermissions, NoBanks, RuleOutOfRange

QUESTIONS_RANGE = (1, 50)


@dataclass(frozen=True, slots=True)
class RoundPlan:
    """A checked request for a round: where, who, which banks and its rules, before anything is stored.

    ``channel_id`` is None for a private practice round.
    """

    guild_id: int
    channel_id: int | None
    started_by: int
    banks: tuple[Bank, ...]
    rules: RoundRules

    @property
    def bank_ids(self) -> tuple[str, ...]:
        """The ids of the banks the round draws from."""
        return tuple(bank.id for bank in self.banks)


def admit_channel(settings: GuildSettings, channel_id: int, missing_permissions: Sequence[str]) -> None:
    """Raise ChannelNotAllowed or MissingPermissions unless rounds may run in this channel."""
    if not settings.allows_channel(channel_id):
        raise ChannelNotAllowed(settings.allowed_channel_ids)
    if missing_permissions:
        raise MissingPermissions(list(missing_permissions))


def banks_to_play(library: BankLibrary, guild_id: int, bank_id: str | None) -> list[Bank]:
    """The named bank, or every bank the guild plays; raises UnknownBank, BankDisabled or NoBanks."""
    if bank_id is not None:
        return [library.playable(bank_id, guild_id)]
    banks = library.visible(guild_id)
    if not banks:
        if library.known(guild_id):
            raise AllBanksDisabled("every question bank is switched off in this server")
        raise NoBanks("no question banks are loaded")
    return banks


def make_plan(
    library: BankLibrary,
    settings: GuildSettings,
    *,
    channel_id: int | None,
    started_by: int,
    bank_id: str | None,
    questions: int | None,
    seconds: int | None,
) -> RoundPlan:
    """The banks and rules of a round in this guild (the channel checks are ``admit_channel``'s).

    A count or time asked for outside a round's bounds raises RuleOutOfRange (whoever sent it); the
    guild's stored defaults are brought within them, so no stored number can break a round.
    """
    _check("questions", questions, QUESTIONS_RANGE)
    _check("seconds", seconds, SECONDS_RANGE)
    banks = banks_to_play(library, settings.guild_id, bank_id)
    rules = round_rules(
        banks,
        questions=questions,
        seconds=seconds,
        default_questions=_within(settings.default_questions, QUESTIONS_RANGE),
        default_seconds=_within(settings.default_seconds, SECONDS_RANGE),
    )
    return RoundPlan(settings.guild_id, channel_id, started_by, tuple(banks), rules)


def _check(name: str, value: int | None, bounds: tuple[int, int]) -> None:
    if value is not None and not bounds[0] <= value <= bounds[1]:
        raise RuleOutOfRange(name, *bounds)


def _within(value: int, bounds: tuple[int, int]) -> int:
    return min(max(value, bounds[0]), bounds[1])
