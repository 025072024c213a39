"""Run every benchmark against the fake Discord and print each figure against its target.

    .venv/bin/python -m bench.run                 # everything (about 2 minutes on 2 cores)
    .venv/bin/python -m bench.run --only P1 P6    # some of it
    .venv/bin/python -m bench.run --bots baseline # the bare discord.py bot alone
    .venv/bin/python -m bench.run --only P8 P9 --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres

Three processes: this driver, the fake (``python -m bench.fakediscord``) and the bot under test
(``python -m bench.harness.botproc``), so the bot's CPU time and memory are its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import platform
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # ``python bench/run.py`` as well as ``python -m bench.run``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bank_loading, scaling, upload_burst
from bench.bank_loading import measure as bank_measure
from bench.closing import run as closing_run
from bench.crossboard import run as crossboard_run
from bench.harness import workloads as w
from bench.harness.measure import percentile
from bench.harness.pgdb import fresh_database, server_from_env
from bench.harness.procs import LOG_DIR, FakeProcess
from bench.leaderboard import run as board_run
from bench.scheduled import scheduled_starts

log = logging.getLogger(__name__)

MB = 1_000_000 / 2**20  # MiB per MB


@dataclass
class Row:
    """One line of the table."""

    id: str
    workload: str
    figure: str
    value: str
    target: str
    verdict: str


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "FAIL")


def quizbot_available() -> bool:
    """Whether the real bot (with its rounds feature) can be imported."""
    try:
        import bot.client
        import bot.exts.play  # noqa: F401
    except ImportError as error:
        log.warning("quizbot is not available (%s); measuring the baseline only", error)
        return False
    return True


def machine() -> str:
    """nproc, CPU model and RAM, for the record."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    ram = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        ram = f", {kib / 2**20:.1f} GiB RAM"
    return f"{os.cpu_count()} CPUs ({model}){ram}, Python {platform.python_version()}"


async def exactly_once_rows(fake: FakeProcess, tmp: Path, server: str | None, raw: dict[str, Any]) -> list[Row]:
    """P8: 100 schedules due at once in 2 processes on PostgreSQL, with and without one SIGKILLed and restarted."""
    if server is None:
        return [
            Row("P8", "scheduled starts", "needs PostgreSQL (--postgres or QUIZBOT_BENCH_POSTGRES_URL)", "—", "", "—")
        ]
    rows: list[Row] = []
    # 2 processes x 2 shards, as the issue asks: each claims only its own guilds' runs, and each run is checked to
    # have been started by the process its guild's shard is on.
    for die_at, when in ((None, "no kill"), ("claimed", "one killed after its first claim"),
                         ("posted", "one killed after posting an announcement")):  # fmt: skip
        async with fresh_database(server, "quizbot_p8") as url:
            run = await scheduled_starts(
                fake,
                tmp / f"p8-{die_at}",
                database_url=url,
                schedules=100,
                processes=2,
                die_at=die_at,
                lease=5.0,
                shards_per_process=2,
            )
        raw.setdefault("P8", []).append({**asdict(run), "twice": run.twice, "lost": run.lost})
        load = f"100 schedules due at once, 2 processes x 2 shards, {when}"
        rows += [
            Row("P8", load, "runs announced once / twice / never",
                f"{100 - run.lost - run.twice} / {run.twice} / {run.lost}", "100 / 0 / 0",
                _verdict(run.exactly_once)),
            Row("P8", load, "runs started by a process that does not own the guild's shard", str(run.foreign), "0",
                _verdict(run.foreign == 0)),
            Row("P8", load, "duplicate announcements on the fake (nonce replays)",
                f"{run.duplicates} ({run.nonce_replays})", "0", _verdict(run.duplicates == 0)),
            Row("P8", load, "other duplicate posts (a round resumed by both processes)", str(run.other_duplicates),
                "", "—"),
            Row("P8", load, "occurrences by status; rounds", f"{json.dumps(run.occurrences)}; {run.rounds}",
                '{"started": 100}; 100', _verdict(run.occurrences == {"started": 100} and run.rounds == 100)),
            Row("P8", load, "until every run was recorded (lease 5 s)", f"{run.seconds:.1f} s", "≤ grace (15 min)",
                _verdict(run.seconds <= 15 * 60)),
        ]  # fmt: skip
    return rows


