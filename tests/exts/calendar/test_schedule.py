"""``/quiz schedule``: rounds start on time in the guild's zone, exactly once, across restarts and broken channels."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
import simcord
from sqlalchemy import event, func, select, update

from bot.client import QuizBot
from bot.db import repos
from bot.db.models import RoundRow, ScheduleRow
from bot.db.repos import StoredSchedule
from bot.exts._common.checks import NotModerator
from bot.exts.calendar import GROUP_NAME
from bot.schedules import ScheduleError
from tests.exts.conftest import BANK, World

ROUND = {"bank": BANK, "questions": 1, "seconds": 30}
QUIZ_TIME = "🎯 **Quiz time!**"
MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
NOT_A_MODERATOR = "Only moderators can do that"


def stamp(instant: datetime) -> str:
    """A Discord full-date timestamp, as the bot writes it."""
    return f"<t:{int(instant.timestamp())}:F>"


def stamps(content: str) -> list[datetime]:
    """The instants of the full-date timestamps in a message, in order."""
    return [datetime.fromtimestamp(int(s), UTC) for s in re.findall(r"<t:(\d+):F>", content)]


def dispatcher(world: World) -> Any:
    """The running bot's schedule dispatcher."""
    # Closing a bot unloads its extensions and drops their modules, so each bot has its own
    # Dispatcher class: compare by name, and build more dispatchers from the bot's own class.
    found = getattr(world.bot.get_cog("Calendar"), "dispatcher", None)
    assert type(found).__name__ == "Dispatcher"
    return found


def second_dispatcher(world: World) -> Any:
    """Another dispatcher on the same database, as a second bot process would run."""
    return type(dispatcher(world))(world.bot)


async def add(world: World, member: Any = None, channel: Any = None, **options: Any) -> str:
    """Run ``/quiz schedule add`` and return the ephemeral reply."""
    result = await (member or world.mod).slash(channel or world.channel, "quiz schedule add", **options)
    assert result.ephemeral and result.response is not None
    return result.response.content


async def command(world: World, name: str, member: Any = None, **options: Any) -> simcord.InteractionResult:
    """Run another ``/quiz schedule`` subcommand in #quiz."""
    return await (member or world.mod).slash(world.channel, f"quiz schedule {name}", **options)


async def stored(world: World) -> list[StoredSchedule]:
    """The guild's schedules as the database has them."""
    async with world.bot.sessions.begin() as session:
        return await repos.guild_schedules(session, world.guild.id)


def posts(channel: Any) -> list[discord.Message]:
    """Every message in a channel, oldest first."""
    return channel.history()


def announcements(channel: Any) -> list[discord.Message]:
    """The round announcements in a channel."""
    return [m for m in posts(channel) if m.content.startswith(QUIZ_TIME)]


def message_posts(world: World) -> list[Any]:
    """Every channel message the bot posted through the REST API."""
    return [r for r in world.env.http_requests if r.method == "POST" and r.path.endswith("/messages")]


async def round_count(world: World) -> int:
    """How many rounds the database holds."""
    async with world.bot.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(RoundRow))).scalar_one())


async def restart(world: World, make_bot: Callable[[], QuizBot]) -> QuizBot:
    """Replace the bot with a fresh one on the same database, as a process restart would."""
    old = world.bot
    new = make_bot()
    await world.env.restart_bot(new)
    await old.close()
    return new


def die(world: World) -> None:
    """The process stops dispatching (it died); time can then pass before the restart."""
    task = dispatcher(world).task
    assert task is not None
    task.cancel()


