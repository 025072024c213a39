"""Runs each channel round as one task: ask, wait for the deadline, reveal, repeat, then the podium.

The task only ever sleeps between steps (never waits on an event), so stopping a round is a
cancel, and a restart resumes from what the store recorded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.db import repos
from bot.exts._common.nonces import nonce_for
from bot.exts._common.retry import DISCORD_ERRORS, with_retry
from bot.exts.play._button import answer_id, answer_view
from bot.exts.play._outlet import ChannelOutlet, InteractionOutlet, Outlet
from bot.exts.play.render import (
    FINAL_TITLE,
    closed_view,
    name_lookup,
    question_embed,
    questions_revealed,
    reveal_embed,
    standings_embed,
)
from bot.exts.reports.button import report_view
from bot.quiz import PlayedQuestion, Reveal
from bot.rounds.service import LiveRound, OwedStandings
from bot.shards import Shards

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)


def question_nonce(live: LiveRound) -> str:
    """The nonce of the open question's message: the same on every send of it, from any process."""
    return nonce_for("question", live.id, live.engine.index)


OWED_NOTICE = "The bot restarted before this reveal was posted; the question closed at its deadline."
OWED_STANDINGS_NOTICE = "The bot restarted before these standings were posted."
#: How many channel messages since a question opened are searched for it after a restart (one request).
LOOKBACK = 100
#: Discord's clock and ours may differ a little: look from a bit before the question opened.
SNOWFLAKE_SLACK = timedelta(seconds=5)
#: Errors after which a channel will never take the standings: the channel is gone, or the bot may not post there.
CHANNEL_GONE = (discord.Forbidden, discord.NotFound)


def _custom_ids(message: discord.Message, prefix: str) -> Iterator[str]:
    """The custom ids of a message's buttons that start with ``prefix``."""
    for row in message.components:
        for child in getattr(row, "children", ()):
            custom_id = getattr(child, "custom_id", None)
            if isinstance(custom_id, str) and custom_id.startswith(prefix):
                yield custom_id


def _is_standings(message: discord.Message) -> bool:
    """Whether a message shows a round's final standings."""
    return bool(message.embeds) and message.embeds[0].title == FINAL_TITLE


