"""Frames no client library would send are answered, and harm nothing after them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.web.conftest import ServerFactory
from tests.web.raw_socketio import RawWidget

DEEP_CONTEXT = "[" * 3000 + "]" * 3000


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_a_context_3000_levels_deep_is_rejected_promptly(
    serve: ServerFactory, http: aiohttp.ClientSession
) -> None:
    server = await serve(store="sqlite")
    widget = await RawWidget.open(http, server)
    request = '{"templateName":"msdyn_voicecall_session","context":{"a":' + DEEP_CONTEXT + "}}"
    ack = await widget.call("createSession", request)
    assert ack["ok"] is False and ack["origin"] == "client"
    message = ack["error"]["message"]
    assert message.startswith("createSession: $.input.context.a[0][0][0]")
    assert message.endswith("nested deeper than 32 levels (limits.maxInputDepth)")
    # Nothing changed, and the next call is served from the same state.
    ack = await widget.call(
        "createSession", '{"templateName":"msdyn_voicecall_session","customerName":"Ana"}'
    )
    assert ack == {"ok": True, "value": "session-id-1"}
    await widget.close()
    async with http.get(server.make_url("/api/journal")) as response:
        entries = (await response.json())["entries"]
    assert [e["ok"] for e in entries] == [False, True]
    await server.close()  # one bridge per state file: the first lets go before the restart
    restarted = await serve(store="sqlite")  # the same state file, loaded afresh
    async with http.get(restarted.make_url("/api/workspace")) as response:
        ids = [s["id"] for s in (await response.json())["sessions"]]
    assert ids == ["session-id-0", "session-id-1"]


async def test_unreadable_frames_are_acknowledged_with_an_error(
    serve: ServerFactory, http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    server = await serve()
    widget = await RawWidget.open(http, server)
    frames = {
        "not JSON": '["cif",{"api":',
        "an integer of 500 digits": '["cif",{"api":"getMode","args":[%s]}]' % ("9" * 500),
        "an event that is not an array": '{"api":"getMode"}',
        "an event without a name": "[]",
        "an event named by a number": "[42, {}]",
        "brackets never closed": '["cif",' + "[" * 3000,
        "an event this namespace does not have": '["nope", 1]',
        "a reserved event name": '["disconnect", "bye"]',  # must not forget the widget
    }
    for label, text in frames.items():
        ack = await widget.answer(await widget.send_event(text))
        assert ack["ok"] is False, label
        assert ack["error"]["message"].startswith("cifbridge: "), label
    await widget.ws.send_bytes(b"")  # python-socketio would take it for an event without data
    ack = await widget.call("getMode")
    assert ack == {"ok": True, "value": 1}
    await widget.close()
    assert "Traceback" not in caplog.text


async def test_binary_attachments_are_not_taken_as_arguments(
    serve: ServerFactory, http: aiohttp.ClientSession
) -> None:
    server = await serve()
    widget = await RawWidget.open(http, server)
    placeholder = {"_placeholder": True, "num": 0}
    call = {"api": "updateContext", "args": [{"photo": placeholder}], "requestId": "bin-1"}
    await widget.ws.send_str("451-/widget,7" + json.dumps(["cif", call]))
    await widget.ws.send_bytes(b"\x89PNG\r\n")
    ack = await widget.answer(7)
    assert ack["error"]["message"] == (
        "updateContext: $.input.photo: is bytes data, which is not a JSON value"
    )
    await widget.close()


async def test_json_text_nested_too_deep_is_refused_like_an_object(
    serve: ServerFactory, http: aiohttp.ClientSession
) -> None:
    server = await serve()
    widget = await RawWidget.open(http, server)
    ack = await widget.call("createRecord", '"contact"', json.dumps(DEEP_CONTEXT))
    assert ack["error"]["message"] == (
        "createRecord: $.data: holds JSON text nested deeper than 32 levels (limits.maxInputDepth)"
    )
    await widget.close()
