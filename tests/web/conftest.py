"""Bridges served on a real port, and Socket.IO widget clients connected to them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio
from aiohttp.test_utils import TestServer

from cifbridge.settings import Settings
from cifbridge.web.app import create_app

SOFTPHONE_PAGE = "http://127.0.0.1/samples/softphone.html"


class Widget:
    """A Socket.IO client speaking the shim's protocol, recording the events it receives."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.events: list[dict[str, Any]] = []
        self.client.on("cif:event", self.events.append, namespace="/widget")

    async def connect(self, url: str, auth: dict[str, Any], headers: dict[str, str]) -> None:
        await self.client.connect(
            url, namespaces=["/widget"], auth=auth, headers=headers, transports=["websocket"]
        )

    async def call(self, api: str, *args: Any, request_id: str | None = None) -> dict[str, Any]:
        payload = {"api": api, "args": list(args), "requestId": request_id or uuid.uuid4().hex}
        ack: dict[str, Any] = await self.client.call("cif", payload, namespace="/widget")
        return ack

    async def value(self, api: str, *args: Any) -> Any:
        ack = await self.call(api, *args)
        assert ack["ok"], ack
        return ack["value"]


class Agent:
    """The agent's side of one bridge: JSON over the control API."""

    def __init__(self, server: TestServer) -> None:
        self.server = server
        self.session = aiohttp.ClientSession()

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        url = self.server.make_url(path)
        async with self.session.request(method, url, json=body) as response:
            return response.status, await response.json()

    async def close(self) -> None:
        await self.session.close()


ServerFactory = Callable[..., Awaitable[TestServer]]
AgentFactory = Callable[[TestServer], Agent]
WidgetFactory = Callable[..., Awaitable[Widget]]


@pytest.fixture
async def serve(tmp_path: Path) -> AsyncIterator[ServerFactory]:
    servers: list[TestServer] = []

    async def start(**overrides: Any) -> TestServer:
        defaults: dict[str, Any] = {"store": "memory", "state_path": tmp_path / "state.sqlite3"}
        settings = Settings(**{**defaults, **overrides})
        server = TestServer(create_app(settings), host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        await server.close()


@pytest.fixture
async def connect_widget() -> AsyncIterator[WidgetFactory]:
    widgets: list[Widget] = []

    async def connect(
        server: TestServer,
        provider: str | None = None,
        href: str = SOFTPHONE_PAGE,
        origin: str = "http://localhost:5173",
    ) -> Widget:
        widget = Widget()
        auth = {"provider": provider, "href": href}
        await widget.connect(str(server.make_url("/")), auth, {"Origin": origin})
        widgets.append(widget)
        return widget

    yield connect
    for widget in widgets:
        await widget.client.disconnect()


async def wait_for_events(widget: Widget, count: int) -> list[dict[str, Any]]:
    """Wait until the widget has received `count` events (each emit precedes its ack)."""
    await widget.client.sleep(0)
    for _ in range(200):
        if len(widget.events) >= count:
            break
        await widget.client.sleep(0.01)
    return widget.events


@pytest.fixture
async def agent_for() -> AsyncIterator[AgentFactory]:
    """Give a test control-API clients of its bridges, closed when the test ends."""
    agents: list[Agent] = []

    def make(server: TestServer) -> Agent:
        agents.append(Agent(server))
        return agents[-1]

    yield make
    for agent in agents:
        await agent.close()
