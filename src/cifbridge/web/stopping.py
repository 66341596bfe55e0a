"""Stopping without waiting on clients: answer what is pending, close every Socket.IO connection.

aiohttp's cleanup first stops reading every open connection (its `pre_shutdown`), then runs the
app's `on_shutdown`, then waits for the handlers still running. An engine.io close packet sent
after that point is answered by the client with a websocket close frame that aiohttp no longer
reads, so each websocket handler ran until the client gave up on the handshake (the Python
client after 5 s) and every stop with a widget connected took that long. So:

- a host that stops the bridge itself (`cifbridge serve`, the contracts runner) calls
  `close_connections(app)` before `runner.cleanup()`: the close handshakes complete while
  aiohttp still reads, and the handlers end on their own;
- `on_shutdown` calls it too, for hosts that only run aiohttp's cleanup (aiohttp's TestServer,
  an app embedded elsewhere): there the handshake cannot complete, so once the close packets
  are written the connections are closed from this side (what was written still goes out).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import socketio
from aiohttp import web

from cifbridge.web.keys import AGENTS, SIO

# How long stopping waits for connections to take their close packet and close.
CLOSE_SECONDS = 3.0
ENGINE_IO_PATH = "/socket.io/"


class OpenSockets:
    """The engine.io requests (a websocket each, or a long poll) whose handlers still run."""

    def __init__(self) -> None:
        self._requests: dict[int, web.BaseRequest] = {}  # by id: a request is not hashable
        self._none_left = asyncio.Event()
        self._none_left.set()

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Count the request while its handler runs (engine.io's path only)."""
        if not request.path.startswith(ENGINE_IO_PATH):
            return await handler(request)
        self._requests[id(request)] = request
        self._none_left.clear()
        try:
            return await handler(request)
        finally:
            self._requests.pop(id(request), None)
            if not self._requests:
                self._none_left.set()

    async def ended(self, seconds: float) -> bool:
        """Wait up to `seconds` for every handler to end; tell whether they did."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._none_left.wait(), seconds)
        return not self._requests

    def abort(self) -> None:
        """Close the connections still open (their pending writes are flushed first)."""
        for request in list(self._requests.values()):
            if request.transport is not None:
                request.transport.close()


OPEN_SOCKETS = web.AppKey("open_sockets", OpenSockets)


def setup_stopping(app: web.Application) -> None:
    """Count engine.io requests and close every connection at shutdown."""
    sockets = OpenSockets()
    app[OPEN_SOCKETS] = sockets
    app.middlewares.append(sockets.middleware)
    app.on_shutdown.append(_on_shutdown)


async def close_connections(app: web.Application, *, still_reading: bool = True) -> None:
    """Answer what is pending (the answers go out before the close packets), then close every
    Socket.IO connection; `still_reading`: aiohttp still reads them (see above)."""
    await app[AGENTS].drain()
    sio: socketio.AsyncServer = app[SIO]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CLOSE_SECONDS
    if sio.eio.sockets:  # engine.io's disconnect-all fails on an empty set
        # A client that stopped reading never takes its close packet: don't wait for it.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(sio.eio.disconnect(), CLOSE_SECONDS)
    sockets = app[OPEN_SOCKETS]
    if still_reading and await sockets.ended(max(0.0, deadline - loop.time())):
        return
    sockets.abort()


async def _on_shutdown(app: web.Application) -> None:
    # After aiohttp stopped reading: a close handshake cannot complete any more.
    await close_connections(app, still_reading=False)
    sio: socketio.AsyncServer = app[SIO]
    await sio.shutdown()
