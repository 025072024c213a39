"""The workloads of the issue's targets, each run against a fresh world in the fake and a fresh bot process."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import statistics
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness.measure import percentile, wait_for
from bench.harness.procs import REPO, BotProcess, FakeProcess

log = logging.getLogger(__name__)

JSON = dict[str, Any]
BANKS_DIR = REPO / "questions"
# Players in the measured burst get ids from here; warm-up players stay below it.
PLAYER_BASE = 10_000_000
MODERATOR = 42


@dataclass
class ClickRun:
    """One P1 run: how many clicks were acknowledged, how fast, and at what CPU cost to the bot."""

    kind: str
    clicks: int
    acked: int
    latencies_ms: list[float]
    cpu_s: float
    cpu_main_s: float  # of cpu_s, the event loop's thread; the rest is other threads (the SQLite driver's)
    commits: int  # transactions the answer writer committed during the burst (0 for the baseline)
    refused: int
    rate_limited: int
    gc_collections: list[int] = field(default_factory=list)  # per generation, during the burst
    gc_pause_ms: list[float] = field(default_factory=list)  # with QUIZBOT_BENCH_GC=1: total stop per generation
    gc_cpu_ms: list[float] = field(default_factory=list)  # the same in the collector's CPU time
    gc_slow_ms: list[tuple[int, float]] = field(default_factory=list)  # and each of 1 ms or more: (generation, ms)

    @property
    def p50_ms(self) -> float:
        """Median dispatch-to-callback latency."""
        return percentile(self.latencies_ms, 50) if self.latencies_ms else float("nan")

    @property
    def p99_ms(self) -> float:
        """99th percentile dispatch-to-callback latency."""
        return percentile(self.latencies_ms, 99) if self.latencies_ms else float("nan")

    @property
    def cpu_per_click_us(self) -> float:
        """The bot process's CPU time per click in the burst, in microseconds."""
        return self.cpu_s / self.clicks * 1e6

    @property
    def loop_cpu_per_click_us(self) -> float:
        """Of that, the event loop thread's share."""
        return self.cpu_main_s / self.clicks * 1e6


@dataclass
class RoundsRun:
    """One P4 run: lateness of every question's close against its deadline, and the 429s."""

    rounds: int
    questions_closed: int
    questions_expected: int
    lateness_ms: list[float]
    rate_limited: JSON
    unknown_routes: JSON
    clicks_acked: int
    clicks: int
    starts_acked: int = 0  # /quiz start commands acknowledged (deferred) within Discord's 3 s
    start_latencies_ms: list[float] = field(default_factory=list)


@dataclass
class MemoryRun:
    """One P5 run: the bot's resident memory with many guilds and live rounds."""

    kind: str
    guilds: int
    rounds_live: int
    rss_mib: float
    peak_rss_mib: float
    ready_rss_mib: float  # at on_ready, before any round
    threads: int  # the bot's threads at the end (the event loop, database connections' threads, ...)


@dataclass
class StartRun:
    """P6: start-to-ready times on an up-to-date database."""

    kind: str
    ready_s: list[float]
    setup_hook_s: list[float]
    imported_s: list[float] = field(default_factory=list)
    built_s: list[float] = field(default_factory=list)
    first_s: float = float("nan")  # the first start, on a new database (migrations included)


# ---- helpers ----------------------------------------------------------------------------------------------------


async def _settle_cpu(bot: BotProcess, quiet_s: float = 0.25, idle_cpu_s: float = 0.002, limit_s: float = 10) -> JSON:
    """Wait until the bot's CPU use goes quiet (its post-acknowledgement work done); return its usage then."""
    previous = await bot.usage()
    give_up = time.monotonic() + limit_s
    while time.monotonic() < give_up:
        await asyncio.sleep(quiet_s)
        current = await bot.usage()
        if current["cpu_s"] - previous["cpu_s"] < idle_cpu_s:
            return current
        previous = current
    return previous


async def _acked(fake: FakeProcess, count: int) -> bool:
    stats = await fake.get("stats")
    return bool(stats["interactions"]["acked"] >= count)


