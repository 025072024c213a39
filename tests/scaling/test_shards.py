"""Shard settings and ownership: the formula, the settings' forms and the refusals (issue 12, items 1 and 2)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from bot.shards import EVERY_SHARD, Shards, parse_shard_ids, shard_of


def settings(**env: str) -> Settings:
    """Settings as the environment would give them, with no .env file."""
    return Settings(_env_file=None, **env)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "ids"),
    [("", None), ("0-3", (0, 1, 2, 3)), ("0,2", (0, 2)), ("0-1, 4", (0, 1, 4)), ("3", (3,)), ("1,1-2", (1, 2))],
)
def test_shard_ids_are_read_as_operators_write_them(text: str, ids: tuple[int, ...] | None) -> None:
    """Ranges, lists and both together; empty means every shard."""
    assert parse_shard_ids(text) == ids


@pytest.mark.parametrize("text", ["a", "3-1", "-1", "0-x"])
def test_unreadable_shard_ids_are_refused_by_name(text: str) -> None:
    """A part that is not a number or a low-high range is named in the error."""
    with pytest.raises(ValueError, match="is not"):
        parse_shard_ids(text)


def test_the_formula_is_discords() -> None:
    """``(guild_id >> 22) % shard_count``: guilds created a millisecond apart land on consecutive shards."""
    first = 1_000 << 22
    assert [shard_of(first + (n << 22), 4) for n in range(5)] == [0, 1, 2, 3, 0]


def test_both_unset_is_todays_single_unsharded_process() -> None:
    """No shard settings: one process owning every guild, with nothing to ask Discord."""
    shards = settings().shards()
    assert shards == EVERY_SHARD
    assert not shards.sharded and shards.owns(123 << 22)
    assert shards.describe().startswith("unsharded")


def test_a_process_owns_only_the_guilds_of_its_shards() -> None:
    """Shards 0-1 of 4 own guilds on shards 0 and 1, and no other."""
    shards = settings(shard_count="4", shard_ids="0-1").shards()
    assert shards == Shards(4, (0, 1))
    assert [shards.owns(n << 22) for n in range(4)] == [True, True, False, False]
    assert shards.describe() == "shards 0-1 of 4"


def test_empty_ids_mean_every_shard_of_the_count() -> None:
    """A count without ids runs every shard in this process."""
    assert settings(shard_count="3").shards() == Shards(3, (0, 1, 2))


def test_auto_takes_discords_recommended_count() -> None:
    """``auto`` needs the count ``GET /gateway/bot`` recommends; the ids are checked against it."""
    configured = settings(shard_count="AUTO", shard_ids="0,2")
    assert configured.shard_count == "auto"
    assert configured.shards(recommended=4) == Shards(4, (0, 2))
    with pytest.raises(ValueError, match="recommended"):
        configured.shards()
    with pytest.raises(ValueError, match="outside"):
        configured.shards(recommended=2)


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"shard_ids": "0-1"}, "QUIZBOT_SHARD_IDS needs QUIZBOT_SHARD_COUNT"),
        ({"shard_count": "2", "shard_ids": "0-3"}, "outside 0-1"),
        ({"shard_count": "0"}, "at least 1"),
        ({"shard_count": "2", "shard_ids": "one"}, "QUIZBOT_SHARD_IDS: 'one' is not"),
        ({"shard_count": "many"}, "shard_count"),
    ],
)
def test_shard_settings_that_disagree_are_refused(env: dict[str, str], words: str) -> None:
    """Ids without a count, ids outside the count, a count below 1 or unreadable values stop start-up."""
    with pytest.raises(ValidationError, match=words):
        settings(**env)
