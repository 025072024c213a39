"""docs/commands.md is the reference of every slash command the bot registers, generated here so it cannot drift.

After changing a command, rewrite the file with:

    QUIZBOT_WRITE_REFERENCE=1 .venv/bin/python -m pytest tests/exts/test_commands_reference.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from discord import app_commands

from tests.exts.conftest import World

REFERENCE = Path(__file__).parents[2] / "docs" / "commands.md"
HEADER = """# Slash commands

Every slash command of the bot, with its options, as Discord lists them. This file is generated from
the commands the bot registers (by `tests/exts/test_commands_reference.py`, which fails when it is out of
date); the commands' own descriptions say who may use them. Moderators are members with **Manage Server**
or the moderator role set with `/quiz settings moderator-role`; bank authors are members with **Manage
Server** or the author role.
"""


def walk(items: list[app_commands.Command | app_commands.Group]) -> Iterator[app_commands.Command]:  # type: ignore[type-arg]
    """Every command under these, groups expanded, in Discord's order (by name)."""
    for item in sorted(items, key=lambda c: c.name):
        if isinstance(item, app_commands.Group):
            yield from walk(item.commands)
        else:
            yield item


def option_line(parameter: app_commands.Parameter) -> str:
    """One option: its name, type and limits, whether it is required, and its description."""
    kind = parameter.type.name.replace("_", " ")
    limits = []
    if parameter.min_value is not None or parameter.max_value is not None:
        limits.append(f"{parameter.min_value} to {parameter.max_value}")
    if parameter.choices:
        limits.append("one of " + ", ".join(f"`{choice.name}`" for choice in parameter.choices))
    if parameter.autocomplete:
        limits.append("suggested as you type")
    detail = "; ".join([kind, *limits, "required" if parameter.required else "optional"])
    return f"- `{parameter.name}` ({detail}): {parameter.description}"


def render(commands: list[app_commands.Command | app_commands.Group]) -> str:  # type: ignore[type-arg]
    """The reference as Markdown: a table of contents, then one section per command."""
    flat = list(walk(commands))
    lines = [HEADER, f"{len(flat)} commands:", ""]
    lines += [f"- [`/{c.qualified_name}`](#{c.qualified_name.replace(' ', '-')}): {c.description}" for c in flat]
    for command in flat:
        usage = " ".join(
            [f"/{command.qualified_name}"] + [p.name if p.required else f"[{p.name}]" for p in command.parameters]
        )
        anchor = command.qualified_name.replace(" ", "-")
        lines += ["", f'<a id="{anchor}"></a>', f"## `{usage}`", "", command.description]
        if command.parameters:
            lines += ["", *(option_line(p) for p in command.parameters)]
    return "\n".join(lines) + "\n"


async def test_the_reference_lists_every_registered_command(world: World) -> None:
    """docs/commands.md is exactly what the registered commands render to."""
    expected = render(world.bot.tree.get_commands())
    if os.environ.get("QUIZBOT_WRITE_REFERENCE"):
        REFERENCE.write_text(expected, encoding="utf-8")
    assert REFERENCE.read_text(encoding="utf-8") == expected, (
        "docs/commands.md is out of date: QUIZBOT_WRITE_REFERENCE=1 .venv/bin/python -m pytest " + __file__
    )
