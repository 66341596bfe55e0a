"""Dialogs, message bars and the notes flap over the wire: late answers, routes, the journal."""

from __future__ import annotations

from typing import Any

from cifbridge.api.control_routes import route
from tests.web.conftest import Agent, AgentFactory, ServerFactory, Widget, WidgetFactory

MARIA = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"


async def send(agent: Agent, name: str, body: Any = None, **path: str) -> tuple[int, Any]:
    found = route(name)
    return await agent.request(found.method, found.url(path), body)


class LateAnswers:
    """The `cif:result` messages one widget receives for its deferred calls."""

    def __init__(self, widget: Widget) -> None:
        self.widget = widget
        self.received: list[dict[str, Any]] = []
        widget.client.on("cif:result", self.received.append, namespace="/widget")

    async def so_far(self) -> list[dict[str, Any]]:
        await self.widget.call("canCreateSession")  # its ack follows every earlier message
        return self.received


async def test_the_agent_answers_a_dialog_over_http(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    answers = LateAnswers(widget)
    agent = agent_for(server)
    ack = await widget.call("openDialog", {"text": "Transfer?"}, request_id="d-1")
    assert ack == {"ok": True, "deferred": True}
    status, dialogs = await send(agent, "listDialogs")
    assert status == 200 and [d["text"] for d in dialogs] == ["Transfer?"]
    assert "requestId" not in (await send(agent, "getWorkspace"))[1]["overlays"]["dialogs"][0]
    status, answered = await send(agent, "answerDialog", {"confirmed": True})
    assert (status, answered["answered"]) == (200, "dialog-id-1")
    assert await answers.so_far() == [
        {"requestId": "d-1", "ok": True, "value": {"confirmed": True}}
    ]
    status, refused = await send(agent, "answerDialog", {"confirmed": "yes"})
    assert status == 400 and "answerDialog: $.confirmed" in refused["error"]["message"]


async def test_closing_and_clicking_a_bar_are_journaled(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    agent = agent_for(server)
    options = {"message": "Ready", "actionLabel": "Open", "actionLink": "https://contoso.com/r"}
    bar_id = (await widget.call("showGlobalNotification", {**options, "showCloseButton": True}))[
        "value"
    ]
    status, clicked = await send(agent, "clickMessageBarAction", bar_id=bar_id)
    assert (status, clicked["actionLink"]) == (200, "https://contoso.com/r")
    assert (await send(agent, "closeMessageBar", bar_id=bar_id))[0] == 200
    status, missing = await send(agent, "closeMessageBar", bar_id=bar_id)
    assert status == 404 and bar_id in missing["error"]["message"]
    _, journal = await send(agent, "getJournal")
    agent_steps = [(e["api"], e["args"], e["actor"]) for e in journal["entries"] if e.get("actor")]
    assert agent_steps == [
        ("clickMessageBarAction", [bar_id], "agent"),
        ("closeMessageBar", [bar_id], "agent"),
    ]


async def test_the_agent_saves_notes_over_http(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    answers = LateAnswers(widget)
    agent = agent_for(server)
    await widget.call("insertNotes", "contact", "contacts", MARIA, "", request_id="n-1")
    status, flap = await send(agent, "getNotes")
    assert (status, flap["entityId"], flap["existingText"]) == (200, MARIA, "")
    status, refused = await send(agent, "saveNotes", {"text": ""})
    assert status == 400 and "saveNotes: $.text" in refused["error"]["message"]
    status, saved = await send(agent, "saveNotes", {"text": "Callback at 5"})
    assert status == 200
    assert await answers.so_far() == [
        {"requestId": "n-1", "ok": True, "value": {"value": saved["annotationId"]}}
    ]
    assert (await send(agent, "getNotes"))[0] == 404
    assert (await send(agent, "cancelNotes"))[0] == 404
