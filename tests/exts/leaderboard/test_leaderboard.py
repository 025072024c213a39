"""``/quiz leaderboard``: paging, the caller's own rank, ties, names, the week and bank scopes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import simcord

from bot.banks.errors import UnknownBank
from bot.db import repos
from bot.exts._common.paging import NEXT_ID, PAGER_TIMEOUT, PREVIOUS_ID
from bot.exts.leaderboard import Board, board_embed
from bot.exts.leaderboard._commands import MISSING_BANK
from tests.exts.conftest import BANK, World
from tests.exts.scores import OTHER_BANK, name_players, other_bank_question, play, set_timezone

# Synthetic players, not guild members: the leaderboard reads only the store.
PLAYER_BASE = 900_000_000_000_000_000


def description(result: Any) -> str:
    """The description of the first embed of an interaction's response."""
    return result.response.embeds[0].description or ""


def table(result: Any) -> list[str]:
    """The table lines of a leaderboard response (everything above the blank line)."""
    return description(result).split("\n\n")[0].splitlines()


def buttons(result: Any) -> dict[str, bool]:
    """The response's buttons as ``{custom_id: disabled}``."""
    if not result.response.components:
        return {}
    return {b["custom_id"]: b.get("disabled", False) for b in result.response.components[0]["components"]}


def last_post_mentions(world: World) -> Any:
    """The allowed_mentions of the last interaction callback the bot sent."""
    posts = [r for r in world.env.http_requests if r.method == "POST" and r.path.endswith("/callback")]
    return posts[-1].json["data"]["allowed_mentions"]


async def arrange_twelve_and_alice(world: World) -> None:
    """Twelve named players with 1,200 down to 100 points, and alice last with 50."""
    bank = world.bot.library.get(BANK)
    points = {PLAYER_BASE + n: (12 - n) * 100 for n in range(12)}
    points[world.alice.id] = 50
    await play(world.bot, world.guild.id, bank.questions[0], points, at=world.env.now())
    await name_players(world.bot, world.guild.id, {PLAYER_BASE + n: f"player{n:02d}" for n in range(12)})
    await name_players(world.bot, world.guild.id, {world.alice.id: "alice"})


async def test_all_time_pages_with_the_caller_outside_the_top_ten(world: World) -> None:
    """Page 1 holds ten rows and the caller's rank below; ▶ shows the rest with the caller marked; ◀ goes back."""
    await arrange_twelve_and_alice(world)

    first = await world.alice.slash(world.channel, "quiz leaderboard")
    assert not first.ephemeral
    embed = first.response.embeds[0]
    assert embed.title == "Leaderboard · all time"
    rows = table(first)
    assert len(rows) == 10
    assert rows[0] == "`#1` player00 · 1,200 pts" and rows[9] == "`#10` player09 · 300 pts"
    assert description(first).endswith("\n\nYou: #13 · 50 pts")
    assert embed.footer.text == "Page 1/2 · 13 players"
    assert buttons(first) == {PREVIOUS_ID: True, NEXT_ID: False}
    assert last_post_mentions(world) == {"parse": []}

    second = await world.alice.click(first.response, custom_id=NEXT_ID)
    assert second.response.id == first.response.id
    assert table(second) == ["`#11` player10 · 200 pts", "`#12` player11 · 100 pts", "`#13` alice · 50 pts ◂ you"]
    assert second.response.embeds[0].footer.text == "Page 2/2 · 13 players"
    assert buttons(second) == {PREVIOUS_ID: False, NEXT_ID: True}

    back = await world.alice.click(first.response, custom_id=PREVIOUS_ID)
    assert table(back)[0] == "`#1` player00 · 1,200 pts"
    assert buttons(back) == {PREVIOUS_ID: True, NEXT_ID: False}


async def test_only_the_caller_can_turn_the_pages(world: World) -> None:
    """Another member's click gets an ephemeral pointer to the command and leaves the page as it was."""
    await arrange_twelve_and_alice(world)
    first = await world.alice.slash(world.channel, "quiz leaderboard")

    refused = await world.bob.click(first.response, custom_id=NEXT_ID)
    assert refused.ephemeral
    assert "Run `/quiz leaderboard` yourself" in (refused.response.content or "")
    message = world.channel.last_message
    assert message.id == first.response.id
    assert (message.embeds[0].footer.text or "").startswith("Page 1/2")


