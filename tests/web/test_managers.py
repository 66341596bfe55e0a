"""The bridge's Socket.IO managers: an emit reaches the room it names, in order, skips whom it
is told to skip, and one broken connection does not keep it from the others."""

from __future__ import annotations

from typing import Any

import socketio
from aiohttp import web
from aiohttp.test_utils import TestServer
from socketio.async_pubsub_manager import AsyncPubSubManager

from cifbridge.settings import Settings
from cifbridge.web.app import create_app
from cifbridge.web.keys import SIO
from cifbridge.web.managers import DirectAsyncManager, DirectRedisManager
from tests.web.conftest import WidgetFactory, wait_for_events


async def _server_with(manager: socketio.AsyncManager) -> tuple[socketio.AsyncServer, TestServer]:
    sio = socketio.AsyncServer(async_mode="aiohttp", client_manager=manager)
    app = web.Application()
    sio.attach(app)

    async def join(sid: str, room: Any) -> None:
        await sio.enter_room(sid, room)

    sio.on("join", join)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return sio, server


async def _client(server: TestServer, heard: list[Any]) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)
    client.on("news", lambda *args: heard.append(args[0] if len(args) == 1 else list(args)))
    await client.connect(str(server.make_url("/")), transports=["websocket"])
    return client


async def test_an_emit_reaches_its_room_in_order_and_skips_whom_it_is_told_to() -> None:
    sio, server = await _server_with(DirectAsyncManager())
    first: list[Any] = []
    second: list[Any] = []
    outside: list[Any] = []
    clients = [await _client(server, heard) for heard in (first, second, outside)]
    try:
        for client in clients[:2]:
            await client.emit("join", "room")
        await clients[0].sleep(0.1)
        for number in range(20):
            await sio.emit("news", {"n": number}, room="room")
        await sio.emit("news", ("two", "arguments"), room="room", skip_sid=clients[0].get_sid())
        for _ in range(100):
            if len(second) == 21:
                break
            await clients[0].sleep(0.01)
        assert first == [{"n": n} for n in range(20)]
        assert second[:20] == [{"n": n} for n in range(20)]
        assert second[20] == ["two", "arguments"]  # a tuple is several arguments
        assert outside == []
    finally:
        for client in clients:
            await client.disconnect()
        await server.close()


async def test_an_emit_goes_on_to_the_other_connections_when_one_fails() -> None:
    sio, server = await _server_with(DirectAsyncManager())
    heard: list[Any] = []
    client = await _client(server, heard)
    broken = await _client(server, [])
    sent = sio.eio.send_packet

    async def refuse_one(eio_sid: str, frame: Any) -> None:
        if eio_sid == sio.manager.eio_sid_from_sid(broken.get_sid(), "/"):
            raise ConnectionResetError("the connection went away mid-send")
        await sent(eio_sid, frame)

    sio.eio.send_packet = refuse_one
    try:
        await sio.emit("news", "still sent")
        for _ in range(100):
            if heard:
                break
            await client.sleep(0.01)
        assert heard == ["still sent"]
    finally:
        await client.disconnect()
        await broken.disconnect()
        await server.close()


async def test_the_bridge_uses_them_and_its_widgets_get_their_events(
    connect_widget: WidgetFactory,
) -> None:
    app = create_app(Settings(store="memory"))
    bridge_sio: socketio.AsyncServer = app[SIO]
    assert isinstance(bridge_sio.manager, DirectAsyncManager)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        widget = await connect_widget(server)
        ack = await widget.call("createSession", {"templateName": "msdyn_chat_session"})
        assert ack["ok"], ack
        events = await wait_for_events(widget, 1)
        assert [e["name"] for e in events] == ["onSessionSwitched"]
    finally:
        await server.close()


def test_with_redis_the_local_delivery_goes_through_the_direct_manager() -> None:
    # The pub/sub manager's own delivery calls super().emit: it must land on ours.
    order = DirectRedisManager.__mro__
    assert order.index(DirectAsyncManager) == order.index(AsyncPubSubManager) + 1
