"""A minimal client of simcord's preview page protocol (version 3): what the page's JavaScript sends.

Used to act as a person at the browser would: open a page, run a slash command, click a button.
"""

from __future__ import annotations

import uuid
from typing import Any

import aiohttp


class PageClient:
    """One browser tab on the preview: its context, its action sequence, its last state."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http = http
        self.base, capability = url.split("/#", 1)
        self.headers = {"X-Simcord-Capability": capability}
        self.sequence = 0
        self.generation = 0

    async def open(self) -> dict[str, Any]:
        """Open the page as its first viewer; returns the first state."""
        async with self.http.post(f"{self.base}/api/pages", headers=self.headers, json={}) as response:
            response.raise_for_status()
            state: dict[str, Any] = await response.json()
        self.headers["X-Simcord-Context"] = state["context"]["id"]
        self.generation = state["context"]["generation"]
        return state

    async def state(self) -> dict[str, Any]:
        """The page's current published state."""
        async with self.http.get(f"{self.base}/api/state", headers=self.headers) as response:
            response.raise_for_status()
            state: dict[str, Any] = await response.json()
            return state

    async def command(self, invocation: str, **options: str) -> dict[str, Any]:
        """Run a slash command from the composer, e.g. ``command("quiz start", seconds="10")``."""
        async with self.http.get(f"{self.base}/api/commands", headers=self.headers) as response:
            catalog = await response.json()
        entry = next(e for e in catalog["entries"] if e["invocation"] == invocation)
        return await self._act(
            "run_command",
            command_id=entry["commandId"],
            path=entry["path"],
            schema_fingerprint=entry["schemaFingerprint"],
            options=options,
        )

    async def view_as(self, user_id: int) -> dict[str, Any]:
        """Switch the page's "Viewing as" menu to this member."""
        receipt = await self._act("viewer", viewer_id=str(user_id))
        self.generation = (await self.state())["context"]["generation"]
        return receipt

    async def response_text(self, receipt: dict[str, Any]) -> str:
        """The text the page shows for the bot's reply to an action: its content and its embeds' titles and text."""
        state = await self.state()
        reply_id = next(o["messageId"] for o in receipt["outcomes"] if o["kind"] == "response")
        message = state["messages"][reply_id]
        parts = [message.get("content") or ""]
        for embed in message.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
        return "\n".join(parts)

    async def click(self, custom_id: str) -> dict[str, Any]:
        """Click the button with this custom_id in the page's messages."""
        state = await self.state()
        for message_id in reversed(state["timeline"]):
            for row in state["messages"][message_id]["components"]:
                for component in row.get("components", []):
                    if component.get("custom_id") == custom_id:
                        return await self._act("click", control_key=component["control_key"], target_id=message_id)
        raise LookupError(f"no button {custom_id!r} on the page")

    async def _act(self, kind: str, **body: Any) -> dict[str, Any]:
        state = await self.state()
        self.sequence += 1
        envelope = {
            "protocol_version": 3,
            "sequence": self.sequence,
            "request_id": str(uuid.uuid4()),
            "generation": self.generation,
            "bot_generation": state["botGeneration"],
            "published_revision": state["publishedRevision"],
            "kind": kind,
            **body,
        }
        async with self.http.post(f"{self.base}/api/action", headers=self.headers, json=envelope) as response:
            # A refused overlap comes back as HTTP 400; the real page then stalls until reloaded.
            response.raise_for_status()
            receipt: dict[str, Any] = await response.json()
        if receipt.get("rejected") and "expectedSequence" in receipt:
            self.sequence = receipt["expectedSequence"]  # the last one the page took: a refused action uses none
        return receipt
