"""The buttons of a private round played in one ephemeral message (practice, review): a choice, and Next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import discord

if TYPE_CHECKING:
    from bot.client import QuizBot


class SoloRound(Protocol):
    """A view that takes the player's choice and moves to the next question."""

    async def choose(self, interaction: discord.Interaction[QuizBot], position: int) -> None:
        """Take the choice at display ``position`` and show the reveal."""

    async def advance(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Show the next question, or the summary."""


class ChoiceButton(discord.ui.Button[Any]):
    """One answer of the open question."""

    def __init__(self, position: int, label: str) -> None:
        super().__init__(label=label, style=discord.ButtonStyle.primary)
        self.position = position

    async def callback(self, interaction: discord.Interaction[QuizBot]) -> None:  # type: ignore[override]
        """Hand the choice to the view."""
        view: SoloRound | None = self.view
        assert view is not None
        await view.choose(interaction, self.position)


class NextButton(discord.ui.Button[Any]):
    """After a reveal: on to the next question, or to the results after the last."""

    def __init__(self, label: str) -> None:
        super().__init__(label=label, style=discord.ButtonStyle.success)

    async def callback(self, interaction: discord.Interaction[QuizBot]) -> None:  # type: ignore[override]
        """Ask the view for what comes next."""
        view: SoloRound | None = self.view
        assert view is not None
        await view.advance(interaction)