async def test_one_off_round_with_reminder_ping(world: World) -> None:
    """A one-off 'in 2h' round: the reply shows its time, the reminder pings the chosen role, then it runs."""
    role = world.guild.create_role("Quizzers")
    due = world.env.now() + timedelta(hours=2)
    reply = await add(world, when="in 2h", ping=role, **ROUND)
    assert reply.startswith("🗓️ Schedule **#1** in <#")
    assert "once, 1 question from *Russia and the South Caucasus*, 30 s each." in reply
    assert f"A reminder goes out 10 min before each run, pinging <@&{role.id}>." in reply
    assert f"• {stamp(due)} (<t:{int(due.timestamp())}:R>)" in reply

    await world.env.advance_time(110 * MINUTE - 1)
    assert posts(world.channel) == []
    await world.env.advance_time(1)
    reminder = world.channel.last_message
    assert reminder.content.startswith(f"<@&{role.id}> ⏰ A quiz round starts here <t:{int(due.timestamp())}:R>")
    assert message_posts(world)[-1].json["allowed_mentions"] == {"parse": [], "roles": [role.id]}

    await world.env.advance_time(10 * MINUTE)
    announcement, question = posts(world.channel)[-2:]
    assert announcement.content.startswith(QUIZ_TIME) and announcement.created_at == due
    assert question.embeds[0].title == "Question 1/1"
    # The reminder is the only message that may ping; one-offs are gone once they ran.
    assert [r.json["allowed_mentions"] for r in message_posts(world)[1:]] == [{"parse": []}] * 2
    assert await stored(world) == []


async def test_reminder_without_a_role_pings_nobody(world: World) -> None:
    """Without a chosen role the reminder has no mention and every mention is disabled."""
    await add(world, when="in 30m", **ROUND)
    await world.env.advance_time(20 * MINUTE)
    assert world.channel.last_message.content.startswith("⏰ A quiz round starts here")
    assert message_posts(world)[-1].json["allowed_mentions"] == {"parse": []}


async def test_daily_runs_on_consecutive_days(world: World) -> None:
    """A daily 01:00 round runs at 01:00 two days running, and the list then shows the third day."""
    start = world.env.now().replace(hour=1)
    reply = await add(world, when="01:00", repeat="daily", **ROUND)
    assert "every day at 01:00 (UTC)" in reply
    assert stamps(reply) == [start, start + timedelta(days=1), start + timedelta(days=2)]

    await world.env.advance_time(HOUR)
    await world.env.advance_time(DAY)
    assert [m.created_at for m in announcements(world.channel)] == [start, start + timedelta(days=1)]
    (schedule,) = await stored(world)
    assert schedule.next_run_at == start + timedelta(days=2)
    assert schedule.last_outcome == "started"


async def test_weekly_on_chosen_days(world: World) -> None:
    """'weekly mon,wed' starting on a Thursday runs on the next Monday and Wednesday only."""
    assert world.env.now().weekday() == 3  # simcord's clock starts on Thursday 2026-01-01
    reply = await add(world, when="10:00", repeat="weekly mon,wed", **ROUND)
    assert "every Monday and Wednesday at 10:00 (UTC)" in reply
    monday = datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert stamps(reply) == [monday, monday + timedelta(days=2), monday + timedelta(days=7)]
    await world.env.advance_time(8 * DAY)
    assert [m.created_at for m in announcements(world.channel)] == [monday, monday + timedelta(days=2)]


async def test_plain_weekly_runs_on_the_weekday_of_when(world: World) -> None:
    """Plain 'weekly' repeats on the weekday of the first run."""
    reply = await add(world, when="friday 18:00", repeat="weekly", **ROUND)
    first = datetime(2026, 1, 2, 18, tzinfo=UTC)
    assert "every Friday at 18:00 (UTC)" in reply
    assert stamps(reply) == [first + timedelta(days=7 * n) for n in range(3)]


