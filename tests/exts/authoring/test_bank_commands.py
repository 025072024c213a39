"""``/quiz bank``: versions and their history, rounds playing the version they started with, switching
banks off and on, deleting, downloading, reloading the shipped folder, analytics, and who may do what."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import discord
import pytest
import simcord

from bot.banks.errors import BankDisabled, NoSuchVersion, ShippedNotDeletable, ShippedNotUploaded, UnknownBank
from bot.banks.library import content_hash
from bot.banks.shipped import PID_FILE
from bot.client import QuizBot
from bot.exts._common.authors import NotAuthor
from bot.exts._common.checks import NotModerator
from bot.exts.authoring import GROUP_NAME
from bot.rounds.errors import AllBanksDisabled
from bot.runner import reload_on_sighup
from bot.settings import Settings
from tests.db.helpers import load_round
from tests.exts.authoring.test_bank_upload import PASSAGES, answer_of, bank_yaml, read, upload, versions
from tests.exts.conftest import BANK, QUESTIONS, World
from tests.exts.helpers import announcement, click, open_question, wrong

EXTRA = "caucasus-extra"
SHIPPED_FILE = "south-caucasus-russia.yaml"


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The usual test settings, with a banks folder copied from ``questions/`` that tests may break and mend."""
    shutil.copytree(QUESTIONS, tmp_path / "questions")
    return settings.model_copy(update={"banks_dir": tmp_path / "questions"})


async def say(member: Any, world: World, command: str, **options: Any) -> str:
    """Run ``/quiz bank <command>`` and return the ephemeral reply's text."""
    result = await member.slash(world.channel, f"quiz bank {command}", **options)
    assert result.ephemeral
    return answer_of(result)[0]


async def restart(world: World, make_bot: Callable[[], QuizBot]) -> QuizBot:
    """Replace the running bot with a fresh one on the same database, as a process restart would."""
    old = world.bot
    new = make_bot()
    await world.env.restart_bot(new)
    await old.close()
    return new


async def stored_versions(world: World, round_id: int) -> dict[str, int | str]:
    """The bank versions a round recorded."""
    async with world.bot.sessions.begin() as session:
        stored = await load_round(session, round_id)
    assert stored is not None
    return dict(stored.bank_versions)


async def test_versions_are_kept_and_listed(world: World) -> None:
    """Uploading again stores version 2; history lists both, newest first, and the live one is the newest."""
    await upload(world.mod, world, "extra.yaml", bank_yaml())
    text, _ = answer_of(await upload(world.mod, world, "extra.yaml", bank_yaml(title="Extra, revised")))
    assert text == "Stored *Extra, revised* as version 2 (2 questions). It is live in this server."
    assert await versions(world) == [2, 1]
    assert world.bot.library.get(EXTRA, world.guild.id).title == "Extra, revised"

    result = await world.alice.slash(world.channel, "quiz bank history", bank=EXTRA)
    embed = result.response.embeds[0]
    assert embed.title == "Versions of Extra, revised"
    rows = (embed.description or "").splitlines()
    assert [row.split(" · ")[0] for row in rows] == ["**v2**", "**v1**"]
    # Who uploaded reads as their name, never as a raw mention.
    assert rows[0].endswith("· *live*") and " · mod · " in rows[0] and "<@" not in rows[0]


async def test_a_round_records_the_versions_it_plays(world: World) -> None:
    """A round started after version 2 records version 2; a shipped bank records its content hash."""
    await upload(world.mod, world, "extra.yaml", bank_yaml())
    await upload(world.mod, world, "extra.yaml", bank_yaml(title="Extra, revised"))
    await world.mod.slash(world.channel, "quiz start", bank=EXTRA, questions=1, seconds=30)
    live = world.bot.rounds.in_channel(world.channel.id)
    assert live is not None
    assert await stored_versions(world, live.id) == {EXTRA: 2}
    await world.mod.slash(world.channel, "quiz stop")

    await world.mod.slash(world.other_channel, "quiz start", bank=BANK, questions=1, seconds=30)
    shipped = world.bot.rounds.in_channel(world.other_channel.id)
    assert shipped is not None
    assert await stored_versions(world, shipped.id) == {BANK: content_hash(world.bot.library.get(BANK))}
    await world.mod.slash(world.other_channel, "quiz stop")