@pytest.mark.parametrize("clicks", [0, 1])
async def test_the_pager_times_out_and_disables_its_buttons(world: World, clicks: int) -> None:
    """After the view's timeout (counted from the last click) the message shows both buttons disabled."""
    await arrange_twelve_and_alice(world)
    first = await world.alice.slash(world.channel, "quiz leaderboard")
    for _ in range(clicks):
        await world.env.advance_time(PAGER_TIMEOUT - 10)
        await world.alice.click(first.response, custom_id=NEXT_ID)

    await world.env.advance_time(PAGER_TIMEOUT - 10)
    message = world.channel.last_message
    assert [b.disabled for b in message.components[0].children] == [clicks == 0, clicks == 1]
    await world.env.advance_time(11)
    message = world.channel.last_message
    assert message.id == first.response.id
    assert [b.disabled for b in message.components[0].children] == [True, True]
    assert (message.embeds[0].footer.text or "").startswith(f"Page {clicks + 1}/2")


async def test_ties_share_a_rank_and_one_page_has_no_buttons(world: World) -> None:
    """Equal points get equal ranks and the next rank skips; a single page comes without buttons."""
    bank = world.bot.library.get(BANK)
    points = {world.alice.id: 300, world.bob.id: 500, world.carol.id: 300, world.mod.id: 100}
    await play(world.bot, world.guild.id, bank.questions[0], points, at=world.env.now())
    await name_players(
        world.bot, world.guild.id, {world.alice.id: "alice", world.bob.id: "bob", world.carol.id: "carol"}
    )

    result = await world.carol.slash(world.channel, "quiz leaderboard")
    ranks = [line.split(" ")[0] for line in table(result)]
    assert ranks == ["`#1`", "`#2`", "`#2`", "`#4`"]
    assert description(result).endswith("You: #2 · 300 pts")
    assert buttons(result) == {}


async def test_names_are_escaped_and_unknown_players_are_not_pinged(world: World) -> None:
    """Markdown and mentions in stored names are neutralised; a player never named shows by id."""
    bank = world.bot.library.get(BANK)
    points = {world.alice.id: 300, world.bob.id: 200, world.carol.id: 100}
    await play(world.bot, world.guild.id, bank.questions[0], points, at=world.env.now())
    await name_players(world.bot, world.guild.id, {world.alice.id: "**al_ice**", world.bob.id: "@everyone"})

    result = await world.mod.slash(world.channel, "quiz leaderboard")
    rows = table(result)
    assert rows[0] == "`#1` \\*\\*al\\_ice\\*\\* · 300 pts"
    assert rows[1] == "`#2` @\u200beveryone · 200 pts"
    assert rows[2] == f"`#3` Unknown player ({world.carol.id}) · 100 pts"
    assert description(result).endswith("\n\nYou have no points yet.")
    assert last_post_mentions(world) == {"parse": []}


async def test_nobody_has_points_yet(world: World) -> None:
    """An empty board says so and invites a round."""
    result = await world.alice.slash(world.channel, "quiz leaderboard", scope="week")
    assert "Nobody has points this week yet" in description(result)
    assert description(result).endswith("You have no points yet this week.")


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        # 2026-01-01 is a Thursday; the week began on Monday 2025-12-29.
        ("UTC", ["`#1` bob · 20 pts"]),
        # In Berlin (UTC+1) that Monday began at 23:00 UTC on Sunday, so alice's late answer counts.
        ("Europe/Berlin", ["`#1` bob · 20 pts", "`#2` alice · 10 pts"]),
    ],
)
async def test_week_scope_starts_on_monday_in_the_guild_time_zone(world: World, zone: str, expected: list[str]) -> None:
    """Points from before Monday 00:00 local time are left out of the weekly board; all-time keeps them."""
    assert world.env.now() == datetime(2026, 1, 1, tzinfo=UTC)
    await set_timezone(world.bot, world.guild.id, zone)
    question = world.bot.library.get(BANK).questions[0]
    sunday_late = datetime(2025, 12, 28, 23, 0, tzinfo=UTC)
    await play(world.bot, world.guild.id, question, {world.carol.id: 1000}, at=sunday_late - timedelta(days=3))
    await play(world.bot, world.guild.id, question, {world.alice.id: 10}, at=sunday_late)
    await play(world.bot, world.guild.id, question, {world.bob.id: 20}, at=world.env.now() - timedelta(hours=1))
    await name_players(
        world.bot, world.guild.id, {world.alice.id: "alice", world.bob.id: "bob", world.carol.id: "carol"}
    )

    week = await world.carol.slash(world.channel, "quiz leaderboard", scope="week")
    assert week.response.embeds[0].title == "Leaderboard · this week"
    assert table(week) == expected
    assert description(week).endswith("You have no points yet this week.")
    assert (week.response.embeds[0].footer.text or "").endswith(f"week from Monday 00:00 {zone}")

    all_time = await world.carol.slash(world.channel, "quiz leaderboard", scope="all")
    assert table(all_time)[0] == "`#1` carol · 1,000 pts ◂ you"


