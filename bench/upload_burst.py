"""P12: the worst upload (a 1 MB article, 100 missing passages) during a burst of 1,000 clicks.

The clicks must keep being answered (p99 dispatch→acknowledgement <= 50 ms, as in P1) while the bot checks
the upload, and the upload must be answered within the check's budget. The attachments are served by a
small HTTP server in the driver (the fake Discord has no CDN); the interaction's ``resolved`` data points
the bot at it, as Discord's points at its CDN.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from bench.harness.measure import percentile, wait_for
from bench.harness.procs import BotProcess, FakeProcess
from bench.harness.workloads import BANKS_DIR, MODERATOR, PLAYER_BASE, Target, _acked, _clicks, _one_open_question
from bench.worst_upload import MISSING, files

log = logging.getLogger(__name__)

JSON = dict[str, Any]
#: Seconds the bot has to answer the upload: the check's budget (bot.banks.worker.DEFAULT_BUDGET).
UPLOAD_BUDGET_S = 30.0
#: The burst starts this long after the upload, so that the check is under way while the clicks arrive.
BURST_DELAY_S = 0.3
#: Players of the control burst (no upload) get ids from here.
CONTROL_BASE = 2 * PLAYER_BASE


@dataclass
class UploadBurstRun:
    """One P12 run: the clicks' latencies and the upload's timings, in the fake's clock."""

    clicks: int
    acked: int
    latencies_ms: list[float] = field(default_factory=list)
    #: The same burst just before, without an upload: the machine's own figure, for the ratio.
    control_acked: int = 0
    control_latencies_ms: list[float] = field(default_factory=list)
    upload_deferred_ms: float | None = None
    upload_answered_s: float | None = None
    upload_reply: str = ""

    p50_ms = property(lambda self: _quantile(self.latencies_ms, 50), doc="Median click latency.")
    p99_ms = property(lambda self: _quantile(self.latencies_ms, 99), doc="99th percentile click latency.")
    control_p99_ms = property(lambda self: _quantile(self.control_latencies_ms, 99), doc="The same, without upload.")


def _quantile(values: list[float], q: float) -> float:
    return percentile(values, q) if values else float("nan")