async def cross_board_rows(server: str | None, raw: dict[str, Any]) -> list[Row]:
    """P9: the board at 100,000 players in process A right after process B closed a question, on PostgreSQL."""
    if server is None:
        return [Row("P9", "board after another process's close", "needs PostgreSQL (--postgres)", "—", "", "—")]
    rows: list[Row] = []
    for timing in await crossboard_run(server):
        raw.setdefault("P9", []).append(asdict(timing))
        load = f"{timing.players:,} players, A {'listening to hints' if timing.hints else 'without hints'}"
        rows += [
            Row("P9", load, "top 10 + rank right after B's close, p50", f"{timing.p50_ms:.2f} ms", "", "—"),
            Row("P9", load, "top 10 + rank right after B's close, p99", f"{timing.p99_ms:.2f} ms", "≤ 5 ms",
                _verdict(timing.p99_ms <= 5)),
            Row("P9", load, "A's CPU per read, p50 / p99", f"{timing.cpu_p50_ms:.2f} / {timing.cpu_p99_ms:.2f} ms",
                "", "—"),
            Row("P9", load, "queries per read (version with moves; names not seen yet)",
                f"{timing.round_trips:.2f}", "", "—"),
            Row("P9", load, "full reloads of the guild's points (after the warm-up)", str(timing.reloads), "0",
                _verdict(timing.reloads == 0)),
        ]  # fmt: skip
    return rows