async def test_daily_round_keeps_its_local_time_across_daylight_saving(world: World) -> None:
    """In Europe/Berlin a daily 19:30 runs at 18:30Z before the spring change and 17:30Z after it."""
    await world.mod.slash(world.channel, "quiz settings timezone", zone="Europe/Berlin")
    reply = await add(world, when="2026-03-28 19:30", repeat="daily", **ROUND)
    assert "every day at 19:30 (Europe/Berlin)" in reply
    runs = [datetime(2026, 3, 28, 18, 30, tzinfo=UTC), datetime(2026, 3, 29, 17, 30, tzinfo=UTC)]
    assert stamps(reply) == [*runs, datetime(2026, 3, 30, 17, 30, tzinfo=UTC)]

    await world.env.advance_time((runs[1] - world.env.now()).total_seconds() + 1)
    assert [m.created_at for m in announcements(world.channel)] == runs
    reminders = [m for m in posts(world.channel) if m.content.startswith("⏰")]
    assert [m.created_at for m in reminders] == [run - timedelta(minutes=10) for run in runs]


async def test_restart_inside_the_grace_window_starts_the_missed_run(
    world: World, make_bot: Callable[[], QuizBot]
) -> None:
    """A run missed while the bot was down starts at start-up if it is at most the grace window late."""
    await add(world, when="in 1h", repeat="daily", **ROUND)
    die(world)
    await world.env.advance_time(70 * MINUTE)
    assert posts(world.channel) == []

    await restart(world, make_bot)
    (announcement,) = announcements(world.channel)
    assert announcement.created_at == world.env.now()
    assert world.channel.last_message.embeds[0].title == "Question 1/1"
    (schedule,) = await stored(world)
    assert schedule.next_run_at == datetime(2026, 1, 2, 1, tzinfo=UTC)


async def test_restart_outside_the_grace_window_reports_missed_runs(
    world: World, make_bot: Callable[[], QuizBot]
) -> None:
    """Runs missed by more than the grace window are reported once, and the schedule moves to its next run."""
    await add(world, when="in 1h", repeat="daily", **ROUND)
    die(world)
    await world.env.advance_time(2 * DAY + 2 * HOUR)  # 01:00 on three days went by; now 02:00 on day 3

    await restart(world, make_bot)
    assert announcements(world.channel) == []
    (notice,) = posts(world.channel)
    last_missed = datetime(2026, 1, 3, 1, tzinfo=UTC)
    following = datetime(2026, 1, 4, 1, tzinfo=UTC)
    assert notice.content == (
        f"⏰ The quiz round scheduled for {stamp(last_missed)} was missed while the bot was offline (3 runs in all). "
        f"Next run: {stamp(following)} (<t:{int(following.timestamp())}:R>)."
    )
    (schedule,) = await stored(world)
    assert (schedule.next_run_at, schedule.last_outcome) == (following, "missed")
    listed = await command(world, "list")
    assert "Last: missed" in (listed.response.embeds[0].fields[0].value or "")

    await world.env.advance_time(DAY)
    assert len(announcements(world.channel)) == 1  # and the schedule carries on


async def test_only_the_latest_missed_run_starts(world: World, make_bot: Callable[[], QuizBot]) -> None:
    """After downtime across several runs, the latest one (inside the grace window) starts; earlier ones are counted."""
    await world.mod.slash(world.channel, "quiz settings reminder", minutes=0)
    await add(world, when="in 10m", repeat="*/10 * * * *", **ROUND)
    die(world)
    await world.env.advance_time(25 * MINUTE)  # runs at 00:10 and 00:20 went by; now 00:25
    await restart(world, make_bot)
    latest = datetime(2026, 1, 1, 0, 20, tzinfo=UTC)
    notice, announcement = posts(world.channel)[:2]
    assert notice.content == (
        f"⏰ 1 earlier scheduled run went by while the bot was offline; starting the one due "
        f"<t:{int(latest.timestamp())}:t> now."
    )
    assert announcement.content.startswith(QUIZ_TIME)
    assert await round_count(world) == 1
    (schedule,) = await stored(world)
    assert schedule.next_run_at == datetime(2026, 1, 1, 0, 30, tzinfo=UTC)


