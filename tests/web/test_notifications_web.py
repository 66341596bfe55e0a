"""Notifications over the wire: the deferred answer as `cif:result`, and the control API."""

from __future__ import annotations

from typing import Any

import pytest

from cifbridge.clients.bridge import BridgeClient, BridgeError
from tests.web.conftest import AgentFactory, ServerFactory, Widget, WidgetFactory

CHAT = "msdyn_chat_incoming_authenticated"


class LateAnswers:
    """The `cif:result` messages one widget receives for its deferred calls."""

    def __init__(self, widget: Widget) -> None:
        self.widget = widget
        self.received: list[dict[str, Any]] = []
        widget.client.on("cif:result", self.received.append, namespace="/widget")

    async def so_far(self) -> list[dict[str, Any]]:
        """Return what arrived so far: a later call's ack follows every earlier message."""
        await self.widget.call("canCreateSession")
        return self.received


async def test_notify_event_is_answered_when_the_agent_accepts(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    answers = LateAnswers(widget)
    agent = agent_for(server)
    request = {"templateName": CHAT, "templateParameters": {"customerName": "Ana"}}
    ack = await widget.call("notifyEvent", request, request_id="n-1")
    assert ack == {"ok": True, "deferred": True}
    status, listed = await agent.request("GET", "/api/notifications")
    assert status == 200
    assert listed["displayed"]["title"] == "Incoming chat from Ana"
    assert listed["displayed"]["fields"] == [
        {"name": "customer", "title": "Customer", "value": "Ana"}
    ]
    status, after = await agent.request("POST", "/api/notifications/accept")
    assert status == 200
    assert after["answered"] == listed["displayed"]["id"]
    assert after["displayed"] is None
    assert await answers.so_far() == [
        {
            "requestId": "n-1",
            "ok": True,
            "value": {"actionName": "Accept", "responseReason": "Accept"},
        }
    ]


async def test_advancing_the_clock_times_the_notification_out(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    answers = LateAnswers(widget)
    agent = agent_for(server)
    await widget.call("notifyEvent", {"templateName": CHAT}, request_id="n-2")
    await agent.request("POST", "/api/clock/advance", {"seconds": 60})
    assert await answers.so_far() == []
    view = (await agent.request("GET", "/api/workspace"))[1]["notifications"]
    # Half of the 120 s display timeout is gone; how much wall time the test itself took
    # (seconds under load) is not the bridge's behaviour, so only the bounds are pinned.
    assert 0 < view["displayed"]["secondsLeft"] <= 60
    await agent.request("POST", "/api/clock/advance", {"seconds": 60})
    results = await answers.so_far()
    assert [r["value"] for r in results] == [
        {"actionName": "Timeout", "responseReason": "DisplayTimeout"}
    ]


async def test_a_retried_notify_event_queues_once_and_replays_its_answer(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    answers = LateAnswers(widget)
    agent = agent_for(server)
    request = {"templateName": CHAT}
    assert (await widget.call("notifyEvent", request, request_id="same"))["deferred"]
    assert (await widget.call("notifyEvent", request, request_id="same"))["deferred"]
    listed = (await agent.request("GET", "/api/notifications"))[1]
    assert listed["displayed"] is not None and listed["queueLength"] == 0
    await agent.request("POST", f"/api/notifications/{listed['displayed']['id']}/reject")
    declined = {"actionName": "Reject", "responseReason": "DeclinedByAgent"}
    assert [r["value"] for r in await answers.so_far()] == [declined]
    assert await widget.call("notifyEvent", request, request_id="same") == {
        "ok": True,
        "value": declined,
    }


async def test_cancel_event_answers_both_promises(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    answers = LateAnswers(widget)
    request = {"templateName": CHAT, "cancellationToken": "tok-1"}
    await widget.call("notifyEvent", request, request_id="n-3")
    assert await widget.call("cancelEvent", "tok-1") == {"ok": True, "value": "tok-1"}
    assert await answers.so_far() == [
        {
            "requestId": "n-3",
            "ok": True,
            "value": {"actionName": "Cancel", "responseReason": "Cancelled"},
        }
    ]
    assert await widget.call("cancelEvent", "tok-1") == {
        "ok": False,
        "error": {"message": "RejectAfterClientError", "msdyn_name": "CancelEvent"},
        "origin": "host",
    }


async def test_control_api_refusals_use_the_error_shape(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    agent = agent_for(server)
    status, body = await agent.request("POST", "/api/notifications/accept")
    assert (status, body) == (409, {"error": {"message": "No notification is displayed"}})
    await widget.call("notifyEvent", {"templateName": CHAT})
    await widget.call("notifyEvent", {"templateName": CHAT})
    queued_id = (await agent.request("GET", "/api/notifications"))[1]["queued"][0]["id"]
    status, body = await agent.request("POST", f"/api/notifications/{queued_id}/accept")
    assert status == 409 and "is queued" in body["error"]["message"]
    status, body = await agent.request("POST", "/api/notifications/notification-id-9/reject")
    assert status == 404 and "not pending" in body["error"]["message"]


def test_the_control_client_lists_and_answers_notifications(cifbridge: BridgeClient) -> None:
    assert cifbridge.notifications() == {
        "displayed": None,
        "queued": [],
        "queueLength": 0,
        "maxQueued": 10,
    }
    with pytest.raises(BridgeError) as nothing_shown:
        cifbridge.accept_notification()
    assert nothing_shown.value.status == 409
    with pytest.raises(BridgeError) as unknown:
        cifbridge.reject_notification("notification-id-1")
    assert unknown.value.status == 404


async def test_the_journal_marks_a_deferred_call_and_its_late_answer(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    await widget.call("notifyEvent", {"templateName": CHAT, "templateParameters": {}})
    agent = agent_for(server)
    await agent.request("POST", "/api/notifications/accept")
    _, journal = await agent.request("GET", "/api/journal?api=notifyEvent")
    call, answer = journal["entries"]
    assert (call["deferred"], "value" in call) == (True, False)
    assert answer["settled"] is True
    assert answer["value"] == {"actionName": "Accept", "responseReason": "Accept"}
