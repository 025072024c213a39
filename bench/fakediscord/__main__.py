"""Run the fake alone: ``python -m bench.fakediscord [--port N]``; prints ``LISTENING <url>`` once it serves."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bench.fakediscord.server import FakeConfig, FakeDiscord


async def serve(port: int, guilds: int) -> None:
    """Serve until stdin closes (the parent process went away or asked us to stop)."""
    fake = FakeDiscord(FakeConfig(guilds=guilds))
    await fake.start(port=port)
    print(f"LISTENING {fake.url}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await fake.stop()


def main() -> None:
    """Parse the arguments and serve."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--guilds", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="fake %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(args.port, args.guilds))


if __name__ == "__main__":
    main()