async def test_grace_window_is_a_setting(world: World, make_bot: Callable[[], QuizBot]) -> None:
    """With a 3-hour grace window, a run 2 hours late still starts after a restart."""
    await world.mod.slash(world.channel, "quiz settings grace", minutes=180)
    await add(world, when="in 1h", **ROUND)
    die(world)
    await world.env.advance_time(3 * HOUR)
    await restart(world, make_bot)
    assert len(announcements(world.channel)) == 1


@pytest.mark.parametrize("action", ["pause", "remove"])
async def test_pause_or_remove_before_the_run(world: World, action: str) -> None:
    """A schedule paused or removed after its reminder went out does not run."""
    await add(world, when="in 1h", **ROUND)
    await world.env.advance_time(55 * MINUTE)
    assert world.channel.last_message.content.startswith("⏰")
    result = await command(world, action, schedule=1)
    assert result.ephemeral and result.response.content.startswith("Schedule **#1** is ")
    await world.env.advance_time(HOUR)
    assert announcements(world.channel) == []
    assert await round_count(world) == 0


@pytest.mark.parametrize("action", ["pause", "remove"])
async def test_pause_or_remove_between_reading_and_claiming_a_due_run(world: World, action: str) -> None:
    """A dispatcher that read a due run before a moderator paused or removed it does not start it."""
    await add(world, when="in 1h", **ROUND)
    due = world.env.now() + timedelta(hours=1)
    stale = await second_dispatcher(world).find_due(due)
    assert [s.id for s in stale] == [1]
    await command(world, action, schedule=1)
    await second_dispatcher(world).handle(stale, due)
    await world.env.advance_time(2 * HOUR)
    assert announcements(world.channel) == []
    assert await round_count(world) == 0


async def test_two_dispatchers_claim_a_due_run_once(world: World) -> None:
    """Two dispatchers over one database both see a due run; only the first claim starts a round."""
    await add(world, when="in 1h", repeat="daily", **ROUND)
    due = world.env.now() + timedelta(hours=1)
    other = second_dispatcher(world)  # a second process's dispatcher, on the same database
    seen = await other.find_due(due)
    assert [s.next_run_at for s in seen] == [due]

    await world.env.advance_time(HOUR)  # this process's dispatcher claims and starts it
    await other.handle(seen, due)  # the other one acts on what it read: its claim matches nothing
    await world.env.advance_time(MINUTE)

    assert len(announcements(world.channel)) == 1
    assert not any("Skipped" in m.content for m in posts(world.channel))
    assert await round_count(world) == 1


async def test_busy_channel_skips_the_run_with_a_notice(world: World) -> None:
    """When a round is still running at the due time, the scheduled run is skipped and the channel is told."""
    await add(world, when="in 1h", repeat="daily", **ROUND)
    await world.env.advance_time(58 * MINUTE)
    await world.mod.slash(world.channel, "quiz start", bank=BANK, questions=2, seconds=120)
    await world.env.advance_time(2 * MINUTE)

    due = datetime(2026, 1, 1, 1, tzinfo=UTC)
    following = due + timedelta(days=1)
    (notice,) = [m for m in posts(world.channel) if m.content.startswith("⏭️")]
    assert notice.created_at == due
    assert notice.content == (
        f"⏭️ Skipped the quiz round scheduled for <t:{int(due.timestamp())}:t>: a round was still running in this "
        f"channel. Next run: {stamp(following)} (<t:{int(following.timestamp())}:R>)."
    )
    assert await round_count(world) == 1
    (schedule,) = await stored(world)
    assert (schedule.next_run_at, schedule.last_outcome, schedule.paused) == (following, "skipped", False)


