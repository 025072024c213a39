"""``/quiz stats``: a player's record, and the tags they are strongest and weakest in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.banks.library import BankLibrary
from bot.db.repos import QuestionStat
from bot.exts.stats import TagRecord, strongest_and_weakest, tag_records
from bot.exts.stats._commands import NOT_ENOUGH
from tests.exts.conftest import BANK, World
from tests.exts.scores import OTHER_BANK, play


def fields(result: Any) -> dict[str, str]:
    """The response embed's fields by name."""
    return {field.name: field.value for field in result.response.embeds[0].fields}


async def arrange_alice(world: World) -> None:
    """alice: 12 one-question rounds, 6 right, 600 points; bob: one round with 1,000 points.

    By tag (each question has one): overview 3/3, soviet-era 2/3, diplomacy 0/3 are ranked;
    economy 1/1 and russia-azerbaijan 0/2 have too few answers.
    """
    bank = world.bot.library.get(BANK)
    plan = [
        ("losing-friends", [100, 100, 100]),  # overview
        ("soviet-favouritism", [100, 100, 0]),  # soviet-era
        ("mediator-role", [0, 0, 0]),  # diplomacy
        ("remittances", [100]),  # economy
        ("sputnik-raid", [0, 0]),  # russia-azerbaijan
    ]
    for question_id, earned in plan:
        for points in earned:
            await play(
                world.bot, world.guild.id, bank.question(question_id), {world.alice.id: points}, at=world.env.now()
            )
    await play(world.bot, world.guild.id, bank.questions[0], {world.bob.id: 1000}, at=world.env.now())


async def test_stats_of_yourself(world: World) -> None:
    """Points, rank, rounds, accuracy and streaks come from the store; ranked tags are split strong/weak."""
    await arrange_alice(world)

    result = await world.alice.slash(world.channel, "quiz stats")
    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Stats · alice"
    assert fields(result) == {
        "Points": "600",
        "Rank": "#2 of 2",
        "Rounds played": "12",
        "Accuracy": "50% (6 of 12 right)",
        "Best streak": "1",
        "Current streak": "0",
        "Strongest topics": "overview · 100% (3/3)\nsoviet-era · 67% (2/3)",
        "Weakest topics": "diplomacy · 0% (0/3)",
    }
    assert embed.timestamp == world.env.now() + timedelta(seconds=20)  # when the last question closed
    assert embed.thumbnail.url


async def test_stats_of_another_member(world: World) -> None:
    """The member option shows that member's record, not the caller's."""
    await arrange_alice(world)

    result = await world.alice.slash(world.channel, "quiz stats", member=world.bob)
    assert result.response.embeds[0].title == "Stats · bob"
    shown = fields(result)
    assert (shown["Points"], shown["Rank"], shown["Accuracy"]) == ("1,000", "#1 of 2", "100% (1 of 1 right)")
    assert shown["Strongest topics"] == NOT_ENOUGH and shown["Weakest topics"] == NOT_ENOUGH


@pytest.mark.parametrize("yourself", [True, False])
async def test_stats_of_a_member_without_answers(world: World, yourself: bool) -> None:
    """A member who never had an answer scored gets a friendly note instead of an embed."""
    await arrange_alice(world)
    if yourself:
        result = await world.carol.slash(world.channel, "quiz stats")
        expected = "You haven't answered any questions in this server yet."
    else:
        result = await world.alice.slash(world.channel, "quiz stats", member=world.carol)
        expected = "**carol** hasn't answered any questions in this server yet."
    assert result.ephemeral and not result.response.embeds
    assert (result.response.content or "").startswith(expected)


def record(tag: str, answered: int, correct: int) -> TagRecord:
    """A tag record, shorter."""
    return TagRecord(tag, answered, correct)


@pytest.mark.parametrize(
    ("records", "strongest", "weakest"),
    [
        ([], [], []),
        ([record("a", 2, 2), record("b", 2, 0)], [], []),
        ([record("a", 3, 1)], ["a"], []),
        ([record("a", 3, 1), record("b", 3, 2)], ["b"], ["a"]),
        # Equal accuracy: more answers first on both lists.
        ([record("a", 3, 3), record("b", 6, 6), record("c", 3, 0), record("d", 6, 0)], ["b", "a"], ["d", "c"]),
        # At most three each, never the same tag twice.
        ([record(t, 4, n % 5) for n, t in enumerate("abcdefgh")], ["e", "d", "c"], ["a", "f", "b"]),
        # The same share is never both strong and weak: equal tags are all strong, none weak.
        ([record("a", 3, 2), record("b", 6, 4)], ["b"], []),
        ([record("a", 3, 3), record("b", 3, 3), record("c", 3, 3), record("d", 4, 2)], ["a", "b"], ["d"]),
    ],
)
def test_strongest_and_weakest_tags(records: list[TagRecord], strongest: list[str], weakest: list[str]) -> None:
    """Only tags with enough answers are ranked, split between best and worst without overlap."""
    best, worst = strongest_and_weakest(records)
    assert [r.tag for r in best] == strongest
    assert [r.tag for r in worst] == weakest


async def test_tag_records_sum_questions_and_skip_unknown_ones(world: World) -> None:
    """Counts add up per tag over questions (a question counts for each tag); unloaded questions are skipped."""
    library: BankLibrary = world.bot.library
    stats = [
        QuestionStat(BANK, "losing-friends", 2, 1),  # overview
        QuestionStat(BANK, "two-centuries-involvement", 3, 3),  # history, overview
        QuestionStat(BANK, "no-such-question", 5, 5),
        QuestionStat(OTHER_BANK, "elsewhere", 5, 0),
    ]
    assert tag_records(stats, library) == [record("history", 3, 3), record("overview", 5, 4)]
