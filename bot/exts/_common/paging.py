"""Paged embeds with ◀ ▶ buttons that only the member who asked can turn."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.exts._common.replies import NO_MENTIONS

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

# Well under the 15 minutes an interaction token lives, so the timeout edit can still go through.
PAGER_TIMEOUT = 300.0
PREVIOUS_ID = "pager:previous"
NEXT_ID = "pager:next"


@dataclass(frozen=True, slots=True)
class Page:
    """One rendered page and how many pages there are now (data can change between clicks)."""

    embed: discord.Embed
    count: int


PageRenderer = Callable[[int], Awaitable[Page]]


def page_count(items: int, per_page: int) -> int:
    """How many pages ``items`` rows fill; an empty list still has one (empty) page."""
    return max(1, -(-items // per_page))


class Pager(discord.ui.View):
    """◀ ▶ buttons over pages rendered on demand; the buttons are disabled when the view times out.

    ``render(index)`` is called for the first page and again on every click, so each page
    shows fresh data. Clicks from anyone but ``owner_id`` get an ephemeral note telling them
    to run ``command`` themselves.
    """

    def __init__(
        self, *, owner_id: int, render: PageRenderer, command: str, timeout: float | None = PAGER_TIMEOUT
    ) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.render = render
        self.command = command
        self.index = 0
        self.count = 1
        # The latest interaction on our message: its token (fresh on every click) edits the message on timeout.
        self._last: discord.Interaction[QuizBot] | None = None

    async def send(self, interaction: discord.Interaction[QuizBot], *, ephemeral: bool = False) -> None:
        """Answer ``interaction`` with the first page, with buttons only if there is more than one page."""
        page = await self.render(0)
        self._show(0, page)
        if page.count <= 1:
            self.stop()
            await interaction.response.send_message(embed=page.embed, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS)
            return
        self._last = interaction
        await interaction.response.send_message(
            embed=page.embed, view=self, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
        )

    def _show(self, index: int, page: Page) -> None:
        self.index = index
        self.count = page.count
        self.previous_page.disabled = index <= 0
        self.next_page.disabled = index >= page.count - 1

    async def _turn(self, interaction: discord.Interaction[QuizBot], step: int) -> None:
        index = max(self.index + step, 0)
        page = await self.render(index)
        if index >= page.count:
            # The data shrank since the last page was drawn: show its new last page.
            index = page.count - 1
            page = await self.render(index)
        self._show(index, page)
        self._last = interaction
        await interaction.response.edit_message(embed=page.embed, view=self, allowed_mentions=NO_MENTIONS)

    async def interaction_check(self, interaction: discord.Interaction[QuizBot]) -> bool:  # type: ignore[override]
        """Let only the member who asked turn the pages."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            f"These pages belong to someone else. Run `{self.command}` yourself to get your own.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return False

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary, custom_id=PREVIOUS_ID)
    async def previous_page(self, interaction: discord.Interaction[QuizBot], button: discord.ui.Button[Any]) -> None:
        """Show the page before."""
        await self._turn(interaction, -1)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary, custom_id=NEXT_ID)
    async def next_page(self, interaction: discord.Interaction[QuizBot], button: discord.ui.Button[Any]) -> None:
        """Show the page after."""
        await self._turn(interaction, 1)

    async def on_timeout(self) -> None:
        """Disable the buttons so nobody clicks a pager that no longer listens."""
        self.previous_page.disabled = True
        self.next_page.disabled = True
        if self._last is None:
            return
        try:
            await self._last.edit_original_response(view=self)
        except discord.HTTPException:
            # The message may have been deleted; nothing else to clean up.
            log.info("Could not disable the page buttons of %s", self.command, exc_info=True)
