"""Rounds in channels: the engine's state, kept in step with the store.

Every change the engine accepts is committed before the caller is told it happened, so a
"Locked in" acknowledgement always stands for a stored answer. After a restart the rounds
are rebuilt by replaying what the store recorded through the same engine calls.
"""

from __future__ import annotations

import asyncio
import logging
import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.banks.library import BankLibrary
from bot.db import repos
from bot.db.batches import write_runner
from bot.db.engine import create_sessionmaker
from bot.db.models import RoundStatus
from bot.db.repos.occurrences import OccurrenceClaim, record_started
from bot.db.repos.ranks import RankIndex
from bot.db.repos.score_moves import record_score_moves
from bot.quiz import (
    Answer,
    OpenQuestion,
    PlayedQuestion,
    QuestionClosed,
    Reveal,
    Round,
    Standing,
    draw_round,
    scoring_of,
)
from bot.reports.service import held_back
from bot.review.cards import round_ratings
from bot.rounds.errors import NoRoundRunning, RoundAlreadyRunning
from bot.rounds.plans import RoundPlan, admit_channel, make_plan
from bot.rounds.writer import AnswerWriter
from bot.shards import EVERY_SHARD, Shards

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
SEED_BITS = 62


@dataclass(frozen=True, slots=True)
class RankChange:
    """Where a player stands on the guild's all-time leaderboard before and after a round."""

    user_id: int
    before: int | None
    after: int


@dataclass(eq=False)
class LiveRound:
    """A running channel round: its engine state and the store ids that go with it."""

    id: int
    guild_id: int
    channel_id: int
    started_by: int
    seed: int
    bank_ids: tuple[str, ...]
    engine: Round
    question_ids: tuple[int, ...]
    message_ids: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    writes: dict[int, asyncio.Future[bool]] = field(default_factory=dict)  # by player: whether the answer stood
    # Reveals committed but not yet posted, by question index: the outbox entry and the reveal.
    unposted: dict[int, tuple[int, Reveal]] = field(default_factory=dict)
    # The outbox entry of the final standings, once the round's end is committed and until they are posted.
    standings_entry: int | None = None

    @property
    def total(self) -> int:
        """How many questions the round has."""
        return len(self.engine.questions)

    @property
    def current_question_id(self) -> int | None:
        """The store id of the open question, if one is open."""
        return self.question_ids[self.engine.index] if self.engine.current is not None else None


@dataclass(frozen=True, slots=True)
class OwedStandings:
    """A round that ended (committed) before its final standings were posted: what to post after a restart."""

    live: LiveRound
    standings: list[Standing]
    changes: list[RankChange]
    ended_at: datetime