def _quiz_command(fake_commands: JSON, *, questions: int, seconds: int) -> JSON:
    """The application-command data of ``/quiz start``, with the id the bot's sync was given."""
    command_id = next(c["id"] for cs in fake_commands.values() for c in cs if c["name"] == "quiz")
    options = [{"name": "questions", "type": 4, "value": questions}, {"name": "seconds", "type": 4, "value": seconds}]
    return {
        "id": command_id,
        "name": "quiz",
        "type": 1,
        "options": [{"name": "start", "type": 1, "options": options}],
    }


def _answer_ids(body: JSON) -> list[str]:
    return [
        item["custom_id"]
        for row in body.get("components") or []
        for item in row.get("components") or []
        if str(item.get("custom_id", "")).startswith("quiz:a:")
    ]


def _is_standings(body: JSON) -> bool:
    return any("standings" in (embed.get("title") or "") for embed in body.get("embeds") or [])


async def _question_messages(fake: FakeProcess, since: int = 0) -> list[JSON]:
    """Create events of messages carrying answer buttons."""
    return [e for e in await fake.get(f"events?since={since}") if e["op"] == "create" and _answer_ids(e["body"])]


async def _start_rounds(fake: FakeProcess, channels: list[tuple[int, int]], *, questions: int, seconds: int) -> None:
    """``/quiz start`` in each (guild, channel), as a moderator."""
    data = _quiz_command(await fake.get("commands"), questions=questions, seconds=seconds)
    for guild_id, channel_id in channels:
        body = {"guild_id": guild_id, "channel_id": channel_id, "user_id": MODERATOR, "kind": "command", "data": data}
        await fake.post("dispatch", body)


Target = tuple[int, int, int | None, list[str]]  # guild, channel, message (None: any), answer custom_ids


async def _one_open_question(fake: FakeProcess, guild_id: int, channel_id: int) -> Target:
    """Start a one-question round of 60 s in the channel and wait for its question: what to click."""
    await _start_rounds(fake, [(guild_id, channel_id)], questions=1, seconds=60)
    found: list[JSON] = []

    async def asked() -> bool:
        found[:] = await _question_messages(fake)
        return bool(found)

    if not await wait_for(asked, 15):
        raise RuntimeError("quizbot never asked a question")
    return guild_id, channel_id, found[0]["message_id"], _answer_ids(found[0]["body"])