async def test_a_restarted_round_replays_the_version_it_started_with(
    world: World, make_bot: Callable[[], QuizBot]
) -> None:
    """A round on version 1 keeps version 1's questions across a restart, though version 2 is live by then."""
    await upload(world.mod, world, "extra.yaml", bank_yaml(passages=PASSAGES[:1], prompt="First wording"))
    await world.mod.slash(world.channel, "quiz start", bank=EXTRA, questions=1, seconds=30)
    await upload(world.mod, world, "extra.yaml", bank_yaml(passages=PASSAGES[:1], prompt="Second wording"))

    bot = await restart(world, make_bot)
    assert bot.library.get(EXTRA, world.guild.id).question("q1").prompt == "Second wording (1)"
    live = bot.rounds.in_channel(world.channel.id)
    assert live is not None and live.engine.current is not None
    assert live.engine.current.played.question.prompt == "First wording (1)"
    message, qid, right = open_question(world)
    assert (await click(world.alice, message, qid, right)).response.content.startswith("Locked in")
    await world.env.advance_time(30)
    assert bot.rounds.in_channel(world.channel.id) is None


async def test_guild_banks_survive_a_restart(world: World, make_bot: Callable[[], QuizBot]) -> None:
    """Uploaded banks and switched-off banks are loaded again at start-up."""
    await upload(world.mod, world, "extra.yaml", bank_yaml())
    await say(world.mod, world, "disable", bank=BANK)
    bot = await restart(world, make_bot)
    assert bot.library.uploaded_version(EXTRA, world.guild.id) == 1
    assert bot.library.is_disabled(BANK, world.guild.id)
    assert [bank.id for bank in bot.library.visible(world.guild.id)] == [EXTRA]


async def test_disabling_a_shipped_bank_hides_it_here(world: World) -> None:
    """A switched-off shipped bank is not listed or played in this server, and comes back when switched on."""
    assert await say(world.mod, world, "disable", bank=BANK) == (
        "*Russia and the South Caucasus* is switched off here: rounds no longer play it. "
        "`/quiz bank enable` undoes this."
    )
    assert (
        await say(world.mod, world, "disable", bank=BANK)
        == "*Russia and the South Caucasus* was already switched off here."
    )
    listed = await world.alice.slash(world.channel, "quiz banks")
    assert listed.response.content == "No question banks are loaded right now."
    assert await world.mod.autocomplete(world.channel, "quiz start", "bank", "") == []

    refused = await world.mod.slash(world.channel, "quiz start", bank=BANK)
    assert refused.response.content.startswith(f"The bank `{BANK}` is switched off in this server.")
    simcord.assert_error(world.env, BankDisabled)
    nothing = await world.mod.slash(world.channel, "quiz start")
    # Not "No question banks are loaded" (issue 14): they are loaded, and switched off.
    assert nothing.response.content == (
        "Every question bank is switched off in this server. An author can turn one back on with `/quiz bank enable`."
    )
    simcord.assert_error(world.env, AllBanksDisabled)
    assert world.bot.rounds.in_channel(world.channel.id) is None

    bank_list = (await world.alice.slash(world.channel, "quiz bank list")).response.embeds[0]
    assert "switched off" in (bank_list.description or "")

    assert await say(world.mod, world, "enable", bank=BANK) == "*Russia and the South Caucasus* is back in play here."
    started = await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=30)
    assert announcement(started).startswith("🎯 **Quiz time!**")
    await world.mod.slash(world.channel, "quiz stop")


