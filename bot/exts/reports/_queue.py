"""``/quiz bank reports``: the reported questions, one per page, with Resolve and Dismiss for the one shown."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.db.models import ReportStatus
from bot.exts._common.replies import NO_MENTIONS
from bot.exts._common.text import EMBED_DESCRIPTION, EMBED_FIELD_VALUE, inline_code, join_within, truncate
from bot.reports import QueueEntry, reason_label

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

COLOUR = discord.Colour.orange()
QUEUE_TIMEOUT = 600.0
EMPTY = "No open reports. 🎉"


def safe_note(note: str) -> str:
    """A player's note made harmless: one line, no markdown, no mention that could ever render."""
    flat = " ".join(note.split())
    # Every "@" broken with a zero-width space: no user, role, @everyone or @here mention survives, whatever its id.
    return discord.utils.escape_markdown(flat).replace("@", "@\u200b")


def entry_embed(entry: QueueEntry, index: int, total: int, bank_id: str | None) -> discord.Embed:
    """One reported question: its prompt, the reasons counted, the newest notes, and whether it sits out rounds."""
    title = f"Reports · {bank_id}" if bank_id else "Reports · every bank"
    lines = [
        f"**{discord.utils.escape_markdown(entry.prompt) or '(question no longer in the bank)'}**",
        f"{inline_code(entry.bank_id)} · {inline_code(entry.question_id)}",
        "",
        f"**{entry.count}** open report{'s' if entry.count != 1 else ''}",
    ]
    if entry.held:
        lines.append("⛔ Held back from rounds until resolved or fixed.")
    embed = discord.Embed(title=title, description=truncate("\n".join(lines), EMBED_DESCRIPTION), colour=COLOUR)
    reasons = [f"{reason_label(reason)}: {count}" for reason, count in entry.reasons.most_common()]
    embed.add_field(name="Reasons", value=join_within(reasons, EMBED_FIELD_VALUE), inline=False)
    if entry.notes:
        notes = [f"> {truncate(safe_note(note), 300)}" for note in entry.notes]
        embed.add_field(name="Notes", value=join_within(notes, EMBED_FIELD_VALUE), inline=False)
    embed.set_footer(text=f"Question {index + 1} of {total} · Resolve when fixed, Dismiss if the question is right")
    return embed


def empty_embed(bank_id: str | None) -> discord.Embed:
    """The queue with nothing in it."""
    title = f"Reports · {bank_id}" if bank_id else "Reports · every bank"
    return discord.Embed(title=title, description=EMPTY, colour=COLOUR)


class QueueView(discord.ui.View):
    """◀ ▶ through the reported questions; Resolve and Dismiss close the shown question's reports."""

    def __init__(self, bot: QuizBot, *, owner_id: int, guild_id: int, bank_id: str | None) -> None:
        super().__init__(timeout=QUEUE_TIMEOUT)
        self.bot = bot
        self.owner_id = owner_id
        self.guild_id = guild_id
        self.bank_id = bank_id
        self.index = 0
        self.entries: list[QueueEntry] = []

    async def render(self) -> discord.Embed:
        """Read the queue again and draw the current page (clamped to what is left)."""
        self.entries = await self.bot.reports.queue(self.guild_id, self.bank_id)
        if not self.entries:
            for item in self.children:
                if isinstance(item, discord.ui.Button):
                    item.disabled = True
            return empty_embed(self.bank_id)
        self.index = min(self.index, len(self.entries) - 1)
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.entries) - 1
        return entry_embed(self.entries[self.index], self.index, len(self.entries), self.bank_id)

    async def interaction_check(self, interaction: discord.Interaction[QuizBot]) -> bool:  # type: ignore[override]
        """Only the author who opened the queue works it."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Run `/quiz bank reports` yourself to work the queue.", ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        return False

    async def _show(self, interaction: discord.Interaction[QuizBot], note: str | None = None) -> None:
        embed = await self.render()
        await interaction.response.edit_message(content=note, embed=embed, view=self, allowed_mentions=NO_MENTIONS)

    async def _close(self, interaction: discord.Interaction[QuizBot], status: ReportStatus) -> None:
        entry = self.entries[self.index]
        closed = await self.bot.reports.close(
            self.guild_id, entry.bank_id, entry.question_id, status, interaction.user.id
        )
        log.info(
            "User %s %s %d report(s) of %s/%s",
            interaction.user.id,
            status.value,
            closed,
            entry.bank_id,
            entry.question_id,
        )
        verb = "Resolved" if status is ReportStatus.RESOLVED else "Dismissed"
        await self._show(
            interaction, f"{verb} {closed} report{'s' if closed != 1 else ''} of {inline_code(entry.question_id)}."
        )

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction[QuizBot], button: discord.ui.Button[Any]) -> None:
        """The reported question before."""
        self.index = max(self.index - 1, 0)
        await self._show(interaction)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[QuizBot], button: discord.ui.Button[Any]) -> None:
        """The reported question after."""
        self.index += 1
        await self._show(interaction)

    @discord.ui.button(label="Resolve", style=discord.ButtonStyle.success)
    async def resolve(self, interaction: discord.Interaction[QuizBot], button: discord.ui.Button[Any]) -> None:
        """The reports were right and the question is dealt with."""
        await self._close(interaction, ReportStatus.RESOLVED)

    @discord.ui.button(label="Dismiss", style=discord.ButtonStyle.danger)
    async def dismiss(self, interaction: discord.Interaction[QuizBot], button: discord.ui.Button[Any]) -> None:
        """The question is right as it is."""
        await self._close(interaction, ReportStatus.DISMISSED)