def _clicks(targets: list[Target], count: int, user_base: int) -> list[list[Any]]:
    """``count`` clicks by distinct users, spread round-robin over the targets and their buttons."""
    clicks = []
    for i in range(count):
        guild_id, channel_id, message_id, custom_ids = targets[i % len(targets)]
        clicks.append(
            [guild_id, channel_id, user_base + i, custom_ids[(i // len(targets)) % len(custom_ids)], message_id]
        )
    return clicks


# ---- P1 ---------------------------------------------------------------------------------------------------------


async def p1_clicks(fake: FakeProcess, kind: str, tmp: Path, *, clicks: int = 1000, spread: float = 2.0) -> ClickRun:
    """P1: ``clicks`` distinct players click an answer of one open question within ``spread`` seconds."""
    world = await fake.post("reset", {"guilds": 1, "channels_per_guild": 1})
    guild_id = world["guilds"][0]["id"]
    channel_id = world["guilds"][0]["channel_ids"][0]
    async with BotProcess(kind, fake.url, data_dir=tmp / "data", banks_dir=BANKS_DIR) as bot:
        target: Target = (guild_id, channel_id, None, ["answer:0", "answer:1"])
        already = 0
        if kind == "quizbot":
            target = await _one_open_question(fake, guild_id, channel_id)
            already = 1
        # Warm-up: the first clicks pay for lazy imports and caches, in either bot.
        warm = 50
        await fake.post("burst", {"clicks": _clicks([target], warm, 1), "spread_s": 0.25})
        await wait_for(lambda: _acked(fake, already + warm), 15)
        before = await _settle_cpu(bot)
        await bot.profile(True)
        await fake.post("burst", {"clicks": _clicks([target], clicks, PLAYER_BASE), "spread_s": spread})
        await wait_for(lambda: _acked(fake, already + warm + clicks), spread + 15)
        after = await _settle_cpu(bot)
        await bot.profile(False)
        records = await fake.get("interactions")
        stats = await fake.get("stats")
    burst = [r for r in records if r["user_id"] >= PLAYER_BASE]
    latencies = [r["latency"] * 1000 for r in burst if r["latency"] is not None]
    return ClickRun(
        kind=kind,
        clicks=clicks,
        acked=len(latencies),
        latencies_ms=latencies,
        cpu_s=after["cpu_s"] - before["cpu_s"],
        cpu_main_s=after["threads"]["main"] - before["threads"]["main"],
        commits=after.get("answer_commits", 0) - before.get("answer_commits", 0),
        refused=sum(len(r["refusals"]) for r in burst),
        rate_limited=sum(stats["tally"]["rate_limited"].values()),
        gc_collections=[a - b for a, b in zip(after["gc_collections"], before["gc_collections"], strict=True)],
        gc_pause_ms=[
            (a - b) * 1000 for a, b in zip(after.get("gc_seconds", []), before.get("gc_seconds", []), strict=True)
        ],
        gc_cpu_ms=[
            (a - b) * 1000
            for a, b in zip(after.get("gc_cpu_seconds", []), before.get("gc_cpu_seconds", []), strict=True)
        ],
        gc_slow_ms=[(g, took * 1000) for at, g, took in after.get("gc_slow", []) if before["t"] < at <= after["t"]],
    )


# ---- D1: durability ---------------------------------------------------------------------------------------------


@dataclass
class CrashRun:
    """D1: which clicks were acknowledged before the bot was killed, and which answers its database kept."""

    clicks_sent: int
    acked: int
    stored: int
    acked_not_stored: int  # must be 0: a "Locked in" whose answer was lost


async def d1_crash(fake: FakeProcess, tmp: Path, *, clicks: int = 1000, spread: float = 2.0) -> CrashRun:
    """D1: SIGKILL quizbot halfway through a burst of clicks; every acknowledged answer must be in its database."""
    world = await fake.post("reset", {"guilds": 1, "channels_per_guild": 1})
    guild_id = world["guilds"][0]["id"]
    channel_id = world["guilds"][0]["channel_ids"][0]
    data_dir = tmp / "d1"
    bot = BotProcess("quizbot", fake.url, data_dir=data_dir, banks_dir=BANKS_DIR)
    await bot.start()
    try:
        target = await _one_open_question(fake, guild_id, channel_id)
        await fake.post("burst", {"clicks": _clicks([target], clicks, PLAYER_BASE), "spread_s": spread})
        await wait_for(lambda: _acked(fake, 1 + clicks // 2), spread + 15, every=0.005)
    finally:
        await bot.kill()
    acked = {r["user_id"] for r in await fake.get("interactions") if r["user_id"] >= PLAYER_BASE and r["latency"]}
    with sqlite3.connect(f"file:{data_dir / 'quizbot.sqlite3'}?mode=ro", uri=True) as db:
        stored = {int(row[0]) for row in db.execute("SELECT user_id FROM answers WHERE user_id >= ?", (PLAYER_BASE,))}
    return CrashRun(clicks, len(acked), len(stored), len(acked - stored))


# ---- P4 ---------------------------------------------------------------------------------------------------------


def _deadlines(database: Path) -> dict[int, float]:
    """Each asked question's message id and deadline (Unix time), from the bot's SQLite file after the run."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT message_id, deadline FROM round_questions WHERE message_id IS NOT NULL").fetchall()
    out = {}
    for message_id, deadline in rows:
        if deadline is None:
            continue
        moment = datetime.fromisoformat(str(deadline))
        out[int(message_id)] = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    return out


async def p4_rounds(
    fake: FakeProcess,
    tmp: Path,
    *,
    rounds: int = 200,
    questions: int = 2,
    seconds: int = 20,
    clicks_per_question: int = 3,
) -> RoundsRun:
    """P4: ``rounds`` rounds at once in as many channels (one per guild), a few players clicking each question."""
    world = await fake.post("reset", {"guilds": rounds, "channels_per_guild": 1})
    channels = [(g["id"], g["channel_ids"][0]) for g in world["guilds"]]
    data_dir = tmp / "p4"
    pause = 2.0
    clicks_sent = 0
    async with BotProcess("quizbot", fake.url, data_dir=data_dir, banks_dir=BANKS_DIR, reveal_pause=pause):
        await _start_rounds(fake, channels, questions=questions, seconds=seconds)
        seen: set[int] = set()
        user = PLAYER_BASE
        give_up = time.monotonic() + questions * (seconds + pause) + 120
        standings = 0
        while time.monotonic() < give_up:
            events = await fake.get("events")
            for event in events:
                if event["op"] != "create" or event["message_id"] in seen or not _answer_ids(event["body"]):
                    continue
                seen.add(event["message_id"])
                guild_id = next(g for g, c in channels if c == event["channel_id"])
                target = (guild_id, event["channel_id"], event["message_id"], _answer_ids(event["body"]))
                batch = _clicks([target], clicks_per_question, user)
                user += clicks_per_question
                clicks_sent += len(batch)
                await fake.post("burst", {"clicks": batch, "spread_s": 1.0})
            standings = sum(1 for e in events if e["op"] == "create" and _is_standings(e["body"]))
            if len(seen) >= rounds * questions and standings >= rounds:
                break
            await asyncio.sleep(0.25)
        events = await fake.get("events")
        stats = await fake.get("stats")
        records = await fake.get("interactions")
    deadlines = _deadlines(data_dir / "quizbot.sqlite3")
    closes: dict[int, float] = {}
    for event in events:
        if event["op"] == "edit" and event["message_id"] in deadlines and event["message_id"] not in closes:
            closes[event["message_id"]] = event["wall"]
    lateness = [(closes[m] - deadlines[m]) * 1000 for m in closes]
    players = [r for r in records if r["user_id"] >= PLAYER_BASE]
    starts = [r for r in records if r["user_id"] == MODERATOR]
    return RoundsRun(
        rounds=rounds,
        questions_closed=len(closes),
        questions_expected=rounds * questions,
        lateness_ms=lateness,
        rate_limited=stats["tally"]["rate_limited"],
        unknown_routes=stats["tally"]["unknown_routes"],
        clicks_acked=sum(r["acked_at"] is not None for r in players),
        clicks=clicks_sent,
        starts_acked=sum(r["acked_at"] is not None for r in starts),
        start_latencies_ms=[r["latency"] * 1000 for r in starts if r["latency"] is not None],
    )


# ---- P5 ---------------------------------------------------------------------------------------------------------


async def p5_memory(fake: FakeProcess, kind: str, tmp: Path, *, guilds: int = 1000, rounds: int = 200) -> MemoryRun:
    """P5: the bot's RSS with ``guilds`` guilds connected and, for quizbot, ``rounds`` rounds live."""
    world = await fake.post("reset", {"guilds": guilds, "channels_per_guild": 1})
    channels = [(g["id"], g["channel_ids"][0]) for g in world["guilds"]][:rounds]
    async with BotProcess(kind, fake.url, data_dir=tmp / f"p5-{kind}", banks_dir=BANKS_DIR) as bot:
        live = 0
        if kind == "quizbot":
            await _start_rounds(fake, channels, questions=1, seconds=120)

            async def all_asked() -> bool:
                return len(await _question_messages(fake)) >= rounds

            await wait_for(all_asked, 60, every=0.5)
            live = len(await _question_messages(fake))
        usage = await bot.usage()
        guilds_seen = int(bot.ready["guilds"])
    return MemoryRun(
        kind,
        guilds_seen,
        live,
        usage["rss_mib"],
        usage["peak_rss_mib"],
        float(bot.ready["rss_mib"]),
        int(usage["thread_count"]),
    )


# ---- P6 ---------------------------------------------------------------------------------------------------------


async def p6_start(fake: FakeProcess, kind: str, tmp: Path, *, runs: int = 5) -> StartRun:
    """P6: start to ready on an up-to-date database; a first, unmeasured start creates and migrates it."""
    await fake.post("reset", {"guilds": 1, "channels_per_guild": 1})
    data_dir = tmp / f"p6-{kind}"
    async with BotProcess(kind, fake.url, data_dir=data_dir, banks_dir=BANKS_DIR) as first:
        result = StartRun(kind, [], [], first_s=float(first.ready["ready"]))
    for _ in range(runs):
        await fake.post("reset", {"guilds": 1, "channels_per_guild": 1})
        async with BotProcess(kind, fake.url, data_dir=data_dir, banks_dir=BANKS_DIR) as bot:
            result.ready_s.append(float(bot.ready["ready"]))
            result.setup_hook_s.append(float(bot.ready.get("setup_hook", 0.0)))
            result.imported_s.append(float(bot.ready["imported"]))
            result.built_s.append(float(bot.ready["built"]))
    return result


def median(values: list[float]) -> float:
    """The median, NaN for no values."""
    return statistics.median(values) if values else float("nan")