class Cdn:
    """Serves the upload's two files on loopback."""

    def __init__(self, bank: bytes, article: bytes) -> None:
        self.files = {"worst.yaml": bank, "article.txt": article}
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def serve(self, request: web.Request) -> web.Response:
        """One file by name."""
        data = self.files.get(request.match_info["name"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    async def __aenter__(self) -> Cdn:
        app = web.Application()
        app.router.add_get("/attachments/{name}", self.serve)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/attachments"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def upload_command(commands: JSON, cdn: Cdn) -> JSON:
    """The data of ``/quiz bank upload file:worst.yaml article:article.txt``, with its resolved attachments."""
    command_id = next(c["id"] for cs in commands.values() for c in cs if c["name"] == "quiz")
    attachments = {}
    for number, (name, data) in enumerate(cdn.files.items(), start=1):
        attachments[str(number)] = {
            "id": str(number),
            "filename": name,
            "size": len(data),
            "url": f"{cdn.url}/{name}",
            "proxy_url": f"{cdn.url}/{name}",
            "content_type": "text/plain",
        }
    options = [{"name": "file", "type": 11, "value": "1"}, {"name": "article", "type": 11, "value": "2"}]
    return {
        "id": command_id,
        "name": "quiz",
        "type": 1,
        "options": [{"name": "bank", "type": 2, "options": [{"name": "upload", "type": 1, "options": options}]}],
        "resolved": {"attachments": attachments},
    }


async def p12_upload_burst(fake: FakeProcess, tmp: Path, *, clicks: int = 1000, spread: float = 2.0) -> UploadBurstRun:
    """P12: the worst upload, then ``clicks`` players clicking within ``spread`` seconds while it is checked."""
    world = await fake.post("reset", {"guilds": 1, "channels_per_guild": 1})
    guild_id = world["guilds"][0]["id"]
    channel_id = world["guilds"][0]["channel_ids"][0]
    bank, article = files()
    async with Cdn(bank, article) as cdn, BotProcess("quizbot", fake.url, data_dir=tmp / "data", banks_dir=BANKS_DIR):
        target: Target = await _one_open_question(fake, guild_id, channel_id)
        warm = 50
        await fake.post("burst", {"clicks": _clicks([target], warm, 1), "spread_s": 0.25})
        await wait_for(lambda: _acked(fake, 1 + warm), 15)
        await fake.post("burst", {"clicks": _clicks([target], clicks, CONTROL_BASE), "spread_s": spread})
        await wait_for(lambda: _acked(fake, 1 + warm + clicks), spread + 15)
        data = upload_command(await fake.get("commands"), cdn)
        since = len(await fake.get("events"))
        dispatched = await fake.post(
            "dispatch",
            {"guild_id": guild_id, "channel_id": channel_id, "user_id": MODERATOR, "kind": "command", "data": data},
        )
        await asyncio.sleep(BURST_DELAY_S)
        await fake.post("burst", {"clicks": _clicks([target], clicks, PLAYER_BASE), "spread_s": spread})
        # While the clicks arrive, poll only the fake's counters, as for the control burst: fetching its message
        # events (one per acknowledgement, bodies and all) every 50 ms kept the fake itself busy enough to add
        # 50-70 ms to the burst's p99 with no upload at all (2026-11-29 evening).
        await wait_for(lambda: _acked(fake, 1 + warm + clicks + 1 + clicks), spread + UPLOAD_BUDGET_S + 15)
        replies: list[JSON] = []

        async def answered() -> bool:
            replies[:] = [
                e
                for e in await fake.get(f"events?since={since}")
                if e["op"] == "create" and "/webhooks/" in e["route"] and "worst.yaml" in str(e["body"])
            ]
            return bool(replies)

        await wait_for(answered, UPLOAD_BUDGET_S + 15, every=0.25)
        records = await fake.get("interactions")
    burst = [r["latency"] for r in records if PLAYER_BASE <= r["user_id"] < CONTROL_BASE]
    control = [r["latency"] for r in records if r["user_id"] >= CONTROL_BASE]
    run = UploadBurstRun(clicks=clicks, acked=sum(latency is not None for latency in burst))
    run.latencies_ms = [latency * 1000 for latency in burst if latency is not None]
    run.control_acked = sum(latency is not None for latency in control)
    run.control_latencies_ms = [latency * 1000 for latency in control if latency is not None]
    upload = next(r for r in records if r["id"] == dispatched["id"])
    if upload["latency"] is not None:
        run.upload_deferred_ms = upload["latency"] * 1000
    if replies:
        run.upload_answered_s = replies[0]["at"] - upload["dispatched_at"]
        run.upload_reply = str(replies[0]["body"].get("content", ""))[:120]
    return run


def rows(run: UploadBurstRun, clicks: int) -> list[tuple[str, str, str, str, bool | None]]:
    """The table rows: (workload, figure, measured, target, passed or None)."""
    load = f"1 MB article, {MISSING} missing passages, uploaded during {clicks} clicks/2 s"
    answered = run.upload_answered_s
    control = f"the same {clicks} clicks/2 s just before, no upload (the machine's own figure)"
    return [
        (control, "clicks acknowledged", f"{run.control_acked}/{clicks}", "", None),
        (control, "p99 dispatch→callback", f"{run.control_p99_ms:.1f} ms", "", None),
        (load, "clicks acknowledged", f"{run.acked}/{clicks}", "all", run.acked == clicks),
        (load, "p50 dispatch→callback", f"{run.p50_ms:.1f} ms", "", None),
        (load, "p99 dispatch→callback", f"{run.p99_ms:.1f} ms", "≤ 50 ms", run.p99_ms <= 50),
        (load, "upload dispatch→defer", f"{run.upload_deferred_ms or float('nan'):.0f} ms", "≤ 3 s",
         run.upload_deferred_ms is not None and run.upload_deferred_ms <= 3000),
        (load, "upload dispatch→answer", "none" if answered is None else f"{answered:.1f} s",
         f"≤ {UPLOAD_BUDGET_S:.0f} s", answered is not None and answered <= UPLOAD_BUDGET_S),
    ]  # fmt: skip
