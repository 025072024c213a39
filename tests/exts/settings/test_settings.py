"""``/quiz settings``: moderators change each setting, plain members are refused, Discord enforces the bounds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import discord
import pytest
import simcord

from bot.db import repos
from bot.db.repos import GuildSettings
from bot.exts._common.checks import NotModerator
from bot.exts.settings import GROUP_NAME, MAX_CHANNELS
from tests.exts.conftest import World

Options = Callable[[World], dict[str, Any]]

NOT_A_MODERATOR = "Only moderators can do that"
MANAGE_SERVER_ONLY = "Only members with the **Manage Server** permission can change the moderator role."


async def stored(world: World) -> GuildSettings:
    """The guild's settings as the database has them."""
    async with world.bot.sessions.begin() as session:
        return await repos.get_guild_settings(session, world.guild.id)


async def shown(world: World, member: simcord.MemberActor | None = None) -> dict[str, str]:
    """The fields of ``/quiz settings show``, by name, as ``member`` (the moderator by default) sees them."""
    result = await (member or world.mod).slash(world.channel, "quiz settings show")
    assert result.ephemeral
    assert result.response is not None
    (embed,) = result.response.embeds
    return {field.name or "": field.value or "" for field in embed.fields}


async def say(member: simcord.MemberActor, world: World, command: str, **options: Any) -> str:
    """Run ``/quiz settings <command>`` and return the ephemeral reply's text."""
    result = await member.slash(world.channel, f"quiz settings {command}", **options)
    assert result.ephemeral
    assert result.response is not None
    return result.response.content


async def refused(member: simcord.MemberActor, world: World, command: str, **options: Any) -> None:
    """Run ``/quiz settings <command>`` and check the member was refused as no moderator."""
    assert (await say(member, world, command, **options)).startswith(NOT_A_MODERATOR)
    # The tree's on_error answered the user; simcord still records the check failure, so read it.
    simcord.assert_error(world.env, NotModerator)


def settings_group(world: World) -> Any:
    """The ``/quiz settings`` group of the running bot."""
    group = world.bot.quiz_group.get_command(GROUP_NAME)
    assert group is not None
    return group


# Every subcommand only moderators may use, with valid options for it.
MODERATOR_COMMANDS: list[tuple[str, Options]] = [
    ("seconds", lambda w: {"seconds": 30}),
    ("questions", lambda w: {"questions": 5}),
    ("moderator-role", lambda w: {"role": w.guild.create_role("Quizmasters")}),
    ("moderator-role-clear", lambda w: {}),
    ("author-role", lambda w: {"role": w.guild.create_role("Authors")}),
    ("author-role-clear", lambda w: {}),
    ("channel-add", lambda w: {"channel": w.other_channel}),
    ("channel-remove", lambda w: {"channel": w.other_channel}),
    ("channels-clear", lambda w: {}),
    ("reveal-answerers", lambda w: {"enabled": False}),
    ("timezone", lambda w: {"zone": "Europe/Berlin"}),
    ("reminder", lambda w: {"minutes": 5}),
    ("grace", lambda w: {"minutes": 30}),
    ("report-hold-back", lambda w: {"reports": 2}),
]


async def test_defaults_are_shown_to_anyone(world: World) -> None:
    """A plain member may view the settings, which start at the defaults."""
    assert await shown(world, world.alice) == {
        "Seconds per question": "20 s",
        "Questions per round": "10",
        "Reveals show who answered": "Yes",
        "Moderators": "Members with **Manage Server**",
        "Bank authors": "Members with **Manage Server**",
        "Channels quizzes may run in": "Any channel",
    }


