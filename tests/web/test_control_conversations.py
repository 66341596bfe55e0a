"""The conversation routes of the control API, and what the provider's widget sees of them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from tests.web.conftest import ServerFactory, Widget, WidgetFactory, wait_for_events

MARIA = {"contact": "Maria Campbell"}


class Control:
    """Plain HTTP against the control API."""

    def __init__(self, server: TestServer, session: aiohttp.ClientSession) -> None:
        self.server = server
        self.session = session

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        async with self.session.request(method, self.server.make_url(path), json=body) as answer:
            return answer.status, await answer.json()

    async def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, payload = await self.request(method, path, body)
        assert status == 200, payload
        return payload

    async def arrive(self, **body: Any) -> str:
        payload = await self.ok("POST", "/api/conversations", body)
        conversation_id: str = payload["result"]["conversationId"]
        return conversation_id

    async def on(self, conversation_id: str, verb: str, body: Any = None) -> Any:
        return await self.ok("POST", f"/api/conversations/{conversation_id}/{verb}", body or {})

    async def session_of(self, conversation_id: str) -> dict[str, Any]:
        conversation = await self.ok("GET", f"/api/conversations/{conversation_id}")
        workspace = await self.ok("GET", "/api/workspace")
        found: dict[str, Any] = next(
            s for s in workspace["sessions"] if s["id"] == conversation["sessionId"]
        )
        return found


@pytest.fixture
async def control(serve: ServerFactory) -> AsyncIterator[Control]:
    server = await serve()
    async with aiohttp.ClientSession() as session:
        yield Control(server, session)


def decoded(widget: Widget, name: str) -> list[Any]:
    return [json.loads(e["data"]) for e in widget.events if e["name"] == name]


async def test_an_accepted_chat_reaches_the_widget_as_a_session(
    control: Control, connect_widget: WidgetFactory
) -> None:
    widget = await connect_widget(control.server)
    arrived = await control.ok("POST", "/api/conversations", {"channel": "chat", "customer": MARIA})
    conversation_id = arrived["result"]["conversationId"]
    assert arrived["conversation"]["state"] == "open"
    shown = (await control.ok("GET", "/api/notifications"))["displayed"]
    assert (shown["title"], shown["subject"]) == (
        "Incoming chat from Maria Campbell",
        conversation_id,
    )

    accepted = await control.on(conversation_id, "accept")
    session_id = accepted["result"]["sessionId"]
    assert accepted["conversation"]["state"] == "active"
    info = await widget.value("getSession", session_id)
    assert info["conversationId"] == conversation_id and info["focused"] is True
    await wait_for_events(widget, 2)
    assert decoded(widget, "onSessionSwitched")[-1]["sessionId"] == session_id
    assert decoded(widget, "onPresenceChange")[-1]["presenceInfo"]["presenceText"] == "Busy"

    await control.ok("DELETE", f"/api/sessions/{session_id}")
    await wait_for_events(widget, 4)  # onSessionClosed, then the presence back to Available
    assert decoded(widget, "onSessionClosed") == [
        {"sessionId": session_id, "context": info["context"]}
    ]
    assert [e["name"] for e in widget.events][-2:] == ["onSessionClosed", "onPresenceChange"]
    closed = await control.ok("GET", f"/api/conversations/{conversation_id}")
    assert (closed["state"], closed["endedBy"]) == ("closed", "session")


async def test_messages_badges_and_sentiment_show_in_the_workspace(control: Control) -> None:
    maria = await control.arrive(channel="chat", customer=MARIA)
    await control.on(maria, "accept")
    await control.ok("POST", "/api/clock/advance", {"seconds": 2})
    other = await control.arrive(channel="chat")
    await control.on(other, "accept")  # focused now
    await control.on(maria, "messages", {"text": "It broke again", "sentiment": "very negative"})
    session = await control.session_of(maria)
    assert session["unread"] == 1 and session["sentimentAlert"] is True
    assert session["sentimentTooltip"] == (
        "Maria Campbell. Urgent attention is needed in your conversation."
    )
    contacts = session["omnichannel"]["contacts"]
    assert contacts["chat"][0]["messages"][0]["text"] == "It broke again"
    replied = await control.on(maria, "replies", {"text": "Link: {ReconnectUrl{ReconnectID}}"})
    assert "?oc.reconnectid=" in replied["result"]["text"]
    await control.ok("POST", f"/api/sessions/{session['id']}/focus")
    assert (await control.session_of(maria))["unread"] == 0


async def test_elevation_and_completion_over_http(control: Control) -> None:
    chat = await control.arrive(channel="chat", customer=MARIA)
    await control.on(chat, "accept")
    elevated = await control.on(chat, "elevate", {"channel": "phone"})
    call = elevated["result"]["conversationId"]
    assert elevated["conversation"]["channel"] == "voice"
    status, refusal = await control.request(
        "POST", f"/api/conversations/{chat}/elevate", {"channel": "sms"}
    )
    assert status == 409
    assert refusal == {
        "error": {"message": "Chat contacts can be elevated to email or phone only, not to SMS"}
    }
    for contact, disposition in ((chat, "Moved to phone"), (call, "Solved")):
        await control.on(contact, "end")
        done = await control.on(contact, "wrap-up", {"disposition": disposition})
    assert done["result"]["sessionStatus"] == "completed"


async def test_reconnection_through_the_link_inside_and_past_the_limit(control: Control) -> None:
    first = await control.arrive(channel="chat")
    await control.on(first, "accept")
    dropped = await control.on(first, "disconnect")
    link = dropped["conversation"]["reconnectUrl"]
    await control.ok("POST", "/api/clock/advance", {"seconds": 170})
    back = await control.ok("POST", "/api/reconnect", {"link": link})
    assert back["result"]["outcome"] == "reconnected"
    assert back["conversation"]["customerConnected"] is True

    await control.on(first, "disconnect")
    await control.ok("POST", "/api/clock/advance", {"seconds": 180})
    late = await control.ok("POST", "/api/reconnect", {"link": link})
    assert (late["result"]["outcome"], late["result"]["reason"]) == ("new", "timeout")
    assert late["conversation"]["customer"]["name"] == "Visitor 2"
    previous = await control.ok("GET", f"/api/conversations/{first}")
    assert previous["state"] == "wrapup"


async def test_the_prompt_and_closing_the_window(control: Control) -> None:
    chat = await control.arrive(channel="chat", customer={"name": "Ana Ruiz"})
    await control.on(chat, "accept")
    await control.on(chat, "disconnect")
    back = await control.on(chat, "reconnect", {"choice": "continue"})
    assert back["result"]["outcome"] == "reconnected"
    closed = await control.on(chat, "close-window")
    assert closed["conversation"]["state"] == "wrapup"
    assert closed["conversation"]["windowClosed"] is True


async def test_the_conversation_list_shows_capacity_and_thresholds(control: Control) -> None:
    await control.arrive(channel="sms", details={"phoneNumber": "+1 425 555 0142"})
    listing = await control.ok("GET", "/api/conversations")
    assert listing["capacity"] == {
        "total": 10,
        "used": 1,
        "available": 9,
        "heldBy": [listing["conversations"][0]["conversationId"]],
    }
    assert listing["sentimentThreshold"] == "slightly negative"
    assert listing["waitThresholdSeconds"] == 60
    shown = (await control.ok("GET", "/api/notifications"))["displayed"]
    assert {"name": "phone", "title": "Phone number", "value": "+1 425 555 0142"} in shown["fields"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        ("GET", "/api/conversations/nope", None, 404, "Conversation nope does not exist"),
        ("POST", "/api/conversations/nope/accept", {}, 404, "Conversation nope does not exist"),
        ("POST", "/api/conversations", {"channel": "fax"}, 404, "Channel fax is not configured"),
        (
            "POST",
            "/api/conversations",
            {"channel": "chat", "x": 1},
            400,
            "arriveConversation: $.x: is not expected",
        ),
        ("POST", "/api/conversations", [], 400, "arriveConversation: $: [] is not of type"),
        ("POST", "/api/reconnect", {"link": "https://x"}, 404, "No chat has the reconnect id"),
    ],
)
async def test_errors_have_the_control_api_shape(
    control: Control, method: str, path: str, body: Any, status: int, message: str
) -> None:
    got, payload = await control.request(method, path, body)
    assert got == status
    assert payload["error"]["message"].startswith(message)


async def test_state_refusals_are_409(control: Control) -> None:
    chat = await control.arrive(channel="chat")
    status, payload = await control.request("POST", f"/api/conversations/{chat}/end", {})
    assert status == 409
    assert payload["error"]["message"] == f"Conversation {chat} is open, so it cannot be ended"
