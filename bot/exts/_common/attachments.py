"""Downloading an upload's attachments from Discord's CDN, reading no more than the size limit.

``Attachment.read()`` reads the whole body, whatever size the attachment declared: a file that declares
1 KB but serves 60 MB would be read whole before being refused. Here the body is streamed and the read
stops one chunk past the limit; a CDN error or a broken download is the author's error, not a crash.
"""

from __future__ import annotations

import logging

import aiohttp
import discord

from bot.banks.errors import AttachmentUnavailable, FileTooBig

log = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
#: Seconds a download may take in all.
DOWNLOAD_SECONDS = 30.0


class AttachmentReader:
    """Reads attachments over its own HTTP session (opened on first use, closed with the feature)."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def read(self, attachment: discord.Attachment, limit: int, kind: str) -> bytes:
        """The attachment's bytes; raise `FileTooBig` past ``limit`` or `AttachmentUnavailable`."""
        return await self.read_url(attachment.url, attachment.filename, limit, kind)

    async def read_url(self, url: str, filename: str, limit: int, kind: str) -> bytes:
        """The body at ``url`` (``filename`` names it in errors); see `read`."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=DOWNLOAD_SECONDS))
        try:
            async with self._session.get(url) as response:
                if response.status != 200:
                    raise AttachmentUnavailable(filename, response.status)
                declared = response.content_length
                if declared is not None and declared > limit:
                    raise FileTooBig(filename, declared, limit, kind)
                data = bytearray()
                async for chunk in response.content.iter_chunked(CHUNK_BYTES):
                    data += chunk
                    if len(data) > limit:
                        # The size it claimed was not the size it is: stop here rather than read the rest.
                        raise FileTooBig(filename, len(data), limit, kind)
                return bytes(data)
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.warning("Could not download %s: %s", filename, exc)
            raise AttachmentUnavailable(filename, None) from None

    async def close(self) -> None:
        """Close the HTTP session, if one was opened."""
        if self._session is not None:
            await self._session.close()
            self._session = None