async def test_deleted_channel_pauses_and_tells_the_creator(world: World) -> None:
    """If the channel is gone at run time the schedule pauses; without a system channel its creator gets a DM."""
    await add(world, channel=world.other_channel, when="in 1h", repeat="daily", **ROUND)
    channel = world.bot.get_channel(world.other_channel.id)
    assert isinstance(channel, discord.TextChannel)
    await channel.delete()
    await world.env.advance_time(HOUR)

    (schedule,) = await stored(world)
    assert schedule.paused
    assert schedule.pause_reason == "its channel was deleted, or I can no longer see it"
    (dm,) = world.mod.user.dm_channel.history()
    assert dm.content.startswith("⏸️ Quiz schedule **#1** (every day at 01:00 (UTC) in <#")
    assert "is paused: its channel was deleted, or I can no longer see it." in dm.content
    listed = await command(world, "list")
    assert "⏸️ Paused: its channel was deleted" in (listed.response.embeds[0].fields[0].value or "")
    await world.env.advance_time(DAY)
    assert await round_count(world) == 0


async def test_lost_permission_pauses_and_tells_the_system_channel(world: World) -> None:
    """Without Send Messages at run time the schedule pauses, and the server's system channel says why."""
    await add(world, channel=world.other_channel, when="in 1h", **ROUND)
    guild = world.bot.get_guild(world.guild.id)
    assert guild is not None
    system = guild.get_channel(world.channel.id)
    assert isinstance(system, discord.TextChannel)
    await guild.edit(system_channel=system)
    target = guild.get_channel(world.other_channel.id)
    assert isinstance(target, discord.TextChannel)
    await target.set_permissions(guild.me, send_messages=False)
    await world.env.advance_time(HOUR)

    notice = world.channel.last_message
    assert notice.content.startswith("⏸️ Quiz schedule **#1** (once in <#")
    assert f"is paused: I need **Send Messages**, **Embed Links** in <#{target.id}>." in notice.content
    assert world.mod.user.dm_channel.history() == []
    (schedule,) = await stored(world)
    assert schedule.paused and schedule.last_outcome == "paused"

    await target.set_permissions(guild.me, overwrite=None)
    resumed = await command(world, "resume", schedule=1)
    assert (
        resumed.response.content
        == "Schedule **#1** has no runs left: remove it and add a new one with `/quiz schedule add`."
    )


async def test_a_schedule_that_fails_to_run_is_paused(world: World) -> None:
    """A schedule whose rule no longer computes (say after a library upgrade) is paused, not retried forever."""
    await add(world, when="in 1h", repeat="daily", **ROUND)
    async with world.bot.sessions.begin() as session:
        await session.execute(update(ScheduleRow).values(repeat_rule="FREQ=BROKEN"))
    await world.env.advance_time(HOUR)
    (schedule,) = await stored(world)
    assert schedule.paused and schedule.pause_reason == "it failed to run (the bot's log says why)"
    assert announcements(world.channel) == []
    assert "is paused: it failed to run" in world.mod.user.dm_channel.history()[-1].content


async def test_pause_resume_and_skip_next(world: World) -> None:
    """Skip-next moves past one run; a paused schedule resumes from its next run after now."""
    await add(world, when="01:00", repeat="daily", **ROUND)
    first = datetime(2026, 1, 1, 1, tzinfo=UTC)
    skipped = await command(world, "skip-next", schedule=1)
    assert skipped.response.content.startswith(f"Skipped the run of {stamp(first)} of **#1**. Next run: ")
    await world.env.advance_time(2 * HOUR)
    assert announcements(world.channel) == []

    paused = await command(world, "pause", schedule=1)
    assert paused.response.content.startswith("Schedule **#1** is paused.")
    assert (await command(world, "pause", schedule=1)).response.content == "Schedule **#1** is already paused."
    await world.env.advance_time(3 * DAY)
    assert announcements(world.channel) == []

    resumed = await command(world, "resume", schedule=1)
    following = datetime(2026, 1, 5, 1, tzinfo=UTC)
    assert resumed.response.content.startswith(f"Schedule **#1** runs again. Next run: {stamp(following)}")
    await world.env.advance_time(DAY)
    assert [m.created_at for m in announcements(world.channel)] == [following]


