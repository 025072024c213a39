"""Integer options: every one bounded for Discord, and checked again by the bot when a request arrives."""

from __future__ import annotations

import pytest
import simcord
import simcord.interactions
from discord import app_commands
from sqlalchemy import update

from bot.db.models import GuildRow
from bot.exts._common.options import INT4_MAX, OptionOutOfRange, unbounded_options
from tests.exts.conftest import BANK, World


async def test_every_integer_option_has_both_bounds(world: World) -> None:
    """No command takes an integer Discord would let through unbounded (2147483648 overflowed PostgreSQL's int4)."""
    commands = [c for c in world.bot.tree.walk_commands() if isinstance(c, app_commands.Command)]
    assert commands
    unbounded = {c.qualified_name: unbounded_options(c.parameters) for c in commands}
    assert {name: params for name, params in unbounded.items() if params} == {}
    highs = [p.max_value for c in commands for p in c.parameters if p.max_value is not None]
    assert max(highs) <= INT4_MAX


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("quiz schedule remove", {"schedule": INT4_MAX + 1}),
        ("quiz schedule pause", {"schedule": 0}),
        ("quiz start", {"questions": -1}),
        ("quiz start", {"seconds": 10**12}),
    ],
)
async def test_out_of_range_options_are_refused_by_the_bot(
    world: World, command: str, options: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request built without Discord's client, with a number past the declared bounds, is answered, not run."""
    monkeypatch.setattr(simcord.interactions, "_check_numeric_range", lambda *args: None)  # no client-side check
    result = await world.mod.slash(world.channel, command, **options)
    name = next(iter(options))
    assert result.ephemeral and result.response.content.startswith(f"`{name}` must be between")
    assert world.bot.rounds.in_channel(world.channel.id) is None
    simcord.assert_error(world.env, OptionOutOfRange)


async def test_a_huge_stored_seconds_setting_cannot_break_a_round(world: World) -> None:
    """A default the bounds would have refused (stored by an older bot, or by hand) is brought within them."""
    async with world.bot.sessions.begin() as session:
        await world.bot.rounds.plan(guild_id=world.guild.id, channel_id=None, started_by=1)  # creates the guild row
        await session.execute(update(GuildRow).values(default_seconds=10**12, default_questions=-5))
    result = await world.mod.slash(world.channel, "quiz start", bank=BANK)
    assert result.response.content.startswith("Round ")
    live = world.bot.rounds.in_channel(world.channel.id)
    assert live is not None and live.engine.seconds <= 120 and live.total >= 1


def test_the_check_names_the_option() -> None:
    """The error carries the option and its bounds for the reply."""
    error = OptionOutOfRange("schedule", 1, INT4_MAX)
    assert (error.name, error.low, error.high) == ("schedule", 1, INT4_MAX)