async def test_bank_scope_counts_only_that_bank(world: World) -> None:
    """The per-bank board sums only answers to the chosen bank's questions."""
    question = world.bot.library.get(BANK).questions[0]
    await play(world.bot, world.guild.id, question, {world.alice.id: 100, world.bob.id: 50}, at=world.env.now())
    await play(world.bot, world.guild.id, other_bank_question(), {world.bob.id: 500}, at=world.env.now())
    await name_players(world.bot, world.guild.id, {world.alice.id: "alice", world.bob.id: "bob"})

    result = await world.bob.slash(world.channel, "quiz leaderboard", scope="bank", bank=BANK)
    assert result.response.embeds[0].title == "Leaderboard · Russia and the South Caucasus · all time"
    assert table(result) == ["`#1` alice · 100 pts", "`#2` bob · 50 pts ◂ you"]

    overall = await world.bob.slash(world.channel, "quiz leaderboard")
    assert table(overall)[0] == "`#1` bob · 550 pts ◂ you"
    assert OTHER_BANK not in world.bot.library


async def test_bank_scope_without_a_bank_is_refused(world: World) -> None:
    """Scope "One bank" with no bank gets an ephemeral explanation and no leaderboard."""
    result = await world.alice.slash(world.channel, "quiz leaderboard", scope="bank")
    assert result.ephemeral
    assert result.response.content == MISSING_BANK
    assert not result.response.embeds


async def test_an_unknown_bank_is_refused(world: World) -> None:
    """A bank id nobody loaded gets the tree's ephemeral "no bank called" reply."""
    result = await world.alice.slash(world.channel, "quiz leaderboard", bank="no-such-bank")
    assert result.ephemeral
    assert "There is no bank called `no-such-bank`" in (result.response.content or "")
    # The tree's on_error answered; simcord still records the error, so read it.
    simcord.assert_error(world.env, UnknownBank)


@pytest.mark.parametrize(
    ("typed", "found"),
    [("", [BANK]), ("caucasus", [BANK]), ("RUSSIA AND", [BANK]), ("zzz", [])],
)
async def test_bank_option_autocompletes_by_id_and_title(world: World, typed: str, found: list[str]) -> None:
    """The bank option suggests loaded banks whose id or title contains the text, ignoring case."""
    choices = await world.alice.autocomplete(world.channel, "quiz leaderboard", "bank", typed)
    assert [choice["value"] for choice in choices] == found


@pytest.mark.parametrize(
    ("board", "line"),
    [
        (Board(1, "all"), "You have no points yet."),
        (
            Board(1, "week", since=datetime(2026, 1, 1, tzinfo=UTC), zone_name="UTC"),
            "You have no points yet this week.",
        ),
        (Board(1, "bank", bank_id=BANK, bank_title="A bank"), "You have no points yet in this bank."),
    ],
)
def test_the_line_under_the_table_says_where_the_viewer_has_no_points(board: Board, line: str) -> None:
    """Without points, the viewer's line names the scope they have none in."""
    embed = board_embed(board, [], None, viewer_id=5, index=0, players=0)
    assert (embed.description or "").endswith("\n\n" + line)


def test_a_long_page_stays_within_the_embed_limits() -> None:
    """Ten rows of the longest escaped names fit the description with the viewer's line kept."""
    name = "_*" * 16  # 32 characters, every one escaped
    rows = [repos.LeaderboardRow(n, n, name, 10**12) for n in range(1, 11)]
    embed = board_embed(Board(1, "all"), rows, rows[0], viewer_id=1, index=0, players=10**6)
    assert len(embed) <= 6000 and len(embed.description or "") <= 4096
    assert (embed.description or "").endswith("You: #1 · 1,000,000,000,000 pts")