async def test_unknown_schedule_numbers(world: World) -> None:
    """Commands on a schedule number the server does not have say so."""
    for name in ("remove", "pause", "resume", "skip-next"):
        result = await command(world, name, schedule=42)
        assert result.response.content == "There is no schedule #42 in this server. `/quiz schedule list` shows them."


async def test_list_and_autocomplete(world: World) -> None:
    """The list shows each schedule with its rule, channel and next run; autocomplete offers them by number."""
    empty = await command(world, "list")
    assert "No schedules yet" in (empty.response.embeds[0].description or "")
    await add(world, when="19:30", repeat="daily", **ROUND)
    await add(world, channel=world.other_channel, when="tomorrow 08:00", repeat="30 8 * * 1-5")
    listed = (await command(world, "list")).response.embeds[0]
    assert (listed.description or "").startswith("Server time zone: **UTC** · reminders **10 min** before")
    names = [f.name for f in listed.fields]
    assert names == ["#1 · every day at 19:30 (UTC)", "#2 · cron `30 8 * * 1-5` (UTC)"]
    assert f"Next: {stamp(datetime(2026, 1, 1, 19, 30, tzinfo=UTC))}" in (listed.fields[0].value or "")
    assert "from all banks" in (listed.fields[1].value or "")

    choices = await world.mod.autocomplete(world.channel, "quiz schedule remove", "schedule", "quiz-2")
    assert choices == [{"name": "#2 · cron `30 8 * * 1-5` (UTC) · #quiz-2", "value": 2}]


async def test_repeat_autocomplete_offers_examples(world: World) -> None:
    """The repeat option suggests working rules, keeping what the moderator typed first."""
    choices = await world.mod.autocomplete(world.channel, "quiz schedule add", "repeat", "week", when="19:30")
    assert [c["value"] for c in choices] == [
        "week",
        "weekly",
        "weekly mon,wed,fri",
        "30 19 * * 1-5",
        "FREQ=WEEKLY;BYDAY=SA;BYHOUR=20;BYMINUTE=0",
    ]


WHEN_EXAMPLE = "`2026-12-01 19:30`, `19:30`, `tomorrow 18:00`, `friday 19:30` or `in 2h`"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"when": "next week"}, f"I can't read `next week` as a time. Try {WHEN_EXAMPLE}."),
        (
            {"when": "25:00"},
            "`25:00` is not a time of day: hours go from 0 to 23 and minutes from 0 to 59, as in `19:30`.",
        ),
        ({"when": "2026-02-30 19:30"}, "is not a date on the calendar: write it as `2026-12-01 19:30`"),
        ({"when": "2025-12-01 19:30"}, "has already passed in UTC: pick a later time, for example `tomorrow 18:00`"),
        ({"when": "in 0m"}, "`in` needs at least a minute, for example `in 2h`"),
        ({"when": "today 7pm"}, "as a time of day: write it as `19:30` (24-hour clock)."),
        ({"when": "in 2h", "repeat": "fortnightly"}, "I can't read `fortnightly` as a repeat. Use `none`, `daily`"),
        ({"when": "in 2h", "repeat": "weekly mon,fun"}, "Write the days like this: `weekly mon,wed,fri`."),
        ({"when": "in 2h", "repeat": "FREQ=SOMETIMES"}, "For example `FREQ=WEEKLY;BYDAY=SA;BYHOUR=20;BYMINUTE=0`."),
        ({"when": "in 2h", "repeat": "61 19 * * *"}, "for example `30 19 * * 1-5` for 19:30 on weekdays."),
        ({"when": "in 2h", "repeat": "*/5 * * * *"}, "Runs must be at least 10 minutes apart, for example `daily`."),
    ],
    ids=["form", "clock", "date", "past", "zero", "12h", "repeat", "day", "rrule", "cron", "too-often"],
)
async def test_unreadable_input_is_refused_with_an_example(
    world: World, options: dict[str, str], expected: str
) -> None:
    """Each kind of bad input gets an error that shows a form that works, and nothing is stored."""
    reply = await add(world, **options)
    assert expected in reply
    simcord.assert_error(world.env, ScheduleError)  # raised by the command, worded by the tree's handler
    assert await stored(world) == []


