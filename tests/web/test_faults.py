"""Faults on demand at the Socket.IO level: what the widget receives for each kind of fault."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import socketio

from cifbridge.engine.base.texts import TIMEOUT
from tests.conftest import CHAT as CHAT_DESK
from tests.conftest import SECOND_PROVIDER
from tests.web.conftest import Agent, AgentFactory, ServerFactory, WidgetFactory, wait_for_events

CHAT = {"templateName": "msdyn_chat_session", "customerName": "Ana"}
VOICE = {"templateName": "msdyn_voicecall_session", "customerName": "Bo"}


async def _fault(agent: Agent, **body: Any) -> dict[str, Any]:
    status, answer = await agent.request("POST", "/api/faults", body)
    assert status == 201, answer
    fault: dict[str, Any] = answer["fault"]
    return fault


async def _journal(agent: Agent, kind: str = "all") -> list[dict[str, Any]]:
    _, answer = await agent.request("GET", f"/api/journal?kind={kind}")
    entries: list[dict[str, Any]] = answer["entries"]
    return entries


@pytest.mark.parametrize(
    ("error", "acknowledged"),
    [
        (
            {"form": "host", "message": "Session could not be created"},
            {
                "error": {"message": "Session could not be created", "msdyn_name": "createSession"},
                "origin": "host",
            },
        ),
        (
            {"form": "host", "message": "Nope", "msdyn_name": "CreateSession", "errorCode": 7},
            {
                "error": {"message": "Nope", "msdyn_name": "CreateSession", "errorCode": 7},
                "origin": "host",
            },
        ),
        (
            {"form": "client", "message": "The input parameter is blank."},
            {"error": {"message": "The input parameter is blank."}, "origin": "client"},
        ),
        ({"form": "timeout"}, {"error": {"message": TIMEOUT}, "origin": "timeout"}),
    ],
)
async def test_a_rejection_fault_answers_the_chosen_form_once_and_changes_nothing(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
    error: dict[str, Any],
    acknowledged: dict[str, Any],
) -> None:
    server = await serve()
    widget, agent = await connect_widget(server), agent_for(server)
    fault = await _fault(agent, api="createSession", effect="reject", times=1, error=error)
    assert (fault["id"], fault["remaining"], fault["fired"]) == ("fault-1", 1, 0)
    assert await widget.call("createSession", CHAT) == {"ok": False, **acknowledged}
    assert await widget.value("getAllSessions") == []  # the call never reached the engine
    assert widget.events == []
    assert await widget.value("createSession", CHAT) == "session-id-1"  # spent after one
    _, listed = await agent.request("GET", "/api/faults")
    assert listed == {"faults": []}
    faults = [e for e in await _journal(agent) if e["kind"] == "fault"]
    assert [(e["change"], e["fault"]["id"]) for e in faults] == [
        ("set", "fault-1"),
        ("fired", "fault-1"),
    ]
    assert faults[1]["on"] == {"provider": "cifb_softphone", "api": "createSession"}
    first_call = next(e for e in await _journal(agent, "call") if e["api"] == "createSession")
    assert (first_call["ok"], first_call["error"], first_call["fault"]) == (
        False,
        acknowledged["error"],
        "fault-1",
    )


async def test_a_fault_matching_part_of_the_input_leaves_other_calls_alone(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget, agent = await connect_widget(server), agent_for(server)
    await _fault(
        agent,
        api="createSession",
        effect="reject",
        match={"input": {"templateName": "msdyn_chat_session"}},
        error={"form": "host", "message": "No chat today"},
    )
    assert (await widget.call("createSession", CHAT))["error"]["message"] == "No chat today"
    assert await widget.value("createSession", VOICE) == "session-id-1"
    assert (await widget.call("createSession", CHAT))["ok"] is False  # no times: it stays
    _, listed = await agent.request("GET", "/api/faults")
    assert [(f["id"], f["remaining"], f["fired"]) for f in listed["faults"]] == [
        ("fault-1", None, 2)
    ]


async def test_a_fault_for_one_provider_spares_the_others(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory, tmp_path: Path
) -> None:
    config = tmp_path / "two-providers.json"
    config.write_text(json.dumps(SECOND_PROVIDER), encoding="utf-8")
    server = await serve(config_path=config)
    softphone = await connect_widget(server)
    chat = await connect_widget(
        server, provider=CHAT_DESK, href="http://localhost:9000/chat.html",
        origin="http://localhost:9000",
    )  # fmt: skip
    agent = agent_for(server)
    error = {"form": "client", "message": "Chat desk is down"}
    await _fault(agent, api="*", effect="reject", provider=CHAT_DESK, error=error)
    assert await chat.call("getAllSessions") == {
        "ok": False,
        "error": {"message": "Chat desk is down"},
        "origin": "client",
    }
    assert await softphone.value("getAllSessions") == []


async def test_a_delayed_call_takes_effect_at_once_and_is_answered_late(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget, agent = await connect_widget(server), agent_for(server)
    await _fault(agent, api="createSession", effect="delay", delayMs=2000, times=1)
    answer = asyncio.ensure_future(widget.call("createSession", CHAT))
    for _ in range(300):  # the agent sees the session while the widget still waits
        _, view = await agent.request("GET", "/api/workspace")
        if len(view["sessions"]) == 2:
            break
        await asyncio.sleep(0.01)
    assert [s["id"] for s in view["sessions"]] == ["session-id-0", "session-id-1"]
    assert not answer.done()
    assert await answer == {"ok": True, "value": "session-id-1"}


async def test_a_hanging_call_is_never_answered(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget, agent = await connect_widget(server), agent_for(server)
    await _fault(agent, api="createSession", effect="hang", times=1)
    with pytest.raises(socketio.exceptions.TimeoutError):
        await widget.client.call(
            "cif", {"api": "createSession", "args": [CHAT], "requestId": "r1"},
            namespace="/widget", timeout=1,
        )  # fmt: skip
    assert await widget.value("getAllSessions") == []
    call = (await _journal(agent, "call"))[0]
    assert (call["api"], call["unanswered"], call["fault"]) == ("createSession", True, "fault-1")
    # The shim resends with the same requestId; spent, the fault lets it through.
    resent = await widget.call("createSession", CHAT, request_id="r1")
    assert resent == {"ok": True, "value": "session-id-1"}


async def test_a_disconnect_fault_drops_the_callers_connection_instead_of_answering(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget, agent = await connect_widget(server), agent_for(server)
    lost = asyncio.Event()
    widget.client.on("disconnect", lost.set, namespace="/widget")
    await _fault(agent, api="getAllSessions", effect="disconnect", times=1)
    call = asyncio.ensure_future(widget.call("getAllSessions"))
    await asyncio.wait_for(lost.wait(), 10)
    assert not widget.client.connected
    call.cancel()
    entry = (await _journal(agent, "call"))[0]
    assert (entry["unanswered"], entry["fault"]) == (True, "fault-1")


async def test_a_connection_fault_drops_a_providers_widgets_now(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget, agent = await connect_widget(server), agent_for(server)
    sid = widget.client.get_sid("/widget")
    lost = asyncio.Event()
    widget.client.on("disconnect", lost.set, namespace="/widget")
    status, answer = await agent.request(
        "POST", "/api/faults", {"target": "connection", "effect": "disconnect",
                                "provider": "cifb_softphone"},
    )  # fmt: skip
    assert status == 201 and answer["connections"] == [sid]
    await asyncio.wait_for(lost.wait(), 10)
    fired = [e for e in await _journal(agent) if e["kind"] == "fault"][-1]
    assert (fired["change"], fired["on"]) == ("fired", {"connections": [sid]})
    status, again = await agent.request(
        "POST", "/api/faults", {"target": "connection", "effect": "disconnect",
                                "provider": "cifb_softphone"},
    )  # fmt: skip
    assert status == 404
    assert again["error"]["message"] == (
        "no widget connection of cifb_softphone is open on this bridge"
    )


async def test_an_event_fault_drops_one_event(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget, agent = await connect_widget(server), agent_for(server)
    await _fault(agent, target="event", event="onSessionSwitched", effect="drop", times=1)
    await widget.value("createSession", CHAT)
    await widget.value("createSession", VOICE)
    events = await wait_for_events(widget, 2)
    # The first session's switch never came; the second one's did (one payload per session).
    assert all('"session-id-1","focused":true' not in e["data"] for e in events)
    assert any('"session-id-2","focused":true' in e["data"] for e in events)
    dropped = [e for e in await _journal(agent, "event") if e.get("dropped")]
    assert [(e["payload"]["sessionId"], e["fault"]) for e in dropped] == [
        ("session-id-1", "fault-1")
    ]


async def test_an_event_fault_delays_an_event_past_the_calls_answer(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget, agent = await connect_widget(server), agent_for(server)
    await _fault(agent, target="event", event="*", effect="delay", delayMs=300)
    await widget.value("createSession", CHAT)
    assert widget.events == []  # undelayed, the event comes before the acknowledgement
    events = await wait_for_events(widget, 1)
    assert [e["name"] for e in events] == ["onSessionSwitched"]
    journaled = (await _journal(agent, "event"))[0]
    assert (journaled["delayMs"], journaled["fault"]) == (300, "fault-1")


async def test_faults_are_listed_cleared_one_by_one_and_by_reset(
    serve: ServerFactory, agent_for: AgentFactory
) -> None:
    agent = agent_for(await serve())
    await _fault(agent, api="getPresence", effect="hang")
    await _fault(agent, target="event", event="onPresenceChange", effect="drop")
    _, listed = await agent.request("GET", "/api/faults")
    assert [(f["id"], f["effect"]) for f in listed["faults"]] == [
        ("fault-1", "hang"),
        ("fault-2", "drop"),
    ]
    status, after = await agent.request("DELETE", "/api/faults/fault-1")
    assert status == 200 and [f["id"] for f in after["faults"]] == ["fault-2"]
    status, missing = await agent.request("DELETE", "/api/faults/fault-1")
    assert (status, missing["error"]["message"]) == (404, "no fault called fault-1 is set")
    cleared = [e for e in await _journal(agent) if e.get("change") == "cleared"]
    assert [e["fault"]["id"] for e in cleared] == ["fault-1"]
    await agent.request("POST", "/api/reset")
    assert (await agent.request("GET", "/api/faults"))[1] == {"faults": []}
    assert (await _fault(agent, api="getPresence", effect="hang"))["id"] == "fault-1"
    status, none = await agent.request("DELETE", "/api/faults")
    assert (status, none) == (200, {"faults": []})


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"effect": "drop"}, "setFault: $.effect: a call fault takes reject, delay, hang,"),
        ({"effect": "reject", "api": "createSessions", "error": {"form": "host", "message": "x"}},
         "setFault: $.api: Microsoft.CIFramework has no function createSessions"),
        ({"effect": "reject", "api": "createSession"},
         "setFault: $.error: is required for the reject effect"),
        ({"effect": "reject", "error": {"form": "host"}},
         "setFault: $.error.message: is required for the host and client forms"),
        ({"effect": "reject", "api": "notifyEvent", "error": {"form": "timeout"}},
         "setFault: $.error.form: the library never times out notifyEvent"),
        ({"effect": "delay"}, "setFault: $.delayMs: is required for the delay effect"),
        ({"effect": "hang", "times": 0}, "setFault: $.times: 0 is less than the minimum of 1"),
        ({"target": "event", "effect": "drop", "match": {}},
         "setFault: $.match: only a call fault takes it"),
    ],
)  # fmt: skip
async def test_unfit_faults_are_refused_and_set_nothing(
    serve: ServerFactory, agent_for: AgentFactory, body: dict[str, Any], problem: str
) -> None:
    agent = agent_for(await serve())
    status, answer = await agent.request("POST", "/api/faults", body)
    assert status == 400 and answer["error"]["message"].startswith(problem), answer
    assert (await agent.request("GET", "/api/faults"))[1] == {"faults": []}
    assert await _journal(agent) == []