class RoundService:
    """Starts, plays and ends channel rounds, one engine ``Round`` per running round."""

    def __init__(
        self,
        engine: AsyncEngine,
        library: BankLibrary,
        clock: Clock,
        *,
        batch_window: float = 0.0,
        ranks: RankIndex | None = None,
    ) -> None:
        self._sessions = create_sessionmaker(engine)
        self._ranks = ranks or RankIndex()
        self._library = library
        self._clock = clock
        self._live: dict[int, LiveRound] = {}
        self._writer = AnswerWriter(write_runner(engine), window=batch_window)

    async def aclose(self) -> None:
        """Release the answer writer (its thread and connection, on SQLite) once its last batch is stored."""
        await self._writer.aclose()

    def in_channel(self, channel_id: int) -> LiveRound | None:
        """The running round of a channel, if this process runs one."""
        return next((live for live in self._live.values() if live.channel_id == channel_id), None)

    def by_question(self, question_id: int) -> LiveRound | None:
        """The running round whose open question has this store id."""
        return next((live for live in self._live.values() if live.current_question_id == question_id), None)

    def get(self, round_id: int) -> LiveRound | None:
        """A running round by id."""
        return self._live.get(round_id)

    @property
    def live(self) -> Sequence[LiveRound]:
        """Every round this process is running."""
        return list(self._live.values())

    async def plan(
        self,
        *,
        guild_id: int,
        channel_id: int | None,
        started_by: int,
        bank: str | None = None,
        questions: int | None = None,
        seconds: int | None = None,
        missing_permissions: Sequence[str] = (),
        settings: repos.GuildSettings | None = None,
    ) -> RoundPlan:
        """Check that a round may start and decide its banks and rules; raises the round errors.

        ``channel_id`` None plans a private practice round, which no channel setting limits.
        ``missing_permissions`` names what the bot lacks in the channel; ``settings`` saves a read
        when the caller already has the guild's.
        """
        if channel_id is not None and self.in_channel(channel_id) is not None:
            raise RoundAlreadyRunning("a round is already running in this channel")
        if settings is None:
            async with self._sessions.begin() as session:
                settings = await repos.get_guild_settings(session, guild_id)
        if channel_id is not None:
            admit_channel(settings, channel_id, missing_permissions)
        return make_plan(
            self._library,
            settings,
            channel_id=channel_id,
            started_by=started_by,
            bank_id=bank,
            questions=questions,
            seconds=seconds,
        )

    async def start(
        self,
        plan: RoundPlan,
        *,
        seed: int | None = None,
        occurrence: OccurrenceClaim | None = None,
        message_id: int | None = None,
    ) -> LiveRound:
        """Draw the plan's questions and store it as a running channel round; raises RoundAlreadyRunning.

        A scheduled run passes its ``occurrence`` and announcement's ``message_id``: the round is stored only
        in the transaction that records them under the occurrence's fencing token (else `FenceLost`).
        """
        if plan.channel_id is None:
            raise ValueError("a practice round is not stored")
        guild_id, channel_id, banks = plan.guild_id, plan.channel_id, plan.banks
        by_id = {bank.id: bank for bank in banks}
        versions = {bank.id: self._library.version(bank.id, guild_id) for bank in banks}
        # Channel rounds are asked for in whole seconds (the store keeps an integer).
        seconds = int(plan.rules.seconds)
        seed = random.SystemRandom().getrandbits(SEED_BITS) if seed is None else seed
        try:
            async with self._sessions.begin() as session:
                if await repos.running_round(session, channel_id) is not None:
                    raise RoundAlreadyRunning("a round is already running in this channel")
                decks = await repos.load_decks(session, guild_id, plan.bank_ids)
                settings = await repos.get_guild_settings(session, guild_id)
                # Questions players reported wrong often enough sit out until an author acts on them.
                held = await held_back(session, self._library, guild_id, settings.report_hold_back)
                pools = {bank.id: tuple(q for q in bank.question_ids if (bank.id, q) not in held) for bank in banks}
                chosen, new_decks = draw_round(
                    decks, pools, plan.rules.questions, random.Random(seed), {bank.id: bank.groups for bank in banks}
                )
                played = [
                    PlayedQuestion.shuffled(number, by_id[bank_id].question(question_id), seed)
                    for number, (bank_id, question_id) in enumerate(chosen, start=1)
                ]
                stored = await repos.create_round(
                    session,
                    guild_id=guild_id,
                    channel_id=channel_id,
                    started_by=plan.started_by,
                    seed=seed,
                    seconds=seconds,
                    bank_ids=plan.bank_ids,
                    questions=played,
                    started_at=self._clock(),
                    bank_versions=versions,
                )
                await repos.save_decks(session, guild_id, new_decks)
                if occurrence is not None:
                    await record_started(session, occurrence, round_id=stored.id, message_id=message_id or 0)
        except IntegrityError as exc:
            # Another process started a round in this channel between our check and our insert.
            raise RoundAlreadyRunning("a round is already running in this channel") from exc
        live = LiveRound(
            id=stored.id,
            guild_id=guild_id,
            channel_id=channel_id,
            started_by=plan.started_by,
            seed=seed,
            bank_ids=stored.bank_ids,
            engine=Round(played, seconds=seconds, scoring=plan.rules.scoring),
            question_ids=tuple(q.id for q in stored.questions),
        )
        self._live[live.id] = live
        log.info("Round %s started in channel %s with %d questions", live.id, channel_id, len(played))
        return live

    async def open_next(self, live: LiveRound) -> OpenQuestion:
        """Open the round's next question and store when it opened and its deadline."""
        opened = live.engine.open_next(self._clock())
        async with self._sessions.begin() as session:
            await repos.mark_question_opened(
                session, live.question_ids[live.engine.index], opened_at=opened.opened_at, deadline=opened.deadline
            )
        return opened

    async def set_message(self, live: LiveRound, message_id: int) -> None:
        """Remember which message shows the open question."""
        question_id = live.current_question_id
        if question_id is None:
            return
        live.message_ids[live.engine.index] = message_id
        async with self._sessions.begin() as session:
            await repos.set_question_message(session, question_id, message_id)

    async def answer(self, live: LiveRound, question_id: int, user_id: int, name: str, position: int) -> Answer:
        """Take a player's answer to the open question and commit it; raises the engine's errors."""
        if live.current_question_id != question_id:
            raise QuestionClosed("this question is closed")
        answer = live.engine.answer(user_id, position, self._clock())
        played = live.engine.questions[live.engine.index]
        record = repos.NewAnswer(
            round_question_id=question_id,
            guild_id=live.guild_id,
            user_id=user_id,
            bank_id=played.question.bank_id,
            question_id=played.question.id,
            position=position,
            choice_index=played.order[position],
            answered_at=answer.answered_at,
            elapsed_ms=round(answer.elapsed.total_seconds() * 1000),
        )
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        live.writes[user_id] = done
        stored = False
        try:
            await self._writer.write(record, None if live.names.get(user_id) == name else name)
            stored = True
        except BaseException:
            live.engine.withdraw(user_id)
            raise
        finally:
            done.set_result(stored)
            if live.writes.get(user_id) is done:
                del live.writes[user_id]
        live.names[user_id] = name
        return answer

    async def settled(self, live: LiveRound, user_id: int) -> bool:
        """Wait until the player's answer in flight (if any) is stored; False if storing it failed."""
        pending = live.writes.get(user_id)
        return True if pending is None else await asyncio.shield(pending)

    async def close(self, live: LiveRound) -> Reveal:
        """Close the open question once its pending answers are stored, and award its points."""
        while live.writes:
            await asyncio.gather(*live.writes.values())
        question_id = live.current_question_id
        if question_id is None:
            raise NoRoundRunning("no question is open")
        reveal = live.engine.close(self._clock())
        results = [repos.AnswerResult(a.player_id, a.correct, a.points, a.streak) for a in reveal.answers]
        ratings = round_ratings(reveal, live.engine.tallies, live.engine.limit)
        async with self._sessions.begin() as session:
            closed = await repos.close_question(
                session, question_id, self._clock(), results, reveal.broken_streaks, ratings
            )
            entry = None
            if closed is not None:
                # Kept for the other processes' rank indexes, and hinted to them, in the close's transaction.
                await record_score_moves(session, closed)
                # In the same transaction: a process killed before posting the reveal posts it after restarting.
                entry = await repos.owe_reveal(session, question_id)
        if closed is not None:
            self._ranks.record(closed)
        if entry is not None:
            live.unposted[live.engine.index] = (entry, reveal)
        return reveal

    async def posted(self, live: LiveRound, index: int) -> None:
        """Record that the reveal of the question at ``index`` is in the channel (its outbox entry is done)."""
        owed = live.unposted.pop(index, None)
        if owed is None:
            return
        async with self._sessions.begin() as session:
            await repos.delivered(session, owed[0])

    async def finish(self, live: LiveRound, *, stopped: bool = False) -> tuple[list[Standing], list[RankChange]]:
        """End the round; returns its standings and each player's move on the all-time leaderboard."""
        self._live.pop(live.id, None)
        standings = live.engine.standings()
        status = RoundStatus.STOPPED if stopped else RoundStatus.FINISHED
        async with self._sessions.begin() as session:
            ended = await repos.finish_round(session, live.id, ended_at=self._clock(), status=status)
            changes = await _rank_changes(session, self._ranks, live, standings)
            # In the end's transaction: nothing the round still owed is posted once it has ended (a stopped or
            # abandoned round says so itself), and a finished round owes its standings until they are posted.
            await repos.forget_round(session, live.id)
            live.unposted.clear()
            if ended and not stopped and live.question_ids:
                live.standings_entry = await repos.owe_standings(session, live.question_ids[-1])
        log.info("Round %s %s", live.id, status.value)
        return standings, changes

    async def standings_posted(self, live: LiveRound) -> None:
        """Record that a finished round's standings are in the channel (or can never be): its outbox entry is done."""
        entry, live.standings_entry = live.standings_entry, None
        if entry is not None:
            async with self._sessions.begin() as session:
                await repos.delivered(session, entry)

    async def owed_standings(self, shards: Shards = EVERY_SHARD) -> list[OwedStandings]:
        """The rounds of guilds on ``shards`` that ended before their standings were posted (after a restart)."""
        async with self._sessions.begin() as session:
            owed = await repos.owed_standings(session, shards=shards)
        found: list[OwedStandings] = []
        for entry, stored in owed:
            try:
                live, _ = self._replay(stored)
            except Exception:
                log.exception("Round %s could not be replayed; its standings will not be posted", stored.id)
                async with self._sessions.begin() as session:
                    await repos.delivered(session, entry)
                continue
            live.standings_entry = entry
            standings = live.engine.standings()
            players = {answer.user_id for question in stored.questions for answer in question.answers}
            async with self._sessions.begin() as session:
                live.names.update(await repos.player_names(session, live.guild_id, players))
                changes = await _rank_changes(session, self._ranks, live, standings)
            found.append(OwedStandings(live, standings, changes, stored.ended_at or self._clock()))
        return found

    def forget(self, live: LiveRound) -> None:
        """Stop tracking a round in this process without touching the store (when the store cannot be reached)."""
        self._live.pop(live.id, None)

    async def restore(self, shards: Shards = EVERY_SHARD) -> list[LiveRound]:
        """Rebuild every running channel round of the guilds on ``shards`` from the store (after a restart)."""
        async with self._sessions.begin() as session:
            stored_rounds = await repos.unfinished_rounds(session, shards=shards)
        restored: list[LiveRound] = []
        for stored in stored_rounds:
            try:
                live, reveals = self._replay(stored)
            except Exception:
                log.exception("Round %s could not be restored; stopping it", stored.id)
                async with self._sessions.begin() as session:
                    await repos.finish_round(session, stored.id, ended_at=self._clock(), status=RoundStatus.STOPPED)
                    await repos.forget_round(session, stored.id)
                continue
            players = {answer.user_id for question in stored.questions for answer in question.answers}
            async with self._sessions.begin() as session:
                live.names.update(await repos.player_names(session, live.guild_id, players))
                owed = await repos.owed_reveals(session, [q.id for q in stored.questions if q.closed_at is not None])
            for index, reveal in reveals.items():
                if (entry := owed.get(live.question_ids[index])) is not None:
                    live.unposted[index] = (entry, reveal)
            self._live[live.id] = live
            restored.append(live)
        return restored

    def _replay(self, stored: repos.StoredRound) -> tuple[LiveRound, dict[int, Reveal]]:
        """The round rebuilt through the engine, and the reveal of each closed question by index."""
        # The versions the round was started with, so it replays the questions it really asked.
        banks = {
            bank_id: self._library.at_version(bank_id, stored.guild_id, stored.bank_versions.get(bank_id))
            for bank_id in stored.bank_ids
        }
        played = [
            PlayedQuestion(q.position + 1, banks[q.bank_id].question(q.question_id), q.choice_order)
            for q in stored.questions
        ]
        engine = Round(played, seconds=stored.seconds, scoring=scoring_of(list(banks.values())))
        live = LiveRound(
            id=stored.id,
            guild_id=stored.guild_id,
            channel_id=stored.channel_id,
            started_by=stored.started_by,
            seed=stored.seed,
            bank_ids=stored.bank_ids,
            engine=engine,
            question_ids=tuple(q.id for q in stored.questions),
        )
        reveals: dict[int, Reveal] = {}
        for question in stored.questions:
            if question.opened_at is None:
                break
            engine.open_next(question.opened_at)
            if question.message_id is not None:
                live.message_ids[question.position] = question.message_id
            for answer in sorted(question.answers, key=lambda a: a.answered_at):
                engine.answer(answer.user_id, answer.position, answer.answered_at)
            if question.closed_at is not None:
                reveals[question.position] = engine.close(question.closed_at)
        return live, reveals


async def _rank_changes(
    session: AsyncSession, ranks: RankIndex, live: LiveRound, standings: Sequence[Standing]
) -> list[RankChange]:
    """Each player's all-time rank now, and what it was before this round's points (None if unranked).

    Two reads whatever the number of players: their totals, and the guild's sorted points.
    """
    gained = {s.player_id: s.points for s in standings}
    totals = await repos.round_players_totals(session, live.guild_id, live.id)
    board = await ranks.snapshot(session, live.guild_id)
    # Each round player's points before the round and now, sorted. Everyone above a player's old points
    # now was above them before too, except round players (the player included) whose span covers them.
    ranked = [p for p in gained if p in totals]
    starts = sorted(totals[p] - gained[p] for p in ranked)
    ends = sorted(totals[p] for p in ranked)
    changes: list[RankChange] = []
    for player in ranked:
        total = totals[player]
        before_points = total - gained[player]
        before: int | None = None
        if before_points > 0:
            passed = bisect_right(starts, before_points) - bisect_right(ends, before_points)
            before = 1 + board.above(before_points) - passed
        changes.append(RankChange(player, before, 1 + board.above(total)))
    return changes