class Conductor:
    """Owns the task of every running round in this process."""

    def __init__(self, bot: QuizBot, *, pause: float) -> None:
        self.bot = bot
        self.pause = pause
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self.outlets: dict[int, Outlet] = {}
        #: Standings owed since a restart, being posted.
        self.owed: set[asyncio.Task[None]] = set()

    async def resume(self, shards: Shards) -> None:
        """After a start: resume the running rounds of guilds on ``shards``, and post the standings still owed."""
        for live in await self.bot.rounds.restore(shards):
            log.info("Resuming round %s in channel %s", live.id, live.channel_id)
            self.launch(live)
        for owed in await self.bot.rounds.owed_standings(shards):
            task = asyncio.create_task(self._post_owed_standings(owed), name=f"quiz-standings-{owed.live.id}")
            self.owed.add(task)
            task.add_done_callback(self.owed.discard)

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
            title=f"🛑 Round stopped by {discord.utils.escape_mentions(discord.utils.escape_markdown(stopped_by))}",
        )
        nonce = nonce_for("standings", live.id)
        await with_retry(lambda: outlet.send(embed=embed, nonce=nonce), what=f"Round {live.id} standings")

    async def cancel_all(self) -> None:
        """Cancel every round task (on unload); the rounds stay in the store and resume on next start."""
        tasks = [*self.tasks.values(), *self.owed]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _play(self, live: LiveRound, outlet: Outlet) -> None:
        """The round task, supervised: whatever stops it, the round ends cleanly and its channel is free."""
        try:
            await self._run(live, outlet)
        except discord.Forbidden as error:
            log.warning("Round %s lost access to channel %s: %s", live.id, live.channel_id, error.text)
            await self._abandon(live, outlet, None)
        except Exception as error:  # a round must never stay "running" with no task playing it
            log.error("Round %s could not go on; closing it", live.id, exc_info=error)
            await self._abandon(live, outlet, error)

    async def _run(self, live: LiveRound, outlet: Outlet) -> None:
        resumed = live.engine.current is not None
        if resumed and live.engine.index not in live.message_ids:
            await self._find_question(live)
        if live.unposted:
            await self._post_owed(live, outlet)
            if not live.engine.finished and live.engine.current is None:
                await asyncio.sleep(self.pause)
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
        await self._post_standings(live, outlet, embed)

    async def _post_standings(self, live: LiveRound, outlet: Outlet, embed: discord.Embed) -> None:
        """Post a finished round's standings (owed in the outbox since its end was committed), then clear the debt.

        A channel that is gone or closed to the bot never will take them: the debt is dropped. Any other failure
        leaves it, and the next start posts them (the nonce keeps a post Discord already took from coming twice).
        """
        nonce = nonce_for("standings", live.id)
        try:
            await with_retry(lambda: outlet.send(embed=embed, nonce=nonce), what=f"Round {live.id} standings")
        except CHANNEL_GONE as error:
            log.warning("Round %s: its standings cannot be posted in channel %s: %s", live.id, live.channel_id, error)
        await self.bot.rounds.standings_posted(live)

    async def _post_owed_standings(self, owed: OwedStandings) -> None:
        """Post the standings of a round that ended just before the process died (the outbox)."""
        live = owed.live
        log.info("Round %s: posting its standings, owed since a restart", live.id)
        embed = standings_embed(
            owed.standings, live.total, name_lookup(live.names), {c.user_id: (c.before, c.after) for c in owed.changes}
        )
        embed.set_footer(text=OWED_STANDINGS_NOTICE)
        try:
            # Standings the interaction's webhook posted just before the kill carry no nonce: look for them first.
            if await self._find_posted(live, owed.ended_at, _is_standings) is not None:
                log.info("Round %s: its standings were posted before the restart", live.id)
                await self.bot.rounds.standings_posted(live)
                return
            await self._post_standings(live, self.channel_outlet(live), embed)
        except Exception:
            log.exception("Round %s: its owed standings could not be posted; the next start tries again", live.id)

    async def _abandon(self, live: LiveRound, outlet: Outlet, error: Exception | None) -> None:
        """End a round its task cannot carry on: score the open question's answers, stop it, say so if possible."""
        if self.bot.rounds.get(live.id) is None:
            return  # already finished (the error came after the standings were stored)
        try:
            if live.engine.current is not None:
                await self.bot.rounds.close(live)
        except Exception:
            log.exception("Round %s: the open question could not be scored", live.id)
        try:
            standings, changes = await self.bot.rounds.finish(live, stopped=True)
        except Exception:
            # The store is unreachable: forget the round here; the store still says running, so the next
            # start-up resumes it (and /quiz start is not refused meanwhile: that check is this process's).
            self.bot.rounds.forget(live)
            log.exception("Round %s could not be marked stopped", live.id)
            return
        if error is None:
            return  # no access to the channel: nothing can be said there
        embed = standings_embed(
            standings,
            questions_revealed(live.engine),
            name_lookup(live.names),
            {c.user_id: (c.before, c.after) for c in changes},
            title="⚠️ Round stopped: Discord kept failing",
        )
        embed.set_footer(text="The questions answered so far are scored. /quiz start begins a new round.")
        for target in (outlet, self.channel_outlet(live)):
            if await self._say(target, embed, live.id):
                return

    async def _say(self, outlet: Outlet, embed: discord.Embed, round_id: int) -> bool:
        """Post a notice with retries; False (logged) if Discord would not take it."""
        try:
            nonce = nonce_for("standings", round_id)
            await with_retry(lambda: outlet.send(embed=embed, nonce=nonce), what=f"Round {round_id} stop notice")
        except Exception as failure:
            log.warning("Round %s: could not say it stopped: %s", round_id, failure)
            return False
        return True

    async def _ask(self, live: LiveRound, outlet: Outlet) -> None:
        opened = await self.bot.rounds.open_next(live)
        question_id = live.current_question_id
        assert question_id is not None
        embed = question_embed(opened.played, live.total, opened.deadline)
        view = answer_view(question_id, opened.played)
        nonce = question_nonce(live)
        message_id = await with_retry(
            lambda: outlet.send(embed=embed, view=view, nonce=nonce), what=f"Round {live.id} question"
        )
        await self.bot.rounds.set_message(live, message_id)

    async def _find_question(self, live: LiveRound) -> None:
        """After a restart, find the open question's message whose id was never stored (killed mid-post).

        First in the channel's messages since the question opened: a post of this bot carrying the question's
        buttons, which is how a question sent through the interaction's webhook (no nonce there) is found.
        Else it is sent again through the channel with the same nonce, and Discord returns the message a first
        channel send created; if that send never reached Discord, this posts the question now: open while
        time is left, else already closed.
        """
        current = live.engine.current
        question_id = live.current_question_id
        assert current is not None and question_id is not None
        played = current.played
        message_id = await self._posted_question(live, question_id, current.opened_at)
        if message_id is None:
            view = answer_view(question_id, played) if current.deadline > self.bot.clock() else closed_view(played)
            embed = question_embed(played, live.total, current.deadline)
            channel, nonce = self.channel_outlet(live), question_nonce(live)
            message_id = await with_retry(
                lambda: channel.send(embed=embed, view=view, nonce=nonce), what=f"Round {live.id} question (again)"
            )
        log.info("Round %s: question %d is message %s after a restart", live.id, played.number, message_id)
        await self.bot.rounds.set_message(live, message_id)

    async def _posted_question(self, live: LiveRound, question_id: int, opened_at: datetime) -> int | None:
        """The message of the question posted since it opened, found in the channel, if the bot can read it."""
        prefix = answer_id(question_id, 0).rpartition(":")[0] + ":"
        return await self._find_posted(live, opened_at, lambda message: any(_custom_ids(message, prefix)))

    async def _find_posted(
        self, live: LiveRound, since: datetime, match: Callable[[discord.Message], bool]
    ) -> int | None:
        """A message of this bot in the round's channel since ``since`` that ``match`` accepts, else None."""
        me = self.bot.user
        channel = self.bot.get_partial_messageable(live.channel_id, guild_id=live.guild_id)
        after = discord.Object(discord.utils.time_snowflake(since - SNOWFLAKE_SLACK))
        try:
            async for message in channel.history(limit=LOOKBACK, after=after):
                if me is not None and message.author.id == me.id and match(message):
                    return message.id
        except DISCORD_ERRORS as error:  # no Read Message History, or Discord failing: send it again instead
            log.warning("Round %s: could not look through channel %s: %s", live.id, live.channel_id, error)
        return None

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
        if message_id is not None:
            await self._edit_quietly(outlet, message_id, current.played)
        reveal = await self.bot.rounds.close(live)
        await self._post_reveal(live, outlet, live.engine.index, reveal, notice)

    async def _post_owed(self, live: LiveRound, outlet: Outlet) -> None:
        """Post the reveals a killed process committed but never posted (the outbox), in question order."""
        for index, (_, reveal) in sorted(live.unposted.items()):
            log.info("Round %s: posting the reveal of question %d owed since a restart", live.id, index + 1)
            await self._post_reveal(live, outlet, index, reveal, OWED_NOTICE)

    async def _post_reveal(
        self, live: LiveRound, outlet: Outlet, index: int, reveal: Reveal, notice: str | None
    ) -> None:
        async with self.bot.sessions.begin() as session:
            show = (await repos.get_guild_settings(session, live.guild_id)).show_answerers
        embed = reveal_embed(reveal, name_lookup(live.names), show_answerers=show, notice=notice)
        nonce = nonce_for("reveal", live.id, index)
        view = report_view(live.question_ids[index])
        await with_retry(lambda: outlet.send(embed=embed, view=view, nonce=nonce), what=f"Round {live.id} reveal")
        await self.bot.rounds.posted(live, index)

    async def _edit_quietly(self, outlet: Outlet, message_id: int, played: PlayedQuestion) -> None:
        """Disable a question's buttons; a failure here must not stop the round."""
        try:
            # No backoff on a server error: the reveal must not wait for grey buttons.
            await with_retry(lambda: outlet.edit_view(message_id, closed_view(played)), server_errors=False)
        except DISCORD_ERRORS as error:
            log.warning("Could not close the buttons of message %s: %s", message_id, error)
