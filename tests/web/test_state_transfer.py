"""Export a busy workspace, import it into a fresh bridge: the same views, the same journal."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import pytest

from cifbridge.engine.base.conversation_state import Conversation, Omnichannel
from cifbridge.engine.base.state import Notification, Panel, Session, Tab, Workspace
from cifbridge.files.resources import data_dir
from tests.web.conftest import Agent, AgentFactory, ServerFactory, WidgetFactory

CHAT_NOTIFICATION = "msdyn_chat_incoming_authenticated"
# Fields that count real seconds passing (between two reads they differ by milliseconds).
MOVING = frozenset({"now", "secondsLeft", "totalSeconds", "waitSeconds", "reconnectSecondsLeft"})
VIEWS = (
    "/api/workspace",
    "/api/notifications",
    "/api/conversations",
    "/api/presence",
    "/api/panel",
    "/api/records/contact",
)


def steady(value: Any) -> Any:
    """Return a view without the fields that move with real time."""
    if isinstance(value, dict):
        return {k: steady(v) for k, v in value.items() if k not in MOVING}
    if isinstance(value, list):
        return [steady(v) for v in value]
    return value


async def ok(agent: Agent, method: str, path: str, body: Any = None) -> Any:
    status, answer = await agent.request(method, path, body)
    assert status in (200, 201), (path, answer)
    return answer


async def views(agent: Agent) -> dict[str, Any]:
    return {path: steady(await ok(agent, "GET", path)) for path in VIEWS}


async def journal(agent: Agent) -> list[dict[str, Any]]:
    entries = (await ok(agent, "GET", "/api/journal"))["entries"]
    return [{k: v for k, v in e.items() if k != "seq"} for e in entries]


async def busy_bridge(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> Agent:
    """Return the agent of a bridge with something of everything in its workspace."""
    server = await serve()
    widget = await connect_widget(server)
    agent = agent_for(server)
    sid = await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    body = {"templateName": "msdyn_search", "templateParameters": {"searchText": "printers"}}
    await ok(agent, "POST", f"/api/sessions/{sid}/tabs", body)
    await ok(agent, "POST", f"/api/sessions/{sid}/focus")
    ack = await widget.call("notifyEvent", {"templateName": CHAT_NOTIFICATION}, request_id="n-1")
    assert ack["deferred"]
    await ok(agent, "POST", "/api/records/contact", {"firstname": "Ana", "lastname": "Lima"})
    await ok(agent, "POST", "/api/conversations", {"channel": "sms", "customer": {"name": "Rui"}})
    await ok(agent, "POST", "/api/panel", {"width": 420})
    await ok(agent, "POST", "/api/clock/advance", {"seconds": 30})
    await ok(agent, "POST", "/api/presence", {"presenceText": "Do not disturb"})
    return agent


async def test_a_busy_workspace_comes_back_whole_in_a_fresh_bridge(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    source = await busy_bridge(serve, connect_widget, agent_for)
    exported = await ok(source, "POST", "/api/state/export")
    assert exported["format"] == "cifbridge-state" and exported["formatVersion"] == 1
    assert exported["clock"]["offset"] == pytest.approx(30)
    before, entries = await views(source), await journal(source)
    assert len(before["/api/workspace"]["sessions"]) == 3
    assert before["/api/notifications"]["displayed"]["template"] == CHAT_NOTIFICATION
    assert before["/api/presence"]["presence"]["presenceText"] == "Do not disturb"
    assert [c["channel"] for c in before["/api/conversations"]["conversations"]] == ["sms"]
    assert any(e["api"] == "notifyEvent" for e in entries)

    target = agent_for(await serve())
    imported = await ok(target, "POST", "/api/state/import", exported)
    assert steady(imported) == before["/api/workspace"]
    assert await views(target) == before
    assert await journal(target) == entries
    clock = await ok(target, "GET", "/api/clock")
    assert clock["now"] >= exported["clock"]["now"]  # it resumes where the export stopped
    again = await ok(target, "POST", "/api/state/export")
    assert again["workspace"]["sessions"] == exported["workspace"]["sessions"]
    assert again["workspace"]["notifications"] == exported["workspace"]["notifications"]


async def test_the_imported_deadlines_still_fire(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    source = await busy_bridge(serve, connect_widget, agent_for)
    exported = await ok(source, "POST", "/api/state/export")
    target = agent_for(await serve())
    await ok(target, "POST", "/api/state/import", exported)
    shown = (await ok(target, "GET", "/api/notifications"))["displayed"]
    await ok(target, "POST", "/api/clock/advance", {"seconds": shown["timeout"]})
    assert (await ok(target, "GET", "/api/notifications"))["displayed"] is None


def broken(document: dict[str, Any], where: str) -> dict[str, Any]:
    """Return a copy of an exported document with one thing wrong."""
    bad = copy.deepcopy(document)
    workspace = bad["workspace"]
    if where == "version":
        bad["formatVersion"] = 2
    elif where == "tab field":
        workspace["sessions"]["session-id-1"]["tabs"][0]["colour"] = "red"
    elif where == "focus":
        workspace["focused"] = "session-id-99"
    elif where == "home":
        del workspace["sessions"]["session-id-0"]
    elif where == "journal":
        bad["journal"] = {"entries": [{"api": "createSession"}]}
    return bad


@pytest.mark.parametrize(
    "where, message",
    [
        ("version", "importState: $.formatVersion: 1 was expected"),
        ("tab field", "importState: $.workspace.sessions['session-id-1'].tabs[0].colour: is not"),
        ("focus", "importState: $.workspace.focused: 'session-id-99' is not one of the sessions"),
        ("home", "importState: $.workspace.sessions: the Home session session-id-0 is missing"),
        ("journal", "importState: $.journal.entries[0].at: is required"),
    ],
)
async def test_an_unfit_document_is_refused_naming_the_path_and_changes_nothing(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
    where: str,
    message: str,
) -> None:
    source = await busy_bridge(serve, connect_widget, agent_for)
    exported = await ok(source, "POST", "/api/state/export")
    target = agent_for(await serve())
    await ok(target, "POST", "/api/records/contact", {"firstname": "Only", "lastname": "Here"})
    before, entries = await views(target), await journal(target)
    status, answer = await target.request("POST", "/api/state/import", broken(exported, where))
    assert status == 400 and answer["error"]["message"].startswith(message), answer
    assert await views(target) == before and await journal(target) == entries
    assert (await ok(target, "GET", "/api/clock"))["now"] < exported["clock"]["now"]  # not resumed


async def test_an_import_answers_the_calls_still_waiting_in_the_workspace_it_replaces(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    source = await busy_bridge(serve, connect_widget, agent_for)
    exported = await ok(source, "POST", "/api/state/export")
    server = await serve()
    widget = await connect_widget(server)
    answers: list[dict[str, Any]] = []
    widget.client.on("cif:result", answers.append, namespace="/widget")
    await widget.call("notifyEvent", {"templateName": CHAT_NOTIFICATION}, request_id="waits")
    await ok(agent_for(server), "POST", "/api/state/import", exported)
    await widget.call("canCreateSession")  # its ack follows every earlier message
    assert [a["requestId"] for a in answers] == ["waits"] and answers[0]["ok"] is False


def test_the_file_schema_names_every_field_of_the_plain_data_state() -> None:
    # A field added to the state must be added to schemas/state/export.json, or exports of
    # it would be refused on import (each object takes only the fields it lists).
    schema = json.loads((data_dir("schemas") / "state" / "export.json").read_text("utf-8"))
    kinds = {
        "workspace": Workspace, "session": Session, "tab": Tab, "panel": Panel,
        "notification": Notification, "omnichannel": Omnichannel, "conversation": Conversation,
    }  # fmt: skip
    for name, kind in kinds.items():
        listed = set(schema["$defs"][name]["properties"]) - {"version"}
        assert listed == {f.name for f in dataclasses.fields(kind)}, name
        assert schema["$defs"][name]["additionalProperties"] is False, name
