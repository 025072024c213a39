"""The simulated players at work: they watch ``#quiz``, click answers like people do, and now and then report one.

They act from the demo's own driver task, through simcord's member operations, as a person at
a keyboard would; nothing here runs inside the bot. To know which button is right they peek at
the bot's running round, which is fair for a simulation.
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import discord
import simcord

from bot.demo.players import PlannedAnswer, PlannedReport, plan_answers, plan_report, rng_for
from bot.demo.world import DemoWorld
from bot.exts.reports.button import REPORT_ID

log = logging.getLogger(__name__)

TICK = 0.25  # seconds between looks at the channel; also how stale the virtual clock can get


@dataclass(order=True, frozen=True, slots=True)
class _Click:
    due: datetime
    question_id: int = field(compare=False)
    message_id: int = field(compare=False)
    plan: PlannedAnswer = field(compare=False)


class Crowd:
    """Plans each new question's answers when it appears, then clicks them when they fall due."""

    def __init__(self, world: DemoWorld, *, seed: int) -> None:
        self.world = world
        self.seed = seed
        self.clicks = 0
        self._members = {p.name: m for p, m in zip(world.personas, world.players, strict=True)}
        self._planned: set[int] = set()
        self._queue: list[_Click] = []
        self._reports: dict[int, PlannedReport] = {}
        self.reports = 0

    async def run(self) -> None:
        """Keep the clock on the wall clock and the players answering, until cancelled."""
        while True:
            await self.world.tick()
            self.plan_new_questions()
            await self.click_due()
            await self.file_reports()
            now = self.world.env.now()
            wait = TICK if not self._queue else min(TICK, (self._queue[0].due - now).total_seconds())
            await asyncio.sleep(max(wait, 0.01))

    def plan_new_questions(self) -> None:
        """Plan the answers to every open question of the channel whose message is posted."""
        for live in self.world.bot.rounds.live:
            question_id = live.current_question_id
            current = live.engine.current
            if live.channel_id != self.world.channel.id or question_id is None or current is None:
                continue
            message_id = live.message_ids.get(live.engine.index)
            if question_id in self._planned or message_id is None:
                continue
            self._planned.add(question_id)
            rng = rng_for(self.seed, live.seed, current.played.number)
            plans = plan_answers(rng, self.world.personas, current.played, live.engine.seconds)
            for plan in plans:
                due = current.opened_at + timedelta(seconds=plan.delay)
                heapq.heappush(self._queue, _Click(due, question_id, message_id, plan))
            if (report := plan_report(rng, plans)) is not None:
                self._reports[question_id] = report

    async def click_due(self) -> None:
        """Click every planned answer whose time has come."""
        while self._queue and self._queue[0].due <= self.world.env.now():
            click = heapq.heappop(self._queue)
            message = self.world.message(click.message_id)
            if message is None:
                continue
            member = self._members[click.plan.persona.name]
            custom_id = f"quiz:a:{click.question_id}:{click.plan.position}"
            try:
                await self.world.act(functools.partial(member.click, message, custom_id=custom_id))
            except simcord.SetupError as error:
                # The question closed or the round was stopped first: a late player, nothing more.
                log.debug("%s could not answer: %s", click.plan.persona.name, error)
            else:
                self.clicks += 1

    async def file_reports(self) -> None:
        """File each planned report once its question's reveal (with its Report button) is posted."""
        if not self._reports:
            return
        for message in self.world.channel.history()[-5:]:
            for row in message.components:
                for button in getattr(row, "children", ()):
                    found = REPORT_ID.fullmatch(getattr(button, "custom_id", None) or "")
                    if found is not None and (plan := self._reports.pop(int(found["q"]), None)) is not None:
                        await self._report(message, button.custom_id, plan)

    async def _report(self, message: discord.Message, custom_id: str, plan: PlannedReport) -> None:
        member = self._members[plan.persona.name]
        values: dict[str, object] = {"report:reason": [plan.reason]}
        if plan.note:
            values["report:note"] = plan.note
        try:
            shown = await self.world.act(functools.partial(member.click, message, custom_id=custom_id))
            await self.world.act(functools.partial(member.submit_modal, shown, values))
        except simcord.SetupError as error:
            log.debug("%s could not report: %s", plan.persona.name, error)
        else:
            self.reports += 1