async def run(
    only: set[str],
    bots: list[str],
    repeats: int,
    clicks: int,
    tmp: Path,
    server: str | None = None,
    p7_repeats: int = 1,
) -> tuple[list[Row], dict[str, Any]]:
    """Run the selected benchmarks; returns the table rows and the raw results."""
    rows: list[Row] = []
    raw: dict[str, Any] = {"machine": machine()}
    async with FakeProcess() as fake:
        if "P1" in only:
            runs: dict[str, list[w.ClickRun]] = {b: [] for b in bots}
            for repeat in range(repeats):
                for kind in bots:  # alternate, so drift on the machine hits both bots alike
                    result = await w.p1_clicks(fake, kind, tmp / f"p1-{kind}-{repeat}", clicks=clicks)
                    runs[kind].append(result)
                    print(
                        f"  P1 {kind} run {repeat + 1}: {result.acked}/{result.clicks} acked,"
                        f" p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms,"
                        f" {result.cpu_per_click_us:.0f} µs CPU/click"
                        f" ({result.loop_cpu_per_click_us:.0f} µs in the event loop's thread)"
                        + (f", {result.clicks / result.commits:.1f} answers per commit" if result.commits else "")
                        + f"; GC collections per generation {result.gc_collections}"
                        + (
                            f", paused {sum(result.gc_pause_ms):.1f} ms in all"
                            f" ({', '.join(f'{ms:.0f}' for ms in result.gc_pause_ms)} by generation;"
                            f" CPU {', '.join(f'{ms:.0f}' for ms in result.gc_cpu_ms)} ms),"
                            f" {len(result.gc_slow_ms)} pauses of 1 ms or more, longest"
                            f" {max((ms for _, ms in result.gc_slow_ms), default=0):.1f} ms"
                            if result.gc_pause_ms
                            else ""
                        ),
                        file=sys.stderr,
                    )
            raw["P1"] = {k: [{**asdict(r), "latencies_ms": None, "p50_ms": r.p50_ms, "p99_ms": r.p99_ms,
                              "cpu_per_click_us": r.cpu_per_click_us} for r in v] for k, v in runs.items()}  # fmt: skip
            cpu = {k: w.median([r.cpu_per_click_us for r in v]) for k, v in runs.items()}
            for kind, kind_runs in runs.items():
                acked = min(r.acked for r in kind_runs)
                p99 = w.median([r.p99_ms for r in kind_runs])
                p50 = w.median([r.p50_ms for r in kind_runs])
                is_bot = kind == "quizbot"
                load = f"{clicks} clicks/2 s, {kind}"
                rows += [
                    Row("P1", load, "clicks acknowledged (worst run)", f"{acked}/{clicks}", "all",
                        _verdict(acked == clicks if is_bot else None)),
                    Row("P1", load, "p50 dispatch→callback (median of runs)", f"{p50:.1f} ms", "", "—"),
                    Row("P1", load, "p99 dispatch→callback (median of runs)", f"{p99:.1f} ms", "≤ 25 ms",
                        _verdict(p99 <= 25 if is_bot else None)),
                    Row("P1", load, "bot CPU per click (median of runs)", f"{cpu[kind]:.0f} µs", "", "—"),
                ]  # fmt: skip
            if "quizbot" in cpu and "baseline" in cpu:
                ratio = cpu["quizbot"] / cpu["baseline"]
                rows.append(Row("P1", "quizbot ÷ baseline", "CPU per click ratio", f"{ratio:.2f}x", "≤ 1.10x",
                                _verdict(ratio <= 1.10)))  # fmt: skip
        if "P1" in only and "quizbot" in bots:
            closing = await closing_run(clicks)
            raw["P1_closing"] = asdict(closing)
            load = f"after the burst, {closing.players} players (in-process, SQLite)"
            rows += [
                Row("P1", load, "close the question: score every answer, median", f"{closing.close_ms:.1f} ms", "",
                    "—"),
                Row("P1", load, "end the round: store it, every player's rank move, median",
                    f"{closing.finish_ms:.1f} ms", "", "—"),
            ]  # fmt: skip
        if "D1" in only and "quizbot" in bots:
            crash = await w.d1_crash(fake, tmp)
            raw["D1"] = asdict(crash)
            load = f"quizbot killed (SIGKILL) halfway through {crash.clicks_sent} clicks"
            rows += [
                Row("D1", load, "clicks acknowledged before the kill", str(crash.acked), "", "—"),
                Row("D1", load, "answers in the database after it", str(crash.stored), "", "—"),
                Row("D1", load, "acknowledged answers lost", str(crash.acked_not_stored), "0",
                    _verdict(crash.acked > 0 and crash.acked_not_stored == 0)),
            ]  # fmt: skip
        if "P4" in only and "quizbot" in bots:
            p4 = await w.p4_rounds(fake, tmp)
            raw["P4"] = {**asdict(p4), "lateness_ms": sorted(p4.lateness_ms)}
            p99 = percentile(p4.lateness_ms, 99) if p4.lateness_ms else math.nan
            p50 = percentile(p4.lateness_ms, 50) if p4.lateness_ms else math.nan
            limited = sum(p4.rate_limited.values())
            load = f"{p4.rounds} rounds in {p4.rounds} channels"
            rows += [
                Row("P4", load, "questions closed", f"{p4.questions_closed}/{p4.questions_expected}", "all",
                    _verdict(p4.questions_closed == p4.questions_expected)),
                Row("P4", load, "close after deadline, p50", f"{p50:.0f} ms", "", "—"),
                Row("P4", load, "close after deadline, p99", f"{p99:.0f} ms", "≤ 250 ms", _verdict(p99 <= 250)),
                Row("P4", load, "429 responses", f"{limited} {json.dumps(p4.rate_limited)}", "0",
                    _verdict(limited == 0)),
                Row("P4", load, "player clicks acknowledged", f"{p4.clicks_acked}/{p4.clicks}", "all",
                    _verdict(p4.clicks_acked == p4.clicks)),
                Row("P4", load, "/quiz start acknowledged within 3 s", f"{p4.starts_acked}/{p4.rounds}", "all",
                    _verdict(p4.starts_acked == p4.rounds)),
                Row("P4", load, "/quiz start dispatch→defer, p50 / max",
                    f"{percentile(p4.start_latencies_ms, 50):.0f} / {max(p4.start_latencies_ms):.0f} ms"
                    if p4.start_latencies_ms else "—", "", "—"),
            ]  # fmt: skip
        if "P5" in only:
            for kind in bots:
                p5 = await w.p5_memory(fake, kind, tmp)
                raw.setdefault("P5", {})[kind] = asdict(p5)
                load = f"{p5.guilds} guilds, {p5.rounds_live} rounds live, {kind}"
                rss_mb = p5.rss_mib / MB
                rows += [
                    Row("P5", load, "bot RSS", f"{rss_mb:.1f} MB", "≤ 120 MB",
                        _verdict(rss_mb <= 120 if kind == "quizbot" else None)),
                    Row("P5", load, "of which at on_ready, before any round", f"{p5.ready_rss_mib / MB:.1f} MB", "",
                        "—"),
                ]  # fmt: skip
        if "P6" in only:
            for kind in bots:
                p6 = await w.p6_start(fake, kind, tmp)
                raw.setdefault("P6", {})[kind] = asdict(p6)
                ready = w.median(p6.ready_s)
                load = f"start to ready, {kind} (median of {len(p6.ready_s)})"
                rows += [
                    Row("P6", load, "process start → on_ready", f"{ready:.2f} s", "≤ 0.6 s",
                        _verdict(ready <= 0.6 if kind == "quizbot" else None)),
                    Row("P6", load, "of which importing discord.py", f"{w.median(p6.imported_s):.2f} s", "", "—"),
                    Row("P6", load, "of which until the client is built", f"{w.median(p6.built_s):.2f} s", "", "—"),
                    Row("P6", load, "of which setup_hook", f"{w.median(p6.setup_hook_s):.2f} s", "", "—"),
                ]  # fmt: skip
                if kind == "quizbot":
                    rows.append(Row("P6", "first start, new database, quizbot", "process start → on_ready (migrating)",
                                    f"{p6.first_s:.2f} s", "", "—"))  # fmt: skip
        if "P2" in only:
            for timing in await board_run([10_000, 100_000]):
                load = f"leaderboard, {timing.players:,} players, {timing.answers:,} answers"
                big = timing.players == 100_000
                rows += [
                    Row("P2", load, "top 10 + caller's rank, p50", f"{timing.p50_ms:.3f} ms", "", "—"),
                    Row("P2", load, "top 10 + caller's rank, p99", f"{timing.p99_ms:.3f} ms", "≤ 1 ms" if big else "",
                        _verdict(timing.p99_ms <= 1 if big else None)),
                    Row("P2", load, "rank index preload (background, at start)", f"{timing.preload_ms:.0f} ms", "",
                        "—"),
                    Row("P2", load, "first read after it", f"{timing.first_ms:.1f} ms", "≤ 50 ms" if big else "",
                        _verdict(timing.first_ms <= 50 if big else None)),
                    Row("P2", load, "p99 with the version checked in the database", f"{timing.shared_p99_ms:.2f} ms",
                        "", "—"),
                ]  # fmt: skip
        if "P8" in only:
            rows += await exactly_once_rows(fake, tmp, server, raw)
        if "P9" in only:
            rows += await cross_board_rows(server, raw)
        if "P3" in only:
            cold, warm, size, article_kb = bank_measure()
            load = f"bank of {bank_loading.QUESTIONS:,} questions ({size / 1e6:.1f} MB), {article_kb:.0f} KB article"
            rows += [
                Row("P3", load, "load and verify, cold, median of 5", f"{cold:.2f} s", "≤ 0.4 s",
                    _verdict(cold <= 0.4)),
                Row("P3", load, "load from the cache of validated banks, median of 5", f"{warm:.3f} s", "≤ 0.1 s",
                    _verdict(warm <= 0.1)),
            ]  # fmt: skip
        if "P12" in only and "quizbot" in bots:
            p12 = await upload_burst.p12_upload_burst(fake, tmp, clicks=clicks)
            raw["P12"] = {**asdict(p12), "latencies_ms": None, "control_latencies_ms": None, "p99_ms": p12.p99_ms,
                          "control_p99_ms": p12.control_p99_ms}  # fmt: skip
            for load, figure, value, target, passed in upload_burst.rows(p12, clicks):
                rows.append(Row("P12", load, figure, value, target, _verdict(passed)))
        rows += await _scaling(fake, only, bots, tmp, raw, server, p7_repeats)
        stats = await fake.get("stats")
        raw["unknown_routes"] = stats["tally"]["unknown_routes"]
        raw["identify_violations"] = violations = await fake.identify_violations()
        rows.append(Row("gateway", "every workload above", "IDENTIFYs the fake rejected (bucket rule, daily starts)",
                        str(len(violations)), "0", _verdict(not violations)))  # fmt: skip
    return rows, raw


