"""A CIF call over Socket.IO against a bare Socket.IO echo on the same loop and machine."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

import socketio
from aiohttp import web
from aiohttp.test_utils import TestServer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import median_us_async, report
from cifbridge.settings import Settings
from cifbridge.web.app import create_app

CLOSE = web.AppKey("close_session", Any)
CREATE = {"templateName": "msdyn_chat_session", "customerName": "Ana"}


def echo_app() -> web.Application:
    """Return a bare python-socketio server that acknowledges every `cif` with its payload."""
    sio = socketio.AsyncServer(async_mode="aiohttp")
    app = web.Application()
    sio.attach(app)

    async def cif(sid: str, data: Any) -> Any:
        return {"ok": True, "value": data}

    sio.on("cif", cif, namespace="/widget")
    return app


async def connect(server: TestServer) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(
        str(server.make_url("/")),
        namespaces=["/widget"],
        transports=["websocket"],
        auth={"href": "http://127.0.0.1/samples/softphone.html"},
    )
    return client


async def measure(servers: dict[str, TestServer]) -> dict[str, float]:
    clients = {name: await connect(server) for name, server in servers.items()}
    seq = iter(range(10**9))

    def cif(name: str, api: str, *args: Any) -> Any:
        packet = {"api": api, "args": list(args), "requestId": f"b{next(seq)}"}
        return clients[name].call("cif", packet, namespace="/widget")

    async def create_and_close(name: str) -> None:
        ack = await cif(name, "createSession", CREATE)
        await servers[name].app[CLOSE](ack["value"])

    rows = {
        "baseline: bare Socket.IO echo": await median_us_async(
            lambda: cif("echo", "canCreateSession")
        ),
        "canCreateSession (memory store)": await median_us_async(
            lambda: cif("memory", "canCreateSession")
        ),
        "createSession + agent close (memory)": await median_us_async(
            lambda: create_and_close("memory"), repeat=100
        ),
        "createSession + agent close (sqlite)": await median_us_async(
            lambda: create_and_close("sqlite"), repeat=100
        ),
    }
    for client in clients.values():
        await client.disconnect()
    return rows


async def main() -> None:
    """Start the servers side by side, measure, print."""
    with tempfile.TemporaryDirectory() as tmp:
        apps = {
            "echo": echo_app(),
            "memory": create_app(Settings(store="memory")),
            "sqlite": create_app(Settings(store="sqlite", state_path=Path(tmp) / "b.sqlite3")),
        }
        for name, app in apps.items():
            if name != "echo":
                app[CLOSE] = close_through_hub(app)
        servers = {name: TestServer(app, host="127.0.0.1") for name, app in apps.items()}
        for server in servers.values():
            await server.start_server()
        try:
            rows = await measure(servers)
        finally:
            for server in servers.values():
                await server.close()
    report(
        "One widget call over Socket.IO (websocket, loopback)",
        "baseline: bare Socket.IO echo",
        rows,
    )


def close_through_hub(app: web.Application) -> Any:
    """Return a coroutine function closing a session as the agent does (keeps the limit away)."""
    from cifbridge.web.keys import AGENTS

    async def close(session_id: str) -> None:
        await app[AGENTS].default.agent("closeSession", {"session_id": session_id})

    return close


if __name__ == "__main__":
    asyncio.run(main())