@pytest.mark.parametrize(
    ("command", "options", "reply", "field", "value", "attribute", "expected"),
    [
        ("seconds", {"seconds": 30}, "Questions now last 30 s.", "Seconds per question", "30 s", "default_seconds", 30),
        ("seconds", {"seconds": 5}, "Questions now last 5 s.", "Seconds per question", "5 s", "default_seconds", 5),
        (
            "seconds",
            {"seconds": 120},
            "Questions now last 120 s.",
            "Seconds per question",
            "120 s",
            "default_seconds",
            120,
        ),
        (
            "questions",
            {"questions": 12},
            "Rounds now have 12 questions.",
            "Questions per round",
            "12",
            "default_questions",
            12,
        ),
        (
            "questions",
            {"questions": 1},
            "Rounds now have 1 question.",
            "Questions per round",
            "1",
            "default_questions",
            1,
        ),
        (
            "questions",
            {"questions": 50},
            "Rounds now have 50 questions.",
            "Questions per round",
            "50",
            "default_questions",
            50,
        ),
        (
            "reveal-answerers",
            {"enabled": False},
            "Reveals no longer show who answered, only how many did.",
            "Reveals show who answered",
            "No",
            "show_answerers",
            False,
        ),
        (
            "reveal-answerers",
            {"enabled": True},
            "Reveals now show who answered.",
            "Reveals show who answered",
            "Yes",
            "show_answerers",
            True,
        ),
    ],
)
async def test_moderator_changes_a_setting(
    world: World,
    command: str,
    options: dict[str, Any],
    reply: str,
    field: str,
    value: str,
    attribute: str,
    expected: object,
) -> None:
    """A moderator's change is confirmed in words, stored, and shown by /quiz settings show."""
    assert await say(world.mod, world, command, **options) == reply
    assert getattr(await stored(world), attribute) == expected
    assert (await shown(world))[field] == value


async def test_changes_keep_the_other_settings(world: World) -> None:
    """Changing one setting leaves the others as they were."""
    await say(world.mod, world, "seconds", seconds=45)
    await say(world.mod, world, "questions", questions=7)
    await say(world.mod, world, "reveal-answerers", enabled=False)
    settings = await stored(world)
    assert (settings.default_seconds, settings.default_questions, settings.show_answerers) == (45, 7, False)
    assert settings.timezone == "UTC"


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        ("seconds", "seconds", 4),
        ("seconds", "seconds", 121),
        ("seconds", "seconds", 0),
        ("questions", "questions", 0),
        ("questions", "questions", 51),
        ("questions", "questions", -3),
    ],
)
async def test_out_of_range_values_are_refused_by_discord(world: World, command: str, option: str, value: int) -> None:
    """Discord itself refuses a value outside the option's bounds; the bot never sees it."""
    with pytest.raises(simcord.OptionError) as error:
        await world.mod.slash(world.channel, f"quiz settings {command}", **{option: value})
    assert error.value.code == "option-range"
    settings = await stored(world)
    assert (settings.default_seconds, settings.default_questions) == (20, 10)


def test_bounds_are_declared_to_discord(world: World) -> None:
    """The synced options carry min/max values, and channel options accept text channels only."""
    syncs = [r for r in world.env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]
    commands = syncs[-1].json
    assert commands is not None
    (quiz,) = [c for c in commands if c["name"] == "quiz"]
    (group,) = [c for c in quiz["options"] if c["name"] == "settings"]
    options = {sub["name"]: {o["name"]: o for o in sub.get("options", [])} for sub in group["options"]}
    assert (options["seconds"]["seconds"]["min_value"], options["seconds"]["seconds"]["max_value"]) == (5, 120)
    assert (options["questions"]["questions"]["min_value"], options["questions"]["questions"]["max_value"]) == (1, 50)
    text_types = sorted([discord.ChannelType.text.value, discord.ChannelType.news.value])
    assert sorted(options["channel-add"]["channel"]["channel_types"]) == text_types
    assert all(o.get("description") for sub in options.values() for o in sub.values())


async def test_non_text_channel_is_refused_by_discord(world: World) -> None:
    """Only text channels can be added: Discord refuses a voice channel before the bot sees it."""
    voice = world.guild.create_voice_channel("voice")
    with pytest.raises(simcord.OptionError) as error:
        await world.mod.slash(world.channel, "quiz settings channel-add", channel=voice)
    assert error.value.code == "option-channel-type"