async def test_switches_are_per_server(world: World) -> None:
    """Switching a shipped bank off in one server leaves it on in the others."""
    await say(world.mod, world, "disable", bank=BANK)
    other = world.env.create_guild("Other")
    assert [bank.id for bank in world.bot.library.visible(other.id)] == [BANK]


async def test_list_and_show(world: World) -> None:
    """The list shows shipped and uploaded banks; show gives a bank's source, size, origin and status."""
    await upload(world.mod, world, "extra.yaml", bank_yaml())
    listed = (await world.alice.slash(world.channel, "quiz bank list")).response.embeds[0]
    rows = (listed.description or "").splitlines()
    assert len(rows) == 2
    assert any(f"`{EXTRA}`" in row and "uploaded, version 1" in row for row in rows)
    assert any(f"`{BANK}`" in row and "ships with the bot" in row for row in rows)

    shown = (await world.alice.slash(world.channel, "quiz bank show", bank=EXTRA)).response.embeds[0]
    fields = {field.name: field.value for field in shown.fields}
    assert fields["Id"] == f"`{EXTRA}`"
    assert fields["Status"] == "In play here"
    assert (fields["Origin"] or "").startswith("Version 1, uploaded by mod on <t:")
    shipped = (await world.alice.slash(world.channel, "quiz bank show", bank=BANK)).response.embeds[0]
    assert {f.name: f.value for f in shipped.fields}["Origin"] == "Ships with the bot (the `questions/` folder)."

    history = await say(world.alice, world, "history", bank=BANK)
    assert history == f"`{BANK}` ships with the bot, so it has no upload history here."
    simcord.assert_error(world.env, ShippedNotUploaded)
    choices = await world.alice.autocomplete(world.channel, "quiz bank show", "bank", "")
    assert {c["value"] for c in choices} == {EXTRA, BANK}


async def test_unknown_bank(world: World) -> None:
    """Asking about a bank that does not exist says so."""
    result = await world.alice.slash(world.channel, "quiz bank show", bank="nope")
    assert result.response.content.startswith("There is no bank called `nope`")
    simcord.assert_error(world.env, UnknownBank)


async def test_download_returns_the_yaml_and_its_article(world: World) -> None:
    """Download gives back the uploaded YAML byte for byte, with its article; any version can be had."""
    first = bank_yaml()
    await upload(world.mod, world, "extra.yaml", first)
    await upload(world.mod, world, "extra-v2.yaml", bank_yaml(title="Second"))
    result = await world.mod.slash(world.channel, "quiz bank download", bank=EXTRA, version=1)
    text, files = answer_of(result)
    assert text == f"`{EXTRA}` version 1, with its article."
    by_name = {f.filename: read(world, f) for f in files}
    assert by_name["extra.yaml"].decode() == first
    assert by_name["south-caucasus-russia.txt"] == (QUESTIONS / "south-caucasus-russia.txt").read_bytes()
    latest = answer_of(await world.mod.slash(world.channel, "quiz bank download", bank=EXTRA))
    assert [f.filename for f in latest[1]] == ["extra-v2.yaml", "south-caucasus-russia.txt"]
    missing = await say(world.mod, world, "download", bank=EXTRA, version=9)
    assert missing == f"`{EXTRA}` has no version 9: `/quiz bank history` lists them."
    simcord.assert_error(world.env, NoSuchVersion)

    shipped = answer_of(await world.mod.slash(world.channel, "quiz bank download", bank=BANK))
    [file] = shipped[1]
    assert read(world, file) == (world.bot.settings.banks_dir / SHIPPED_FILE).read_bytes()


