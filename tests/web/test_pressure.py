"""Graceful under pressure: stalled clients delay nobody, per-call memories stay bounded.

A client that stops reading its socket (a frozen tab, a debugger paused on a breakpoint) only
makes its own queue grow: every emit is queued per connection, so the calls of other widgets
go on being answered. And however many calls come, what the bridge keeps per call (answers
remembered for retries, analytics events, connections) stays within its bounds.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from cifbridge.engine.cif.analytics import RECORDS_KEPT
from cifbridge.engine.core import RECENT_REQUESTS_KEPT
from cifbridge.web.keys import AGENTS, SIO
from tests.web.conftest import AgentFactory, ServerFactory, WidgetFactory

BLOB = {"blob": "x" * 50_000}  # one custom event: 50 kB to every widget and to the page


def tiny_receive_buffer(addr_info: Any) -> socket.socket:
    """Make the client socket with a 4 kB receive buffer, so that it fills up at once."""
    family, kind, proto, _, _ = addr_info
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    return sock


async def stalled_client(
    http: aiohttp.ClientSession, server: TestServer, namespace: str, auth: dict[str, Any]
) -> aiohttp.ClientWebSocketResponse:
    """Connect to a namespace by hand, then never read again."""
    url = server.make_url("/socket.io/?EIO=4&transport=websocket")
    origin = f"http://127.0.0.1:{server.port}"
    ws = await http.ws_connect(url, headers={"Origin": origin})
    assert (await ws.receive(timeout=10)).data.startswith("0{")
    await ws.send_str(f"40{namespace}," + json.dumps(auth))
    for _ in range(5):  # the workspace namespace sends the state before the connect packet
        if (await ws.receive(timeout=10)).data.startswith(f"40{namespace},"):
            return ws
    raise AssertionError(f"no connection to {namespace}")


def queued_packets(server: TestServer, eio_sid: str) -> int:
    """Return how many packets wait in the bridge's queue for one connection."""
    return int(server.app[SIO].eio.sockets[eio_sid].queue.qsize())


async def test_a_stalled_page_and_widget_do_not_delay_other_widgets(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    live = await connect_widget(server)
    known = set(server.app[SIO].eio.sockets)
    connector = aiohttp.TCPConnector(socket_factory=tiny_receive_buffer)
    async with aiohttp.ClientSession(connector=connector) as http:
        page = await stalled_client(http, server, "/workspace", {})
        widget = await stalled_client(
            http, server, "/widget", {"href": "http://127.0.0.1/samples/softphone.html"}
        )
        stalled = set(server.app[SIO].eio.sockets) - known
        answers = [await live.call("raiseEvent", "loadTest", BLOB) for _ in range(100)]
        answers.append(
            await live.call(
                "createSession", {"templateName": "msdyn_chat_session", "customerName": "Ana"}
            )
        )
        # Both stalled connections still hold what they did not read: they were stalled
        # while every call of the live widget was answered.
        assert all(queued_packets(server, sid) > 0 for sid in stalled), stalled
        assert answers[:-1] == [{"ok": True, "value": True}] * 100
        assert answers[-1] == {"ok": True, "value": "session-id-1"}
        for ws in (page, widget):
            await ws.close()


async def test_per_call_memories_stay_bounded_after_many_calls(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    hub = server.app[AGENTS].default
    agent = agent_for(server)
    for round_number in range(6):
        widget = await connect_widget(server)
        for n in range(60):
            data = {"conversationId": "c-1", "providerSessionId": f"p-{round_number}-{n}"}
            assert (await widget.call("logAnalyticsEvent", data, "soak"))["ok"]
            assert (await widget.call("setClickToAct", n % 2 == 0))["ok"]
            session = await widget.value("createSession", {"templateName": "msdyn_chat_session"})
            assert (await agent.request("DELETE", f"/api/sessions/{session}"))[0] == 200
        await widget.client.disconnect()
        if round_number == 2:
            size_at_half = len(hub.engine.snapshot_text())
    workspace = hub.engine.workspace
    # 1,080 widget calls later: each memory is full, not growing.
    assert len(workspace.recent_requests) == RECENT_REQUESTS_KEPT
    assert len(workspace.analytics) == RECORDS_KEPT
    assert list(workspace.sessions) == ["session-id-0"]
    assert workspace.focus_history == []
    # What each save writes stopped growing with the calls: only the digits of ids and
    # timestamps inside the kept entries still vary in length.
    assert len(hub.engine.snapshot_text()) <= size_at_half * 1.15
    widgets = server.app[SIO].namespace_handlers["/widget"]
    for _ in range(500):  # the last disconnect reaches the bridge a moment after it is sent
        if not server.app[SIO].eio.sockets and not widgets.callers:
            break
        await asyncio.sleep(0.01)
    assert (widgets.callers, widgets.origins) == ({}, {})  # every connection forgotten
    assert len(server.app[SIO].eio.sockets) == 0