def test_every_moderator_command_is_in_the_refusal_table(world: World) -> None:
    """The refusal test covers every subcommand but show, so a new one cannot skip the check unnoticed."""
    names = {command.name for command in settings_group(world).commands}
    assert names == {name for name, _ in MODERATOR_COMMANDS} | {"show"}


@pytest.mark.parametrize(("command", "options"), MODERATOR_COMMANDS, ids=[name for name, _ in MODERATOR_COMMANDS])
async def test_plain_member_is_refused(world: World, command: str, options: Options) -> None:
    """A member without Manage Server or the moderator role is refused, and nothing changes."""
    before = await stored(world)
    await refused(world.alice, world, command, **options(world))
    assert await stored(world) == before


async def test_moderator_role_lets_its_members_moderate(world: World) -> None:
    """After the role is set, a member holding it (without Manage Server) may change settings."""
    role = world.guild.create_role("Quizmasters")
    dave = world.guild.add_member(world.env.create_user("dave"), roles=[role])
    await refused(dave, world, "seconds", seconds=40)

    reply = await say(world.mod, world, "moderator-role", role=role)
    assert reply == f"Members with <@&{role.id}> are now quiz moderators, as is everyone with **Manage Server**."
    assert (await stored(world)).moderator_role_id == role.id
    assert (await shown(world))["Moderators"] == f"Members with **Manage Server** or <@&{role.id}>"

    assert await say(dave, world, "seconds", seconds=40) == "Questions now last 40 s."
    assert (
        await say(dave, world, "channel-add", channel=world.channel)
        == f"Quiz rounds may now run only in <#{world.channel.id}>."
    )
    assert (await stored(world)).default_seconds == 40
    # Plain members are still refused.
    await refused(world.alice, world, "seconds", seconds=60)


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("moderator-role", lambda w: {"role": w.guild.create_role("Helpers")}),
        ("moderator-role-clear", lambda w: {}),
    ],
    ids=["moderator-role", "moderator-role-clear"],
)
async def test_only_manage_server_changes_the_moderator_role(world: World, command: str, options: Options) -> None:
    """A role moderator may not change or clear the moderator role; that stays with Manage Server."""
    role = world.guild.create_role("Quizmasters")
    dave = world.guild.add_member(world.env.create_user("dave"), roles=[role])
    await say(world.mod, world, "moderator-role", role=role)

    assert await say(dave, world, command, **options(world)) == MANAGE_SERVER_ONLY
    assert (await stored(world)).moderator_role_id == role.id


async def test_clearing_the_moderator_role(world: World) -> None:
    """Clearing the role takes moderation away from its holders; clearing twice says there is none."""
    role = world.guild.create_role("Quizmasters")
    dave = world.guild.add_member(world.env.create_user("dave"), roles=[role])
    await say(world.mod, world, "moderator-role", role=role)

    reply = await say(world.mod, world, "moderator-role-clear")
    assert reply == "The moderator role is cleared: only members with **Manage Server** moderate now."
    assert (await stored(world)).moderator_role_id is None
    assert (await shown(world))["Moderators"] == "Members with **Manage Server**"
    await refused(dave, world, "seconds", seconds=40)

    again = await say(world.mod, world, "moderator-role-clear")
    assert again == "There is no moderator role to clear: only **Manage Server** moderates."


async def test_everyone_cannot_be_the_moderator_role(world: World) -> None:
    """@everyone is refused as the moderator role, which would make every member a moderator."""
    reply = await say(world.mod, world, "moderator-role", role=world.guild.default_role)
    assert reply.startswith("@everyone can't be the moderator role")
    assert (await stored(world)).moderator_role_id is None