async def test_delete_removes_every_version(world: World) -> None:
    """Deleting an uploaded bank removes it and its versions; a shipped bank cannot be deleted."""
    await upload(world.mod, world, "extra.yaml", bank_yaml())
    await upload(world.mod, world, "extra.yaml", bank_yaml())
    assert (
        await say(world.mod, world, "delete", bank=EXTRA)
        == "Deleted *More on the South Caucasus* and its 2 version(s)."
    )
    assert await versions(world) == []
    assert not world.bot.library.knows(EXTRA, world.guild.id)
    refused = await say(world.mod, world, "delete", bank=BANK)
    assert refused.startswith(f"`{BANK}` ships with the bot and cannot be deleted")
    simcord.assert_error(world.env, ShippedNotDeletable)
    assert world.bot.library.knows(BANK, world.guild.id)
    # A new upload with the same id starts again at version 1.
    assert answer_of(await upload(world.mod, world, "extra.yaml", bank_yaml()))[0].startswith(
        "Stored *More on the South Caucasus* as version 1"
    )


async def test_reload_keeps_the_last_good_version(world: World) -> None:
    """A shipped file that breaks keeps its previous version live and its problems are reported; a fix goes live."""
    path = world.bot.settings.banks_dir / SHIPPED_FILE
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title: Russia and the South Caucasus", "title: [unclosed"), encoding="utf-8")

    text = await say(world.mod, world, "reload")
    assert text.startswith(
        f"Reloaded the shipped banks: 0 loaded from their files. Broken files kept their previous good version "
        f"live: `{BANK}`. 1 problem(s):\n```\n{path}:"
    )
    assert world.bot.library.get(BANK).title == "Russia and the South Caucasus"
    assert len(world.bot.library.get(BANK).questions) == 55
    started = await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=1, seconds=30)
    assert announcement(started).startswith("🎯")
    await world.mod.slash(world.channel, "quiz stop")

    path.write_text(good.replace("title: Russia and the South Caucasus", "title: Russia, mended"), encoding="utf-8")
    assert await say(world.mod, world, "reload") == "Reloaded the shipped banks: 1 loaded from their files."
    assert world.bot.library.get(BANK).title == "Russia, mended"

    (path.parent / "new.yaml").write_text("id: new\n", encoding="utf-8")
    text = await say(world.mod, world, "reload")
    assert text.startswith("Reloaded the shipped banks: 1 loaded from their files. ")
    assert f"{path.parent / 'new.yaml'}:" in text
    assert not world.bot.library.knows("new")

    path.unlink()
    (path.parent / "new.yaml").unlink()
    assert await say(world.mod, world, "reload") == (
        f"Reloaded the shipped banks: 0 loaded from their files. No longer in the folder: `{BANK}`."
    )
    assert not world.bot.library.knows(BANK)


async def test_reload_reports_files_that_cannot_be_read(world: World) -> None:
    """A symlink loop, a FIFO and a path out of the folder are each their file's problem; the good bank stays."""
    folder = world.bot.settings.banks_dir
    good = (folder / SHIPPED_FILE).read_text(encoding="utf-8")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "looping.yaml").write_text(
        good.replace(f"id: {BANK}", "id: looping").replace("path: south-caucasus-russia.txt", "path: loop.txt")
    )
    (folder / "escaping.yaml").write_text(
        good.replace(f"id: {BANK}", "id: escaping").replace(
            "path: south-caucasus-russia.txt", "path: ../../../../etc/passwd"
        )
    )
    os.mkfifo(folder / "pipe.yaml")

    text = await say(world.mod, world, "reload")
    assert text.startswith("Reloaded the shipped banks: 1 loaded from their files. 3 problem(s):")
    assert "source.path: 'loop.txt' cannot be followed: it is a symbolic link loop" in text
    assert "source.path: '../../../../etc/passwd' is outside the bank file's folder" in text
    assert "pipe.yaml: the file is not a regular file" in text
    assert "root:" not in text
    assert world.bot.library.knows(BANK)


