"""Start-up: the bot migrates, loads the banks and syncs its slash commands."""

from __future__ import annotations

from tests.exts.conftest import BANK, World


async def test_commands_are_synced_and_banks_loaded(world: World) -> None:
    """After start-up the /quiz group is registered and the shipped bank is loaded."""
    assert BANK in world.bot.library
    commands = world.alice.available_commands(world.channel)
    assert any(name.startswith("quiz") for name in commands)


async def test_intents_are_not_privileged(world: World) -> None:
    """The bot asks for no privileged intent."""
    intents = world.bot.intents
    assert not intents.members and not intents.presences and not intents.message_content
