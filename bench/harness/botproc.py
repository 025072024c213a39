"""The bot's own process: ``python -m bench.harness.botproc --kind baseline|quizbot --fake URL``.

It points discord.py at the fake, starts the bot, prints ``READY {json}`` on stdout when ``on_ready`` fires, then
answers ``stats`` on stdin with ``STATS {json}`` (its own CPU time and memory) until it reads ``quit``.
Only this process's work is in those figures: the fake and the driver run elsewhere.
"""

from __future__ import annotations

import time

# Taken before the heavy imports, so start-up time includes importing discord.py and the bot.
STARTED = time.perf_counter()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import discord  # noqa: E402
import yarl  # noqa: E402
from discord.ext import commands  # noqa: E402

log = logging.getLogger(__name__)

# discord.py waits this long after the last GUILD_CREATE before on_ready (2 s by default).
GUILD_READY_TIMEOUT = 0.05


class GcPauses:
    """Opt-in (``QUIZBOT_BENCH_GC=1``): how long the collector stopped the process, per generation.

    Wall time (what the clicks waited) and the thread's CPU time (what the collection cost: on a busy machine the
    wall time also holds the moments the process was not running). A callback on every collection costs a little
    CPU, so it is off unless asked for.
    """

    SLOW = 0.001  # collections at least this long (wall) are also kept one by one (when, generation, seconds)

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.cpu_seconds = [0.0, 0.0, 0.0]
        self.slow: list[tuple[float, int, float]] = []
        self._began = 0.0
        self._began_cpu = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        """``gc.callbacks`` hook."""
        now, cpu = time.perf_counter(), time.thread_time()
        if phase == "start":
            self._began, self._began_cpu = now, cpu
            return
        took, generation = now - self._began, info["generation"]
        self.seconds[generation] += took
        self.cpu_seconds[generation] += cpu - self._began_cpu
        if took >= self.SLOW:
            self.slow = [*self.slow[-199:], (now, generation, took)]

    def figures(self) -> dict[str, Any]:
        """So far: wall and CPU seconds per generation, and the slow collections."""
        return {"gc_seconds": list(self.seconds), "gc_cpu_seconds": list(self.cpu_seconds), "gc_slow": list(self.slow)}


GC_PAUSES: GcPauses | None = None


def own_usage() -> dict[str, Any]:
    """This process's CPU seconds (user + system) and memory (current and peak RSS, in MiB)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_kib = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss_kib = int(line.split()[1])
    return {
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "threads": thread_cpu(),
        "thread_count": len(list(Path("/proc/self/task").iterdir())),
        "rss_mib": rss_kib / 1024,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "t": time.perf_counter(),
        "gc_collections": [generation["collections"] for generation in gc.get_stats()],
        **({} if GC_PAUSES is None else GC_PAUSES.figures()),
    }


class Profiler:
    """Opt-in profile of the measured window only, so start-up is left out.

    ``QUIZBOT_BENCH_PROFILE=path`` writes a cProfile; with ``QUIZBOT_BENCH_PYSPY=/path/to/py-spy`` as well, a
    py-spy sampling record (speedscope format) instead, which distorts far less than cProfile. ``{kind}`` and
    ``{pid}`` in the path are replaced, so the runs of both bots (and of several processes) keep their own files;
    ``QUIZBOT_BENCH_PYSPY_RATE`` sets py-spy's samples per second (1,000 by default; on 2 busy cores 200 distorts
    less).
    """

    def __init__(self, path: str | None, py_spy: str | None, *, kind: str = "", rate: str | None = None) -> None:
        self._path = path.replace("{kind}", kind).replace("{pid}", str(os.getpid())) if path else path
        self._py_spy = py_spy
        self._rate = rate or "1000"
        self._profile: Any = None
        self._sampler: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Begin profiling, if a path was given."""
        if not self._path:
            return
        if self._py_spy:
            command = [self._py_spy, "record", "--pid", str(os.getpid()), "--rate", self._rate, "--nonblocking"]
            command += ["--format", "speedscope"]
            self._sampler = subprocess.Popen([*command, "--output", self._path], stdout=subprocess.DEVNULL)
            time.sleep(0.5)  # py-spy needs a moment to attach
            return
        import cProfile

        self._profile = cProfile.Profile()
        self._profile.enable()

    def stop(self) -> None:
        """Stop and write the profile to the path."""
        if self._sampler is not None:
            self._sampler.send_signal(signal.SIGINT)
            self._sampler.wait(30)
            self._sampler = None
        if self._profile is not None:
            self._profile.disable()
            self._profile.dump_stats(self._path)
            self._profile = None


def thread_cpu() -> dict[str, float]:
    """CPU seconds of the main thread (the event loop) and of all live other threads (database drivers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = {"main": 0.0, "other": 0.0}
    for task in Path("/proc/self/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        out["main" if int(task.name) == os.getpid() else "other"] += (int(fields[11]) + int(fields[12])) / ticks
    return out


def writer_counts(bot: discord.Client) -> dict[str, int]:
    """quizbot's answer writer: transactions committed and answers in them (nothing for the baseline)."""
    rounds = getattr(bot, "_rounds", None)
    if rounds is None:
        return {}
    writer = rounds._writer
    return {"answer_commits": writer.batches, "answers_written": writer.written}