async def test_sighup_reloads_the_shipped_banks(world: World) -> None:
    """The bot writes its pid file and re-reads the shipped folder when it gets SIGHUP."""
    pid_path = world.bot.settings.data_dir / PID_FILE
    # The runner listens while the bot runs (bot.runner._run); simcord starts the bot without it.
    with reload_on_sighup(world.bot):
        assert pid_path.read_text(encoding="utf-8").strip() == str(os.getpid())
        if not hasattr(signal, "SIGHUP") or signal.getsignal(signal.SIGHUP) in (signal.SIG_DFL, None):
            pytest.skip("no SIGHUP handler on this platform")
        path = world.bot.settings.banks_dir / SHIPPED_FILE
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: Russia and the South Caucasus", "title: Signalled"), encoding="utf-8")
        os.kill(os.getpid(), signal.SIGHUP)
        # The folder is read in the bank worker's child process, off the loop: wait for it (wall clock).
        deadline = time.monotonic() + 30
        while world.bot.library.get(BANK).title != "Signalled" and time.monotonic() < deadline:
            await asyncio.sleep(0)
        assert world.bot.library.get(BANK).title == "Signalled"
    assert not pid_path.exists()


async def test_stats_show_each_question(world: World) -> None:
    """After a round, stats give the question's asks, share right, favourite wrong choice; unplayed ones are empty."""
    await upload(world.mod, world, "extra.yaml", bank_yaml(passages=PASSAGES[:1]))
    await world.mod.slash(world.channel, "quiz start", bank=EXTRA, questions=1, seconds=30)
    message, qid, right = open_question(world)
    live = world.bot.rounds.in_channel(world.channel.id)
    assert live is not None and live.engine.current is not None
    played = live.engine.current.played
    wrong_text = played.question.choices[played.order[wrong(right)]]
    await click(world.alice, message, qid, right)
    await click(world.bob, message, qid, wrong(right))
    await click(world.carol, message, qid, wrong(right))
    await world.env.advance_time(30)

    result = await world.mod.slash(world.channel, "quiz bank stats", bank=EXTRA)
    embed = result.response.embeds[0]
    assert embed.title == "Analytics: More on the South Caucasus"
    [field] = embed.fields
    assert field.name == "q1"
    lines = (field.value or "").splitlines()
    assert lines[0] == "Where is Putin losing friends? (1)"
    assert lines[1] == "Asked 1 · 33% right (1/3) · 0.0 s on average"
    assert lines[2] == f"Most-picked wrong: **{wrong_text}** (2)"


# Every author-only subcommand, with valid options.
AUTHOR_COMMANDS: list[tuple[str, Callable[[World], dict[str, Any]]]] = [
    ("upload", lambda w: {"file": ("extra.yaml", bank_yaml().encode())}),
    ("disable", lambda w: {"bank": BANK}),
    ("enable", lambda w: {"bank": BANK}),
    ("delete", lambda w: {"bank": BANK}),
    ("download", lambda w: {"bank": BANK}),
    ("stats", lambda w: {"bank": BANK}),
    ("reports", lambda w: {"bank": BANK}),  # joined to /quiz bank by the reports feature
]
MODERATOR_COMMANDS = ["reload"]
PUBLIC_COMMANDS = ["list", "show", "history"]


def test_every_subcommand_has_a_known_audience(world: World) -> None:
    """Each /quiz bank subcommand is in the refusal tables or meant for everyone, so none skips its check."""
    group = world.bot.quiz_group.get_command(GROUP_NAME)
    assert group is not None
    names = {command.name for command in group.commands}  # type: ignore[union-attr]
    assert names == {name for name, _ in AUTHOR_COMMANDS} | set(MODERATOR_COMMANDS) | set(PUBLIC_COMMANDS)


@pytest.mark.parametrize(("command", "options"), AUTHOR_COMMANDS, ids=[name for name, _ in AUTHOR_COMMANDS])
async def test_plain_member_is_refused_author_commands(
    world: World, command: str, options: Callable[[World], dict[str, Any]]
) -> None:
    """A member without Manage Server or the author role is refused, and nothing changes."""
    result = await world.alice.slash(world.channel, f"quiz bank {command}", **options(world))
    assert result.response.content == "Only bank authors can do that: you need the **Manage Server** permission."
    simcord.assert_error(world.env, NotAuthor)
    assert await versions(world) == []
    assert not world.bot.library.is_disabled(BANK, world.guild.id)
    assert world.bot.library.knows(BANK, world.guild.id)


