"""Start-up: the bot migrates, loads the banks and syncs its slash commands."""

from __future__ import annotations

import gc
import importlib
import inspect
from collections.abc import Callable

import pytest

from bot.client import QuizBot
from bot.exts import discover_extensions
from bot.exts._common.feature import Feature
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


@pytest.mark.parametrize("extension", discover_extensions())
async def test_reloading_an_extension_takes_its_commands_off_and_back(world: World, extension: str) -> None:
    """Unloading an extension removes every /quiz command it added, and loading it again restores the same ones."""
    before = {command.name: command for command in world.bot.quiz_group.commands}
    await world.bot.unload_extension(extension)
    after_unload = {command.name for command in world.bot.quiz_group.commands}
    removed = before.keys() - after_unload
    assert removed, f"{extension} added no /quiz command"
    await world.bot.load_extension(extension)
    reloaded = {command.name: command for command in world.bot.quiz_group.commands}
    assert reloaded.keys() == before.keys()
    # Fresh command objects: the old ones stay bound to the unloaded extension.
    assert all(reloaded[name] is not before[name] for name in removed)


@pytest.mark.parametrize("extension", discover_extensions())
def test_every_extension_is_one_feature_cog(extension: str) -> None:
    """An extension is one shape: a Feature cog its setup adds, and no teardown of its own."""
    module = importlib.import_module(extension)
    features = [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Feature) and value.__module__.startswith(extension)
    ]
    assert len(features) == 1, f"{extension} defines {len(features)} Feature cogs"
    assert not hasattr(module, "teardown")
    assert "add_cog" in inspect.getsource(module.setup)


@pytest.mark.parametrize("extension", discover_extensions())
def test_every_feature_passes_its_commands_to_the_base(extension: str) -> None:
    """One shape: a feature hands its commands to ``Feature.__init__`` rather than overriding ``quiz_commands``."""
    module = importlib.import_module(extension)
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Feature) and value is not Feature:
            assert "quiz_commands" not in vars(value), f"{value.__qualname__} overrides quiz_commands"


async def test_setup_hook_resumes_the_collector_paused_for_start_up(
    world: World, make_bot: Callable[[], QuizBot]
) -> None:
    """``quizbot run`` pauses the cyclic collector while the bot starts; setup_hook freezes the heap and resumes it."""
    gc.disable()
    try:
        old, new = world.bot, make_bot()
        await world.env.restart_bot(new)
        await old.close()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.enable()
