"""Runs each channel round as one task: ask, wait for the deadline, reveal, repeat, then the podium.

The task only ever sleeps between steps (never waits on an event), so stopping a round is a
cancel, and a restart resumes from what the store recorded.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.db import repos
from bot.exts._common.retry import with_retry
from bot.exts.play._button import answer_view
from bot.exts.play._outlet import ChannelOutlet, InteractionOutlet, Outlet
from bot.exts.play.render import (
    closed_view,
    name_lookup,
    question_embed,
    questions_revealed,
    reveal_embed,
    standings_embed,
)
from bot.exts.reports.button import report_view
from bot.quiz import PlayedQuestion
from bot.rounds.service import LiveRound

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)


class Conductor:
    """Owns the task of every running round in this process."""

    def __init__(self, bot: QuizBot, *, pause: float) -> None:
        self.bot = bot
        self.pause = pause
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self.outlets: dict[int, Outlet] = {}

    def channel_outlet(self, live: LiveRound) -> ChannelOutlet:
        """The round's channel, for messages that are not follow-ups."""
        return ChannelOutlet(self.bot.get_partial_messageable(live.channel_id, guild_id=live.guild_id))

    def launch(self, live: LiveRound, interaction: discord.Interaction[QuizBot] | None = None) -> None:
        """Start (or resume) playing a round; with the starting interaction, through its webhook."""
        fallback = self.channel_outlet(live)
        outlet: Outlet = fallback if interaction is None else InteractionOutlet(interaction, fallback, self.bot.clock)
        self.outlets[live.id] = outlet
        task = asyncio.create_task(self._play(live, outlet), name=f"quiz-round-{live.id}")
        self.tasks[live.id] = task
        task.add_done_callback(lambda done: self._forget(live.id, done))

    def _forget(self, round_id: int, task: asyncio.Task[None]) -> None:
        if self.tasks.get(round_id) is task:
            del self.tasks[round_id]
            self.outlets.pop(round_id, None)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("Round %s crashed", round_id, exc_info=error)

    async def stop(self, live: LiveRound, stopped_by: str) -> None:
        """Stop a round now: cancel its task, disable the open question, post the standings so far."""
        task = self.tasks.pop(live.id, None)
        if task is not None:
            task.cancel()
        outlet = self.outlets.pop(live.id, None) or self.channel_outlet(live)
        played = live.engine.current.played if live.engine.current else None
        message_id = live.message_ids.get(live.engine.index)
        standings, changes = await self.bot.rounds.finish(live, stopped=True)
        if played is not None and message_id is not None:
            await self._edit_quietly(outlet, message_id, played)
        embed = standings_embed(
            standings,
            questions_revealed(live.engine),  # the open question's answers were never counted
            name_lookup(live.names),
            {c.user_id: (c.before, c.after) for c in changes},
            title=f"🛑 Round stopped by {discord.utils.escape_markdown(stopped_by)}",
        )
        await with_retry(lambda: outlet.send(embed=embed))

    async def cancel_all(self) -> None:
        """Cancel every round task (on unload); the rounds stay in the store and resume on next start."""
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _play(self, live: LiveRound, outlet: Outlet) -> None:
        try:
            resumed = live.engine.current is not None
            while not live.engine.finished:
                if live.engine.current is None:
                    await self._ask(live, outlet)
                await self._finish_question(live, outlet, resumed=resumed)
                resumed = False
                if not live.engine.finished:
                    await asyncio.sleep(self.pause)
            standings, changes = await self.bot.rounds.finish(live)
            embed = standings_embed(
                standings, live.total, name_lookup(live.names), {c.user_id: (c.before, c.after) for c in changes}
            )
            await with_retry(lambda: outlet.send(embed=embed))
        except discord.Forbidden as error:
            log.warning("Round %s lost access to channel %s: %s", live.id, live.channel_id, error.text)
            await self.bot.rounds.finish(live, stopped=True)

    async def _ask(self, live: LiveRound, outlet: Outlet) -> None:
        opened = await self.bot.rounds.open_next(live)
        question_id = live.current_question_id
        assert question_id is not None
        embed = question_embed(opened.played, live.total, opened.deadline)
        view = answer_view(question_id, opened.played)
        message_id = await with_retry(lambda: outlet.send(embed=embed, view=view))
        await self.bot.rounds.set_message(live, message_id)

    async def _finish_question(self, live: LiveRound, outlet: Outlet, *, resumed: bool) -> None:
        current = live.engine.current
        assert current is not None
        notice = None
        if resumed and current.deadline <= self.bot.clock():
            notice = "The bot restarted while this question was open; it closed at its deadline."
        await discord.utils.sleep_until(current.deadline)
        # The buttons go grey first: players see the question close on time, whatever the store is doing.
        # Late clicks are refused by the engine's deadline check either way.
        message_id = live.message_ids.get(live.engine.index)
        question_id = live.current_question_id
        assert question_id is not None
        if message_id is not None:
            await self._edit_quietly(outlet, message_id, current.played)
        reveal = await self.bot.rounds.close(live)
        async with self.bot.sessions.begin() as session:
            show = (await repos.get_guild_settings(session, live.guild_id)).show_answerers
        embed = reveal_embed(reveal, name_lookup(live.names), show_answerers=show, notice=notice)
        await with_retry(lambda: outlet.send(embed=embed, view=report_view(question_id)))

    async def _edit_quietly(self, outlet: Outlet, message_id: int, played: PlayedQuestion) -> None:
        """Disable a question's buttons; a failure here must not stop the round."""
        try:
            await with_retry(lambda: outlet.edit_view(message_id, closed_view(played)))
        except discord.HTTPException as error:
            log.warning("Could not close the buttons of message %s: %s", message_id, error)