def emit(tag: str, data: dict[str, Any]) -> None:
    """One protocol line on stdout (logging goes to stderr)."""
    sys.stdout.write(f"{tag} {json.dumps(data)}\n")
    sys.stdout.flush()


def build_bot(args: argparse.Namespace) -> discord.Client:
    """The client under test."""
    kind, data_dir, banks_dir, reveal_pause = args.kind, args.data_dir, args.banks_dir, args.reveal_pause
    if kind == "baseline" and args.shard_count is not None:
        from bench.baseline import ShardedBaselineBot

        shard_ids = list(range(args.shard_count)) if args.shard_ids is None else args.shard_ids
        return ShardedBaselineBot(args.shard_count, shard_ids)
    if kind == "baseline":
        from bench.baseline import BaselineBot

        return BaselineBot()
    # As `quizbot run` does: the collector paused while quizbot's modules load, until setup_hook resumes it.
    gc.disable()
    from bot.client import create_bot
    from bot.settings import Settings

    assert data_dir is not None and banks_dir is not None
    # _env_file=None: a developer's .env must not leak into the benchmark's settings.
    settings = Settings(
        _env_file=None,
        data_dir=data_dir,
        banks_dir=banks_dir,
        discord_token="x",
        log_level="WARNING",
        reveal_pause_seconds=reveal_pause,
    )
    return create_bot(settings)


async def run(args: argparse.Namespace) -> None:
    """Start the bot against the fake, report readiness, then serve stats requests."""
    discord.http.Route.BASE = f"{args.fake}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(args.fake.replace("http://", "ws://", 1) + "/gateway")
    if args.data_dir is not None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
    imported = time.perf_counter()
    bot = build_bot(args)
    bot._connection.guild_ready_timeout = GUILD_READY_TIMEOUT
    marks: dict[str, float] = {"imported": imported - STARTED, "built": time.perf_counter() - STARTED}
    ready = asyncio.Event()

    original_setup = bot.setup_hook

    async def timed_setup() -> None:
        begun = time.perf_counter()
        await original_setup()
        marks["setup_hook"] = time.perf_counter() - begun

    bot.setup_hook = timed_setup  # type: ignore[method-assign]

    async def on_ready() -> None:
        if not ready.is_set():
            marks["ready"] = time.perf_counter() - STARTED
            ready.set()

    if isinstance(bot, commands.Bot):
        bot.add_listener(on_ready)  # keeps any on_ready the bot has of its own
    else:
        bot.on_ready = on_ready  # type: ignore[attr-defined]
    task = asyncio.create_task(bot.start("x"))
    waiter = asyncio.create_task(ready.wait())
    done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()
        raise RuntimeError("the bot stopped before it was ready")
    emit("READY", {**marks, "guilds": len(bot.guilds), **own_usage()})
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    profiler = Profiler(
        os.environ.get("QUIZBOT_BENCH_PROFILE"),
        os.environ.get("QUIZBOT_BENCH_PYSPY"),
        kind=args.kind,
        rate=os.environ.get("QUIZBOT_BENCH_PYSPY_RATE"),
    )
    while line := (await reader.readline()).decode().strip():
        if line == "quit":
            break
        if line == "stats":
            emit("STATS", {**own_usage(), **writer_counts(bot)})
        elif line == "profile start":
            profiler.start()
        elif line == "profile stop":
            profiler.stop()
    await bot.close()
    await task


def _shard_ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main() -> None:
    """Parse the arguments and run the bot until told to quit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kind", choices=["baseline", "quizbot"], required=True)
    parser.add_argument("--fake", required=True, help="the fake's base URL, http://127.0.0.1:PORT")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--banks-dir", type=Path)
    parser.add_argument("--reveal-pause", type=float, default=8.0)
    parser.add_argument("--shard-count", type=int, help="baseline only: run sharded, with this many shards in all")
    parser.add_argument("--shard-ids", type=_shard_ids, help="baseline only: this process's shards, e.g. 0,2")
    parser.add_argument("--log-info", nargs="*", default=[], help="loggers to log at INFO (e.g. bot.client)")
    parser.add_argument("--die-at", help="quizbot only: SIGKILL itself at this step of a scheduled start")
    parser.add_argument("--lease", type=float, help="quizbot only: the schedule dispatcher's lease, in seconds")
    args = parser.parse_args()
    if args.kind == "quizbot" and (args.shard_count is not None or args.shard_ids is not None):
        parser.error("quizbot takes its shards from its own settings (the environment), not from these options")
    if args.shard_ids is not None and args.shard_count is None:
        parser.error("--shard-ids needs --shard-count")
    if args.kind == "quizbot" and (args.die_at is not None or args.lease is not None):
        from bench.harness import crash

        crash.install(args.die_at, lease=args.lease)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="bot %(levelname)s %(name)s: %(message)s")
    if os.environ.get("QUIZBOT_BENCH_GC"):
        global GC_PAUSES
        GC_PAUSES = GcPauses()
        gc.callbacks.append(GC_PAUSES)
    for name in args.log_info:
        logging.getLogger(name).setLevel(logging.INFO)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