async def test_channel_list_add_remove_clear(world: World) -> None:
    """Channels are added, listed, removed and cleared, and an empty list means anywhere."""
    first, second = world.channel, world.other_channel
    assert (
        await say(world.mod, world, "channel-add", channel=first) == f"Quiz rounds may now run only in <#{first.id}>."
    )
    assert await say(world.mod, world, "channel-add", channel=second) == (
        f"Quiz rounds may now run in <#{first.id}>, <#{second.id}>."
    )
    assert (
        await say(world.mod, world, "channel-add", channel=second)
        == f"<#{second.id}> is already one of the quiz channels."
    )
    settings = await stored(world)
    assert settings.allowed_channel_ids == (first.id, second.id)
    assert settings.allows_channel(first.id) and not settings.allows_channel(12345)
    assert (await shown(world))["Channels quizzes may run in"] == f"<#{first.id}>\n<#{second.id}>"

    assert await say(world.mod, world, "channel-remove", channel=first) == (
        f"<#{first.id}> is no longer a quiz channel. Rounds may run in <#{second.id}>."
    )
    assert (
        await say(world.mod, world, "channel-remove", channel=first)
        == f"<#{first.id}> is not one of the quiz channels."
    )
    assert await say(world.mod, world, "channel-remove", channel=second) == (
        f"<#{second.id}> is no longer a quiz channel. With none listed, rounds may run anywhere."
    )
    assert (await stored(world)).allowed_channel_ids == ()

    await say(world.mod, world, "channel-add", channel=first)
    await say(world.mod, world, "channel-add", channel=second)
    assert await say(world.mod, world, "channels-clear") == "Quiz rounds may now run in any channel."
    assert (await stored(world)).allowed_channel_ids == ()
    assert (await shown(world))["Channels quizzes may run in"] == "Any channel"


async def test_channel_list_is_capped(world: World) -> None:
    """A full channel list refuses another channel instead of growing without end."""
    full = tuple(range(1, MAX_CHANNELS + 1))
    async with world.bot.sessions.begin() as session:
        current = await repos.get_guild_settings(session, world.guild.id)
        await repos.update_guild_settings(session, replace(current, allowed_channel_ids=full))

    reply = await say(world.mod, world, "channel-add", channel=world.channel)
    assert reply == f"There are already {MAX_CHANNELS} quiz channels, the most allowed: remove one first."
    assert (await stored(world)).allowed_channel_ids == full
    # Channels that no longer exist are marked, so moderators know why the mention looks odd.
    assert (await shown(world))["Channels quizzes may run in"].startswith("<#1> (deleted)\n<#2> (deleted)")


async def test_replies_never_ping(world: World) -> None:
    """Settings replies, which mention roles and channels, go out with every mention disabled."""
    role = world.guild.create_role("Quizmasters")
    await say(world.mod, world, "moderator-role", role=role)
    await shown(world)
    callbacks = [r for r in world.env.http_requests if r.method == "POST" and r.path.endswith("/callback")]
    assert len(callbacks) == 2
    assert [r.json and r.json["data"]["allowed_mentions"] for r in callbacks] == [{"parse": []}] * 2


async def test_unloading_removes_the_group(world: World) -> None:
    """The extension's teardown takes /quiz settings off the bot, and loading adds a fresh one."""
    old = settings_group(world)
    await world.bot.unload_extension("bot.exts.settings")
    assert world.bot.quiz_group.get_command(GROUP_NAME) is None
    await world.bot.load_extension("bot.exts.settings")
    assert settings_group(world) is not old


async def test_deleted_roles_are_named_as_deleted(world: World) -> None:
    """A moderator or author role that no longer exists is shown as deleted, with its id, not as a mention."""
    async with world.bot.sessions.begin() as session:
        current = await repos.get_guild_settings(session, world.guild.id)
        await repos.update_guild_settings(session, replace(current, moderator_role_id=1, author_role_id=2))
    fields = await shown(world)
    assert fields["Moderators"] == "Members with **Manage Server** (the moderator role, id 1, was deleted)"
    assert fields["Bank authors"] == "Members with **Manage Server** (the author role, id 2, was deleted)"
