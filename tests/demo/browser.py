"""Headless Chromium driven over the DevTools protocol: type into the demo's page and press keys, as a person does."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

from tests.demo.test_page import CHROMIUM, CHROMIUM_FLAGS

KEYS = {"Enter": 13, "Tab": 9, "Escape": 27}


class Browser:
    """One headless Chromium tab on a page: insert text, press named keys, read the DOM."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and return its result."""
        request_id = next(self.ids)
        await self.ws.send_json({"id": request_id, "method": method, "params": params})
        async for message in self.ws:
            data = json.loads(message.data)
            if data.get("id") == request_id:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                result: dict[str, Any] = data.get("result", {})
                return result
        raise RuntimeError("the browser closed its connection")

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result["result"].get("value")

    async def wait_for(self, expression: str, *, timeout: float = 20) -> Any:
        """Poll a JavaScript expression until it is truthy."""
        async with asyncio.timeout(timeout):
            while not (value := await self.evaluate(expression)):
                await asyncio.sleep(0.2)
            return value

    async def type(self, text: str) -> None:
        """Type text into the focused element, one key at a time (the composer reacts to each)."""
        for char in text:
            await self.call("Input.dispatchKeyEvent", type="keyDown", text=char, key=char, unmodifiedText=char)
            await self.call("Input.dispatchKeyEvent", type="keyUp", key=char)
            await asyncio.sleep(0.02)

    async def screenshot(self, path: Path) -> None:
        """Write what the tab shows now as a PNG."""
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    async def press(self, key: str) -> None:
        """Press and release a named key (Enter, Tab, Escape)."""
        code = KEYS[key]
        text = "\r" if key == "Enter" else None
        down: dict[str, Any] = {"type": "keyDown", "key": key, "code": key, "windowsVirtualKeyCode": code}
        if text:
            down["text"] = text
        await self.call("Input.dispatchKeyEvent", **down)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=key, windowsVirtualKeyCode=code)


@contextlib.asynccontextmanager
async def open_browser(url: str, profile: Path, *, window: str = "1200,900") -> AsyncIterator[Browser]:
    """Headless Chromium on ``url``, its page loaded, closed on exit."""
    assert CHROMIUM is not None
    process = await asyncio.create_subprocess_exec(
        CHROMIUM,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--remote-debugging-port=0",
        f"--window-size={window}",
        url,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        async with asyncio.timeout(30):
            while not port_file.is_file() or not port_file.read_text().strip():
                await asyncio.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                targets = await response.json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                yield Browser(ws)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
