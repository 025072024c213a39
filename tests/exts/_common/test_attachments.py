"""Attachments are streamed from the CDN and the read stops at the size limit, whatever size the file
declared; a CDN error is the author's error. Against a real HTTP server on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.banks.errors import AttachmentUnavailable, FileTooBig
from bot.exts._common.attachments import CHUNK_BYTES, AttachmentReader

SIXTY_MB = 60 * 1024 * 1024
LIMIT = 1_000


class Server:
    """A loopback server: ``/small`` (the bytes), ``/missing`` (404), ``/huge`` (60 MB, no length given)."""

    def __init__(self) -> None:
        self.sent = 0
        self.url = ""

    async def huge(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        chunk = b"x" * CHUNK_BYTES
        try:
            while self.sent < SIXTY_MB:
                await response.write(chunk)
                self.sent += len(chunk)
        except (ConnectionResetError, RuntimeError):
            pass  # the client hung up: what we want
        return response


async def small(_request: web.Request) -> web.Response:
    """A small bank file."""
    return web.Response(body=b"id: tiny\n")


async def declared(_request: web.Request) -> web.Response:
    """5,000 bytes, with their Content-Length."""
    return web.Response(body=b"y" * 5_000)


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    """The server, on a free port."""
    state = Server()
    app = web.Application()
    app.router.add_get("/small", small)
    app.router.add_get("/declared", declared)
    app.router.add_get("/huge", state.huge)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.url = f"http://127.0.0.1:{port}"
    yield state
    await runner.cleanup()


@pytest.fixture
async def reader() -> AsyncIterator[AttachmentReader]:
    """A reader, closed after the test."""
    built = AttachmentReader()
    yield built
    await built.close()


async def test_a_small_file_is_read(server: Server, reader: AttachmentReader) -> None:
    """A file within the limit is read whole."""
    assert await reader.read_url(f"{server.url}/small", "tiny.yaml", LIMIT, "bank") == b"id: tiny\n"


async def test_a_cdn_404_is_the_authors_error(server: Server, reader: AttachmentReader) -> None:
    """A 404 from the CDN is AttachmentUnavailable with its status, not an HTTP exception."""
    with pytest.raises(AttachmentUnavailable) as caught:
        await reader.read_url(f"{server.url}/missing", "gone.yaml", LIMIT, "bank")
    assert caught.value.status == 404


async def test_a_declared_length_over_the_limit_is_refused_unread(server: Server, reader: AttachmentReader) -> None:
    """A Content-Length over the limit is refused before the body is read."""
    with pytest.raises(FileTooBig) as caught:
        await reader.read_url(f"{server.url}/declared", "big.yaml", LIMIT, "bank")
    assert caught.value.size == 5_000


async def test_a_60_mb_body_is_not_read_past_the_limit(server: Server, reader: AttachmentReader) -> None:
    """A file that declared 1 KB but serves 60 MB: the read stops one chunk past the limit and hangs up."""
    with pytest.raises(FileTooBig) as caught:
        await reader.read_url(f"{server.url}/huge", "liar.yaml", LIMIT, "bank")
    assert LIMIT < caught.value.size <= LIMIT + CHUNK_BYTES
    # What the server managed to push before the hang-up sat in socket buffers, never in our memory.
    assert server.sent < SIXTY_MB / 4


async def test_an_unreachable_cdn_is_the_authors_error(reader: AttachmentReader) -> None:
    """A refused connection is AttachmentUnavailable without a status."""
    with pytest.raises(AttachmentUnavailable) as caught:
        await reader.read_url("http://127.0.0.1:9/x", "x.yaml", LIMIT, "bank")
    assert caught.value.status is None