async def test_everyone_cannot_be_pinged(world: World) -> None:
    """@everyone is refused as the reminder's role: the bot never pings everyone."""
    reply = await add(world, when="in 2h", ping=world.guild.default_role)
    assert reply.startswith("I won't ping @everyone")
    assert await stored(world) == []


Options = Callable[[World], dict[str, Any]]
MODERATOR_COMMANDS: list[tuple[str, Options]] = [
    ("add", lambda w: {"when": "in 2h"}),
    ("list", lambda w: {}),
    ("remove", lambda w: {"schedule": 1}),
    ("pause", lambda w: {"schedule": 1}),
    ("resume", lambda w: {"schedule": 1}),
    ("skip-next", lambda w: {"schedule": 1}),
]


def test_every_schedule_command_is_in_the_refusal_table(world: World) -> None:
    """Every /quiz schedule subcommand is moderators-only and in the refusal test below."""
    group = world.bot.quiz_group.get_command(GROUP_NAME)
    assert isinstance(group, discord.app_commands.Group)
    assert {c.name for c in group.commands} == {name for name, _ in MODERATOR_COMMANDS}


@pytest.mark.parametrize(("name", "options"), MODERATOR_COMMANDS, ids=[name for name, _ in MODERATOR_COMMANDS])
async def test_plain_member_is_refused(world: World, name: str, options: Options) -> None:
    """A plain member can neither see nor change schedules."""
    await add(world, when="in 2h", repeat="daily", **ROUND)
    before = await stored(world)
    result = await command(world, name, member=world.alice, **options(world))
    assert result.ephemeral and result.response.content.startswith(NOT_A_MODERATOR)
    simcord.assert_error(world.env, NotModerator)
    assert await stored(world) == before


async def test_timezone_setting_with_autocomplete(world: World) -> None:
    """Moderators pick the zone from suggestions; an unknown name is refused with an example."""
    choices = await world.mod.autocomplete(world.channel, "quiz settings timezone", "zone", "berl")
    assert {"name": "Europe/Berlin", "value": "Europe/Berlin"} in choices
    assert len(await world.mod.autocomplete(world.channel, "quiz settings timezone", "zone", "")) == 25

    bad = await world.mod.slash(world.channel, "quiz settings timezone", zone="Mars/Olympus")
    assert bad.response.content.startswith("`Mars/Olympus` is not a time zone I know. Use an IANA name such as")
    good = await world.mod.slash(world.channel, "quiz settings timezone", zone="America/New_York")
    assert good.response.content.startswith("The server's time zone is now **America/New_York** (it is 19:00 there).")

    reply = await add(world, when="19:30", repeat="daily", **ROUND)
    assert stamps(reply)[0] == datetime(2026, 1, 1, 0, 30, tzinfo=UTC)  # 19:30 EST on New Year's Eve
    # Changing the zone later leaves existing schedules in the zone they were made in.
    await world.mod.slash(world.channel, "quiz settings timezone", zone="Asia/Tokyo")
    (schedule,) = await stored(world)
    assert schedule.timezone == "America/New_York"


async def test_reminder_setting_moves_pending_reminders(world: World) -> None:
    """A new reminder lead time applies to reminders not sent yet; 0 turns reminders off."""
    await add(world, when="in 2h", repeat="daily", **ROUND)
    reply = await world.mod.slash(world.channel, "quiz settings reminder", minutes=30)
    assert reply.response.content == "Scheduled rounds now send a reminder 30 min before they start."
    await world.env.advance_time(90 * MINUTE)
    assert world.channel.last_message.created_at == datetime(2026, 1, 1, 1, 30, tzinfo=UTC)

    await world.mod.slash(world.channel, "quiz settings reminder", minutes=0)
    await world.env.advance_time(DAY + HOUR)
    assert not any(m.content.startswith("⏰") and m.created_at.day == 2 for m in posts(world.channel))
    assert len(announcements(world.channel)) == 2


