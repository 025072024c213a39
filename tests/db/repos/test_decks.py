"""Decks: the persisted selection state round-trips exactly."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.repos import load_decks, save_decks
from bot.quiz import Deck

from ..helpers import GUILD, OTHER_GUILD


async def test_unplayed_bank_has_an_empty_deck(session: AsyncSession) -> None:
    """A bank the guild never played loads as an empty deck."""
    assert (await load_decks(session, GUILD, ["bank"])).get("bank", Deck()) == Deck()


async def test_deck_round_trips_and_is_replaced(session: AsyncSession) -> None:
    """A saved deck loads back equal, and saving again replaces it."""
    await save_decks(session, GUILD, {"bank": Deck(("q3", "q1", "q2"), 1)})
    await session.commit()
    assert (await load_decks(session, GUILD, ["bank"]))["bank"] == Deck(("q3", "q1", "q2"), 1)
    await save_decks(session, GUILD, {"bank": Deck(("q2", "q3", "q1", "q4"), 3)})
    assert (await load_decks(session, GUILD, ["bank"]))["bank"] == Deck(("q2", "q3", "q1", "q4"), 3)


async def test_decks_are_per_guild_and_bank(session: AsyncSession) -> None:
    """Several decks saved at once load back by bank, without leaking across guilds."""
    await save_decks(session, GUILD, {"a": Deck(("a1",), 1), "b": Deck(("b2", "b1"), 0)})
    await save_decks(session, OTHER_GUILD, {"a": Deck(("a9",), 0)})
    assert await load_decks(session, GUILD) == {"a": Deck(("a1",), 1), "b": Deck(("b2", "b1"), 0)}
    assert await load_decks(session, GUILD, ["b", "missing"]) == {"b": Deck(("b2", "b1"), 0)}
    assert await load_decks(session, OTHER_GUILD) == {"a": Deck(("a9",), 0)}
