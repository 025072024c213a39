"""``/quiz banks``: every loaded bank with its size, difficulty mix and source, paged within Discord's limits."""

from __future__ import annotations

from typing import Any

from bot.exts._common.paging import NEXT_ID, PREVIOUS_ID
from bot.exts.banklist import PER_PAGE, banks_embed, difficulty_mix
from bot.quiz import Bank, Difficulty, Question, Source
from tests.exts.conftest import BANK, World


def make_bank(n: int, *, title: str | None = None, description: str = "", questions: int = 2) -> Bank:
    """A small bank ``bank-NN`` whose questions alternate easy and hard."""
    bank_id = f"bank-{n:02d}"
    source = Source(title=f"Article {n}", author="A_Writer")
    return Bank(
        id=bank_id,
        title=title or f"Bank {n:02d}",
        source=source,
        description=description,
        questions=tuple(
            Question(
                id=f"q{i}",
                bank_id=bank_id,
                prompt="Why?",
                choices=("a", "b"),
                answer=0,
                explanation="Because.",
                passage="A passage.",
                source=source,
                difficulty=Difficulty.EASY if i % 2 == 0 else Difficulty.HARD,
            )
            for i in range(questions)
        ),
    )


def field_names(result: Any) -> list[str]:
    """The names of the response embed's fields."""
    return [field.name for field in result.response.embeds[0].fields]


async def test_lists_the_shipped_bank(world: World) -> None:
    """The shipped bank shows with its id, 55 questions, difficulty mix, source title and author."""
    result = await world.alice.slash(world.channel, "quiz banks")
    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Question banks"
    assert (embed.description or "").startswith("1 bank loaded.")
    [field] = embed.fields
    assert field.name == "Russia and the South Caucasus"
    lines = (field.value or "").splitlines()
    mix = difficulty_mix(world.bot.library.get(BANK))
    assert lines[0] == f"`{BANK}` · 55 questions · {mix}"
    assert (
        lines[1] == "From *Article for The Conversation on Russia, Armenia and Azerbaijan (headline not confirmed)* "
        "by Anna Matveeva"
    )
    assert not result.response.components  # one page: no buttons


def test_difficulty_mix_counts_levels_in_order_and_skips_missing_ones() -> None:
    """Levels read easy, medium, hard, with counts; a level without questions is left out."""
    assert difficulty_mix(make_bank(1, questions=5)) == "3 easy, 2 hard"


async def test_many_banks_are_paged(world: World) -> None:
    """Twenty-three banks make three pages of at most ten fields, turned with the buttons."""
    world.bot.library.replace(make_bank(n) for n in range(23))

    first = await world.alice.slash(world.channel, "quiz banks")
    assert first.ephemeral
    assert field_names(first) == [f"Bank {n:02d}" for n in range(10)]
    assert first.response.embeds[0].footer.text == "Page 1/3"

    second = await world.alice.click(first.response, custom_id=NEXT_ID)
    assert field_names(second) == [f"Bank {n:02d}" for n in range(10, 20)]
    third = await world.alice.click(first.response, custom_id=NEXT_ID)
    assert field_names(third) == [f"Bank {n:02d}" for n in range(20, 23)]
    assert third.response.embeds[0].footer.text == "Page 3/3"
    again = await world.alice.click(first.response, custom_id=PREVIOUS_ID)
    assert again.response.embeds[0].footer.text == "Page 2/3"


async def test_no_banks_loaded(world: World) -> None:
    """With nothing loaded the command says so instead of sending an empty embed."""
    world.bot.library.replace([])
    result = await world.alice.slash(world.channel, "quiz banks")
    assert result.ephemeral and result.response.content == "No question banks are loaded right now."


def test_a_page_of_huge_banks_stays_within_the_embed_limits() -> None:
    """Ten banks with oversized titles and descriptions are cut to fit every embed limit."""
    banks = [make_bank(n, title="T" * 300, description="d_" * 3000, questions=1) for n in range(PER_PAGE + 1)]
    embed = banks_embed(banks, 0)
    assert len(embed.fields) == PER_PAGE
    assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in embed.fields)
    assert len(embed) <= 6000
    assert (embed.fields[0].name or "").endswith("…")
    assert "1 question ·" in (embed.fields[0].value or "")
    assert "by A\\_Writer" in (embed.fields[0].value or "")