async def test_a_moderator_role_member_is_not_an_author(world: World) -> None:
    """The moderator role alone does not let a member manage banks; the author role does."""
    mods = world.guild.create_role("Quizmasters")
    authors = world.guild.create_role("Authors")
    dave = world.guild.add_member(world.env.create_user("dave"), roles=[mods])
    erin = world.guild.add_member(world.env.create_user("erin"), roles=[authors])
    await world.mod.slash(world.channel, "quiz settings moderator-role", role=mods)
    await world.mod.slash(world.channel, "quiz settings author-role", role=authors)
    refused = await world.alice.slash(world.channel, "quiz bank disable", bank=BANK)
    assert refused.response.content.startswith("Only bank authors can do that")
    simcord.assert_error(world.env, NotAuthor)
    assert (await dave.slash(world.channel, "quiz bank disable", bank=BANK)).response.content == (
        f"Only bank authors can do that: you need **Manage Server** or the <@&{authors.id}> role."
    )
    simcord.assert_error(world.env, NotAuthor)
    assert (await say(erin, world, "disable", bank=BANK)).startswith("*Russia and the South Caucasus* is switched off")
    # Reload is for moderators: the moderator role suffices, the author role does not.
    assert (await say(dave, world, "reload")).startswith("Reloaded the shipped banks")
    refused = await erin.slash(world.channel, "quiz bank reload")
    assert refused.response.content.startswith("Only moderators can do that")
    simcord.assert_error(world.env, NotModerator)


async def test_plain_member_may_not_reload(world: World) -> None:
    """Reload is for moderators."""
    result = await world.alice.slash(world.channel, "quiz bank reload")
    assert result.response.content.startswith("Only moderators can do that")
    simcord.assert_error(world.env, NotModerator)


async def test_history_names_uploaders_in_plain_text(world: World) -> None:
    """An uploader shows as their escaped display name, never a mention; one who left shows as their id."""
    authors = world.guild.create_role("Bankers", permissions=discord.Permissions(manage_guild=True))
    spoofer = world.guild.add_member(
        world.env.create_user("spoofer", global_name=f"<@{world.mod.id}> **boss**"), roles=[authors]
    )
    leaver = world.guild.add_member(world.env.create_user("leaver"), roles=[authors])
    await upload(spoofer, world, "extra.yaml", bank_yaml())
    await upload(leaver, world, "extra.yaml", bank_yaml())
    world.guild.remove_member(leaver)

    result = await world.alice.slash(world.channel, "quiz bank history", bank=EXTRA)
    rows = (result.response.embeds[0].description or "").splitlines()
    assert f" · user {leaver.id} · " in rows[0]
    assert "\\*\\*boss\\*\\*" in rows[1]
    assert not any("<@" in row and "<@\u200b" not in row for row in rows)
    assert f"<@{world.mod.id}>" not in "\n".join(rows)


async def test_show_gives_the_sources_licence_and_link(world: World) -> None:
    """``/quiz bank show`` lists the source's licence and link under its title and author."""
    text = bank_yaml().replace("  path: ", "  licence: CC BY 4.0\n  url: https://example.org/a_b\n  path: ", 1)
    await upload(world.mod, world, "extra.yaml", text)
    shown = (await world.alice.slash(world.channel, "quiz bank show", bank=EXTRA)).response.embeds[0]
    source = {field.name: field.value for field in shown.fields}["Source"] or ""
    assert source.splitlines() == [
        "*Article for The Conversation on Russia, Armenia and Azerbaijan* by Anna Matveeva",
        "Licence: CC BY 4.0",
        "<https://example.org/a_b>",
    ]
    shipped = (await world.alice.slash(world.channel, "quiz bank show", bank=BANK)).response.embeds[0]
    assert "Licence: CC BY-ND 4.0" in ({field.name: field.value for field in shipped.fields}["Source"] or "")