async def _scaling(
    fake: FakeProcess,
    only: set[str],
    bots: list[str],
    tmp: Path,
    raw: dict[str, Any],
    server: str | None,
    p7_repeats: int = 1,
) -> list[Row]:
    """P7, P10, P11: several quizbot processes on one PostgreSQL database (each run in a database of its own)."""
    wanted = sorted({"P7", "P10", "P11"} & only)
    if not wanted or "quizbot" not in bots:
        return []
    if server is None:
        return [Row(id_, "several processes", "needs PostgreSQL (--postgres or QUIZBOT_BENCH_POSTGRES_URL)",
                    "—", "", "—") for id_ in wanted]  # fmt: skip
    rows: list[Row] = []
    if "P7" in only:
        p7_runs: dict[str, list[scaling.ClusterClicks]] = {"baseline": [], "quizbot": []}
        for repeat in range(p7_repeats):
            for kind in p7_runs:  # alternate, as P1 does
                result = await scaling.p7_clicks(fake, kind, tmp / f"p7-{kind}-{repeat}", server)
                p7_runs[kind].append(result)
                print(f"  P7 {kind} run {repeat + 1}: p99 {result.p99_ms:.1f} ms, CPU per click "
                      + ", ".join(f"{p.cpu_per_click_us:.0f}" for p in result.processes) + " µs"
                      + (f", PostgreSQL {result.postgres_cpu_s:.2f} s" if kind == "quizbot" else ""),
                      file=sys.stderr)  # fmt: skip
        raw["P7"] = {kind: [asdict(run) for run in runs] for kind, runs in p7_runs.items()}
        p7 = {kind: scaling.median_run(runs) for kind, runs in p7_runs.items()}
        base = [p.cpu_per_click_us for p in p7["baseline"].processes]
        base_mean = sum(base) / len(base)
        load = "2 processes x 2 shards, 4,000 guilds, 1,000 clicks/2 s into each"
        quiz = p7["quizbot"]
        acked = sum(p.acked for p in quiz.processes)
        sent = sum(p.clicks for p in quiz.processes)
        rows += [
            Row("P7", load, "clicks acknowledged", f"{acked}/{sent}", "all", _verdict(acked == sent)),
            Row("P7", load, "p99 dispatch→callback, both processes", f"{quiz.p99_ms:.1f} ms", "≤ 50 ms",
                _verdict(quiz.p99_ms <= 50)),
            Row("P7", load, "the bare bot, run the same way: acknowledged, p99",
                f"{sum(p.acked for p in p7['baseline'].processes)}/{sent}, {p7['baseline'].p99_ms:.1f} ms", "", "—"),
            Row("P7", load, "IDENTIFYs (4 shards: more means sessions reconnected)", str(quiz.identifies), "", "—"),
        ]  # fmt: skip
        for proc in quiz.processes:
            ratio = proc.cpu_per_click_us / base_mean
            who = f"process of shards {proc.shards[0]}-{proc.shards[-1]}"
            rows += [
                Row("P7", load, f"{who}: p99", f"{proc.p99_ms:.1f} ms", "", "—"),
                Row("P7", load, f"{who}: CPU per click (bare bot: {base_mean:.0f} µs)",
                    f"{proc.cpu_per_click_us:.0f} µs = {ratio:.2f}x", "≤ 1.25x", _verdict(ratio <= 1.25)),
            ]  # fmt: skip
        pg = quiz.postgres_cpu_s
        rows.append(Row("P7", load, "PostgreSQL backends' CPU, whole burst (per click)",
                        f"{pg:.2f} s ({pg / sent * 1e6:.0f} µs)", "", "—"))  # fmt: skip
    if "P10" in only:
        p10 = await scaling.p10_memory(fake, tmp, server)
        raw["P10"] = asdict(p10)
        for index, rss in enumerate(p10.rss_mib):
            load = f"2 x 2 shards, {p10.guilds[index]} guilds and {p10.rounds_live[index]} rounds live in this one"
            rows.append(Row("P10", load, f"RSS of process {index}", f"{rss / MB:.1f} MB", "≤ 150 MB",
                            _verdict(rss / MB <= 150 and p10.rounds_live[index] >= 100)))  # fmt: skip
    if "P11" in only:
        p11 = await scaling.p11_start(fake, tmp, server)
        raw["P11"] = asdict(p11)
        load = f"{p11.processes} processes, {p11.shards} shards, empty database, started at once"
        rows += [
            Row("P11", load, "migrations applied", f"{p11.migrations_applied} time(s)", "1",
                _verdict(p11.migrations_applied == 1)),
            Row("P11", load, "slash commands synced", f"{p11.commands_synced} time(s)", "1",
                _verdict(p11.commands_synced == 1)),
            Row("P11", load, "identify violations (of identifies)",
                f"{len(p11.identify_violations)} (of {p11.identifies})", "0", _verdict(not p11.identify_violations)),
            Row("P11", load, "spawn → every shard ready (2 per 1 s window)", f"{p11.ready_s:.1f} s", "", "—"),
        ]  # fmt: skip
    return rows


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    head = ("id", "workload", "figure", "measured", "target", "result")
    cells = [head, *[(r.id, r.workload, r.figure, r.value, r.target, r.verdict) for r in rows]]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(cell)) + " |" for cell in cells]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments, run, print the table (and optionally save the raw figures)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    every = ["P1", "P2", "P3", "P4", "P5", "P6", "D1", "P7", "P8", "P9", "P10", "P11", "P12"]
    parser.add_argument("--only", nargs="+", default=every, choices=every)
    parser.add_argument("--bots", nargs="+", default=["baseline", "quizbot"], choices=["baseline", "quizbot"])
    parser.add_argument("--repeats", type=int, default=3, help="P1 runs per bot (medians are quoted)")
    parser.add_argument("--p7-repeats", type=int, default=1, help="P7 runs per bot, alternating (medians are quoted)")
    parser.add_argument("--clicks", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--postgres", default=server_from_env(), help="a PostgreSQL server URL, for P7-P11")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    bots = [b for b in args.bots if b != "quizbot" or quizbot_available()]
    print(f"Machine: {machine()}", file=sys.stderr)
    LOG_DIR.append(Path(tempfile.mkdtemp(prefix="quizbot-bench-logs-")))
    print(f"Bot logs: {LOG_DIR[0]}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="quizbot-bench-") as tmp:
        rows, raw = asyncio.run(
            run(set(args.only), bots, args.repeats, args.clicks, Path(tmp), args.postgres, args.p7_repeats)
        )
    print(table(rows))
    if raw.get("unknown_routes"):
        print(f"\nRoutes the fake does not serve (answered 404): {raw['unknown_routes']}")
    for violation in raw.get("identify_violations", []):
        print(f"Rejected IDENTIFY: shard {violation['shard']}, {violation['rule']}: {violation['detail']}")
    if args.json:
        args.json.write_text(json.dumps(raw, indent=2))


if __name__ == "__main__":
    main()