async def test_unloading_cancels_the_dispatcher(world: World) -> None:
    """Unloading the extension cancels the dispatcher task and removes the group; loading brings both back."""
    await add(world, when="in 2h", **ROUND)
    task = dispatcher(world).task
    assert task is not None and not task.done()
    await world.bot.unload_extension("bot.exts.calendar")
    assert task.cancelled()
    assert world.bot.quiz_group.get_command(GROUP_NAME) is None
    await world.bot.load_extension("bot.exts.calendar")
    # A reload from the test body runs outside simcord's bot scope; a command (as in real use) starts the
    # dispatcher inside it. The schedule made before the reload still runs.
    await add(world, channel=world.other_channel, when="in 3h", **ROUND)
    await world.env.advance_time(2 * HOUR)
    assert len(announcements(world.channel)) == 1


async def test_a_scheduled_start_takes_four_transactions(world: World) -> None:
    """From its due time to its announcement a scheduled start reads and writes in four transactions.

    Which are: the due schedules, the claim (with the guild's settings), the round's creation, and the
    dispatcher's read of the next due time. The round's own play is left out (its task is not started).
    """
    await add(world, when="in 1h", repeat="daily", **ROUND)
    rounds_feature = world.bot.get_cog("Play")
    assert rounds_feature is not None
    rounds_feature.conductor.launch = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    await world.env.advance_time(HOUR - 1)
    begun: list[object] = []

    def count(connection: object) -> None:
        begun.append(connection)

    engine = world.bot.sessions.kw["bind"].sync_engine
    event.listen(engine, "begin", count)
    try:
        await world.env.advance_time(MINUTE)
    finally:
        event.remove(engine, "begin", count)
    assert len(announcements(world.channel)) == 1
    assert len(begun) == 4


async def test_schedule_numbers_are_never_reused_in_a_server(world: World) -> None:
    """A removed schedule's number is not handed out again; each server counts its own from #1."""
    assert (await add(world, when="in 1h", **ROUND)).startswith("🗓️ Schedule **#1** ")
    assert (await add(world, when="in 2h", **ROUND)).startswith("🗓️ Schedule **#2** ")
    await command(world, "remove", schedule=2)
    assert (await add(world, when="in 3h", **ROUND)).startswith("🗓️ Schedule **#3** ")
    removed = await command(world, "pause", schedule=2)
    assert removed.response.content == "There is no schedule #2 in this server. `/quiz schedule list` shows them."
    assert (await command(world, "pause", schedule=3)).response.content.startswith("Schedule **#3** is paused.")

    other = world.env.create_guild("Other Guild")
    channel = other.create_text_channel("quiz")
    owner = other.add_member(
        world.env.create_user("owner"),
        roles=[other.create_role("Mods", permissions=discord.Permissions(manage_guild=True))],
    )
    assert (await add(world, member=owner, channel=channel, when="in 1h", **ROUND)).startswith("🗓️ Schedule **#1** ")


async def test_the_list_after_a_one_off_ran_does_not_say_yet(world: World) -> None:
    """Once a one-off schedule has run and gone, the list no longer says "No schedules yet"."""
    await add(world, when="in 1h", **ROUND)
    await world.env.advance_time(HOUR + MINUTE)
    assert len(announcements(world.channel)) == 1
    listed = (await command(world, "list")).response.embeds[0].description or ""
    assert "No schedules yet" not in listed
    assert "No schedules now (one-off schedules end once they run): add one with `/quiz schedule add`." in listed
