"""Conversations: the host's notification, accept, sessions, capacity, states."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cifbridge.engine import Engine
from cifbridge.engine.base.texts import MAX_SESSIONS
from cifbridge.engine.omnichannel.conversations import TRANSITIONS
from tests.conftest import SOFTPHONE, Bridge, BridgeFactory
from tests.engine.omnichannel.desk import FABRIKAM, MARIA, Desk


@pytest.fixture
def desk(bridge: Bridge) -> Desk:
    return Desk(bridge)


def test_accept_starts_a_focused_session_from_the_channel_template(desk: Desk) -> None:
    conversation_id = desk.arrive("chat", {"contact": MARIA})
    session_id = desk.accept(conversation_id)
    session = desk.session(session_id)
    assert session["title"] == MARIA
    assert session["template"] == "msdyn_chat_conversation_session"
    assert session["providerId"] == SOFTPHONE and session["focused"]
    anchor, kb = session["tabs"]
    assert anchor["anchor"] and anchor["title"] == "Active conversation"
    live_work_item = {"entityName": "msdyn_ocliveworkitem", "entityId": conversation_id}
    assert anchor["parameters"] == live_work_item
    assert kb["title"] == "Knowledge search" and kb["parameters"]["data"] == MARIA
    assert desk.view(conversation_id)["state"] == "active"
    assert desk.workspace()["notifications"]["displayed"] is None


def test_the_widget_sees_the_session_through_cif(desk: Desk) -> None:
    conversation_id, session_id = desk.start("voice", {"account": FABRIKAM})
    info = desk.bridge.ok("getSession", session_id)
    assert info["conversationId"] == conversation_id and info["focused"] is True
    assert info["context"]["customerName"] == FABRIKAM
    assert info["context"]["customerEntityName"] == "account"
    switched = desk.named("onSessionSwitched")
    assert switched[-1]["sessionId"] == session_id and switched[-1]["focused"] is True
    assert desk.bridge.ok("getAllSessions") == [session_id]
    updated = desk.bridge.ok("updateConversation", conversation_id, '{"subject": "Invoice"}')
    assert updated["id"] == conversation_id


def test_accept_moves_the_presence_as_the_channel_says(desk: Desk) -> None:
    desk.start("chat")
    changes = desk.named("onPresenceChange")
    assert [c["presenceInfo"]["presenceText"] for c in changes] == ["Busy"]
    assert desk.bridge.ok("getPresence") == "Busy"


def test_the_presence_returns_when_no_conversation_takes_capacity(desk: Desk) -> None:
    conversation_id, _ = desk.start("sms")
    desk.bridge.engine.agent("setPresence", presence_text="Busy")
    desk.act("endConversation", conversation_id=conversation_id)
    assert desk.bridge.ok("getPresence") == "Busy"  # wrap-up still takes capacity
    desk.act("wrapUpConversation", conversation_id=conversation_id, disposition="Answered")
    assert desk.bridge.ok("getPresence") == "Available"


def test_an_unanswered_notification_times_out_and_the_conversation_waits(desk: Desk) -> None:
    conversation_id = desk.arrive("voice")  # the voice template gives 60 s
    desk.advance(59)
    assert desk.view(conversation_id)["offer"] == "offered"
    desk.advance(1)
    assert desk.view(conversation_id)["offer"] == "DisplayTimeout"
    assert desk.view(conversation_id)["state"] == "open"


def test_accept_is_refused_without_room_for_a_session(make_bridge: BridgeFactory) -> None:
    desk = Desk(make_bridge({"limits": {"maxSessions": 1}}))
    desk.start("chat")
    waiting = desk.arrive("chat")
    desk.advance(2)
    refusal = desk.refused("acceptConversation", conversation_id=waiting)
    assert refusal.message == MAX_SESSIONS
    assert desk.view(waiting)["offer"] == "offered"  # still displayed, still answerable


def test_a_conversation_waits_in_the_queue_until_capacity_frees_up(
    make_bridge: BridgeFactory,
) -> None:
    desk = Desk(make_bridge({"conversations": {"capacity": 2}}))
    first, _ = desk.start("chat")
    second = desk.arrive("chat")
    third = desk.arrive("email")
    assert desk.view(second)["offer"] == "offered"
    assert desk.view(third)["offer"] == "queued" and desk.view(third)["notificationId"] is None
    capacity = desk.workspace()["omnichannel"]["capacity"]
    assert (capacity["used"], capacity["available"]) == (2, 0)
    desk.act("endConversation", conversation_id=first)
    assert desk.view(third)["offer"] == "queued"  # wrap-up still blocks
    desk.act("wrapUpConversation", conversation_id=first, disposition="Done")
    assert desk.view(third)["offer"] == "offered"


def test_wrap_up_frees_capacity_when_configured_not_to_block(make_bridge: BridgeFactory) -> None:
    desk = Desk(make_bridge({"conversations": {"capacity": 1, "blockCapacityInWrapUp": False}}))
    first, _ = desk.start("chat")
    waiting = desk.arrive("chat")
    assert desk.view(waiting)["offer"] == "queued"
    desk.act("endConversation", conversation_id=first)
    assert desk.view(waiting)["offer"] == "offered"


def test_the_customer_leaving_before_accept_abandons_it(desk: Desk) -> None:
    conversation_id = desk.arrive("chat")
    desk.act("closeWindow", conversation_id=conversation_id)
    assert desk.view(conversation_id)["state"] == "closed"
    assert desk.workspace()["notifications"]["displayed"] is None


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("endConversation", "open"),
        ("wrapUpConversation", "active"),
        ("elevateConversation", "open"),
    ],
)
def test_moves_outside_the_state_table_are_refused(desk: Desk, action: str, state: str) -> None:
    conversation_id = desk.arrive("chat")
    if state == "active":
        desk.accept(conversation_id)
    extra: dict[str, Any] = {"wrapUpConversation": {"disposition": "x"}}.get(action, {})
    extra |= {"channel": "email"} if action == "elevateConversation" else {}
    refusal = desk.refused(action, conversation_id=conversation_id, **extra)
    assert refusal.message.startswith(f"Conversation {conversation_id} is {state}, so it cannot")
    assert refusal.kind == "conflict"


def test_the_state_table_is_the_documented_one() -> None:
    assert TRANSITIONS == {
        ("open", "accept"): "active",
        ("open", "abandon"): "closed",
        ("open", "withdraw"): "closed",
        ("active", "end"): "wrapup",
        ("active", "park"): "waiting",
        ("active", "drop"): "closed",
        ("waiting", "return"): "open",
        ("waiting", "lapse"): "closed",
        ("wrapup", "complete"): "closed",
    }


def test_conversations_round_trip_through_json(desk: Desk) -> None:
    chat, _ = desk.start("chat", {"contact": MARIA})
    desk.act("customerMessage", conversation_id=chat, text="hi", sentiment="negative")
    desk.act("disconnectCustomer", conversation_id=chat)
    desk.arrive("sms")
    saved = json.loads(json.dumps(desk.engine.snapshot()))
    restored = Engine(desk.engine.config, clock=desk.clock)
    restored.restore(saved)
    assert restored.snapshot() == desk.engine.snapshot()
    assert restored.workspace.omnichannel.conversations[chat].messages[0]["text"] == "hi"
    assert restored.workspace.notifications[0].host == "conversation"
