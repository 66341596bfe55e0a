"""The /widget namespace end to end over a real Socket.IO connection."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest
import socketio

from cifbridge.engine.base.texts import ORIGIN_NOT_TRUSTED
from tests.web.conftest import ServerFactory, WidgetFactory, wait_for_events


async def test_create_and_inspect_a_session(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    request = {"templateName": "msdyn_chat_session", "customerName": "Ana", "context": {"a": 1}}
    assert await widget.value("createSession", request) == "session-id-1"
    assert await widget.value("getSession", "session-id-1") == {
        "sessionId": "session-id-1",
        "focused": True,
        "context": {"a": 1},
        "conversationId": None,
    }


async def test_events_arrive_as_json_strings_for_agent_actions(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    client = server.make_url
    async with aiohttp.ClientSession() as http:
        assert (await http.post(client("/api/sessions/session-id-1/focus"))).status == 200
        assert (await http.delete(client("/api/sessions/session-id-1"))).status == 200
    events = await wait_for_events(widget, 6)
    names = [e["name"] for e in events]
    assert (
        names
        == [
            "onSessionSwitched",  # create 1: focused
            "onSessionSwitched",  # create 2: 1 loses focus
            "onSessionSwitched",  # create 2: focused
            "onSessionSwitched",  # agent focuses 1: 2 loses focus
            "onSessionSwitched",  # agent focuses 1
            "onSessionClosed",  # agent closes 1
            "onSessionSwitched",  # focus returns to 2
        ][: len(names)]
    )
    assert all(isinstance(e["data"], str) for e in events)
    closed = next(json.loads(e["data"]) for e in events if e["name"] == "onSessionClosed")
    assert closed == {"sessionId": "session-id-1", "context": None}
    last_switch = json.loads(events[4]["data"])
    assert last_switch == {
        "sessionId": "session-id-1",
        "focused": True,
        "focussed": True,
        "context": None,
    }
    assert ',"' in events[0]["data"] and ": " not in events[0]["data"]  # JSON.stringify form


async def test_events_reach_only_the_owning_provider(
    serve: ServerFactory, connect_widget: WidgetFactory, tmp_path: Path
) -> None:
    config = tmp_path / "two.yaml"
    config.write_text(
        "providers:\n"
        "  - {uniqueName: cifb_chatdesk, landingUrl: 'http://localhost:9000/chat.html',"
        " trustedDomains: [localhost]}\n"
    )
    server = await serve(config_path=config)
    phone = await connect_widget(server)
    chat = await connect_widget(server, href="http://localhost:9000/chat.html")
    await chat.value("createSession", {"templateName": "msdyn_chat_session"})
    assert await phone.value("getAllSessions") == []
    await phone.value("createSession", {"templateName": "msdyn_chat_session"})
    await wait_for_events(chat, 2)
    await wait_for_events(phone, 1)
    assert [json.loads(e["data"])["sessionId"] for e in chat.events] == [
        "session-id-1",
        "session-id-1",
    ]
    assert [json.loads(e["data"])["sessionId"] for e in phone.events] == ["session-id-2"]


async def test_untrusted_origin_is_refused_per_call(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server, origin="https://intruder.example")
    ack = await widget.call("canCreateSession")
    assert ack == {
        "ok": False,
        "error": {"message": ORIGIN_NOT_TRUSTED, "msdyn_name": "canCreateSession"},
        "origin": "host",
    }


async def test_malformed_frames_get_an_error_ack_and_the_connection_lives_on(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    for bad in ("text", 42, None, {"args": []}, {"api": "getAllSessions", "args": "x"}):
        ack = await widget.client.call("cif", bad, namespace="/widget")
        assert ack["ok"] is False and ack["origin"] == "client"
        assert ack["error"]["message"].startswith("cifbridge:")
    assert await widget.value("getAllSessions") == []


async def test_bad_input_rejects_one_call_only(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    other = await connect_widget(server)
    ack = await widget.call("createSession", {"templateName": ["x"]})
    assert (
        ack["error"]["message"]
        == "createSession: $.input.templateName: ['x'] is not of type 'string'"
    )
    assert await widget.value("canCreateSession") is True
    assert await other.value("canCreateSession") is True


async def test_oversized_frame_is_refused_without_harm(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve(max_frame_bytes=10_000)
    victim = await connect_widget(server)
    bystander = await connect_widget(server)
    await victim.client.emit(
        "cif",
        {"api": "createSession", "args": [{"templateName": "x" * 20_000}]},
        namespace="/widget",
    )
    for _ in range(200):  # the server drops the offending connection
        if not victim.client.connected:
            break
        await victim.client.sleep(0.01)
    assert not victim.client.connected
    assert await bystander.value("getAllSessions") == []


async def test_retried_request_id_is_idempotent_over_the_wire(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    request = {"templateName": "msdyn_chat_session", "customerName": "Ana"}
    first = await widget.call("createSession", request, request_id="retry-me")
    second = await widget.call("createSession", request, request_id="retry-me")
    assert first == second == {"ok": True, "value": "session-id-1"}
    assert await widget.value("getAllSessions") == ["session-id-1"]


async def test_unknown_explicit_provider_is_refused_at_connect(serve: ServerFactory) -> None:
    server = await serve()
    client = socketio.AsyncClient(reconnection=False)
    reasons: list[object] = []
    client.on("connect_error", reasons.append, namespace="/widget")
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(
            str(server.make_url("/")),
            namespaces=["/widget"],
            auth={"provider": "nope_provider"},
            transports=["websocket"],
        )
    await client.disconnect()
    assert reasons and "nope_provider" in str(reasons[0])
