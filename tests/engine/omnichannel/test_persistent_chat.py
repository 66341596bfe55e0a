"""Persistent chat: closing (not ending) waits for the customer; ending starts fresh; expiry."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import BridgeFactory
from tests.engine.omnichannel.desk import MARIA, Desk

DAY = 86_400.0


def persistent(**settings: Any) -> dict[str, Any]:
    return {"channels": {"chat": {"persistentChat": {"enabled": True, **settings}}}}


@pytest.fixture
def desk(make_bridge: BridgeFactory) -> Desk:
    return Desk(make_bridge(persistent()))


def parked(desk: Desk) -> str:
    """A persistent chat with two messages whose session the agent closed without ending it."""
    conversation_id, session_id = desk.start("chat", {"contact": MARIA})
    desk.act("customerMessage", conversation_id=conversation_id, text="Where is my order?")
    desk.act("agentReply", conversation_id=conversation_id, text="Checking, I'll come back to you")
    desk.engine.close_session(session_id)
    return conversation_id


def test_closing_the_session_leaves_the_chat_waiting_28_days(desk: Desk) -> None:
    conversation_id = parked(desk)
    view = desk.view(conversation_id)
    assert view["state"] == "waiting"
    assert view["waitingUntil"] == desk.clock() + 28 * DAY
    assert desk.workspace()["omnichannel"]["capacity"]["used"] == 0


def test_the_customer_returns_to_the_same_conversation_and_its_history(desk: Desk) -> None:
    conversation_id = parked(desk)
    desk.advance(3 * DAY)
    result = desk.act("arriveConversation", channel="chat", customer={"contact": MARIA})
    assert result["resumed"] is True and result["conversationId"] == conversation_id
    assert desk.view(conversation_id)["state"] == "open"
    session_id = desk.accept(conversation_id)
    assert session_id == "session-id-2"  # a new session ...
    texts = [m["text"] for m in desk.view(conversation_id)["messages"]]
    # ... with the same history
    assert texts[:2] == ["Where is my order?", "Checking, I'll come back to you"]
    assert desk.bridge.ok("getSession", session_id)["conversationId"] == conversation_id


def test_the_customer_writing_brings_the_chat_back(desk: Desk) -> None:
    conversation_id = parked(desk)
    desk.act("customerMessage", conversation_id=conversation_id, text="Any news?")
    view = desk.view(conversation_id)
    assert (view["state"], view["offer"]) == ("open", "offered")
    assert view["messages"][-1]["text"] == "Any news?"


def test_ending_it_means_the_next_visit_starts_fresh(desk: Desk) -> None:
    conversation_id, session_id = desk.start("chat", {"contact": MARIA})
    desk.act("endConversation", conversation_id=conversation_id)
    desk.act("wrapUpConversation", conversation_id=conversation_id, disposition="Solved")
    desk.engine.close_session(session_id)
    result = desk.act("arriveConversation", channel="chat", customer={"contact": MARIA})
    assert result["resumed"] is False and result["conversationId"] != conversation_id
    assert desk.view(result["conversationId"])["messages"] == []


def test_the_waiting_period_expires(desk: Desk) -> None:
    conversation_id = parked(desk)
    desk.advance(28 * DAY - 1)
    assert desk.view(conversation_id)["state"] == "waiting"
    desk.advance(1)  # at the end of the period it is over
    view = desk.view(conversation_id)
    assert (view["state"], view["endedBy"]) == ("closed", "timeout")
    result = desk.act("arriveConversation", channel="chat", customer={"contact": MARIA})
    assert result["resumed"] is False


def test_an_arrival_at_the_end_of_the_period_starts_fresh(desk: Desk) -> None:
    conversation_id = parked(desk)
    desk.clock.advance(28 * DAY)  # no timer fired: the arrival applies what is due first
    result = desk.act("arriveConversation", channel="chat", customer={"contact": MARIA})
    assert result["resumed"] is False
    assert desk.view(conversation_id)["state"] == "closed"


def test_the_waiting_period_is_configurable(make_bridge: BridgeFactory) -> None:
    desk = Desk(make_bridge(persistent(waitingDays=2)))
    conversation_id = parked(desk)
    assert desk.engine.next_deadline() == desk.clock() + 2 * DAY
    desk.advance(2 * DAY)
    assert desk.view(conversation_id)["state"] == "closed"


def test_a_visitors_chat_is_not_persistent(desk: Desk) -> None:
    conversation_id, session_id = desk.start("chat")
    desk.engine.close_session(session_id)
    assert desk.view(conversation_id)["state"] == "closed"


def test_without_persistent_chat_closing_the_session_closes_the_chat(
    make_bridge: BridgeFactory,
) -> None:
    desk = Desk(make_bridge())
    conversation_id, session_id = desk.start("chat", {"contact": MARIA})
    desk.engine.close_session(session_id)
    view = desk.view(conversation_id)
    assert (view["state"], view["endedBy"]) == ("closed", "session")


def test_a_persistent_chat_outlives_its_customer_leaving(desk: Desk) -> None:
    conversation_id, session_id = desk.start("chat", {"contact": MARIA})
    desk.act("closeWindow", conversation_id=conversation_id)
    assert desk.view(conversation_id)["state"] == "active"
    desk.advance(DAY)  # no reconnection limit for a persistent chat
    assert desk.view(conversation_id)["state"] == "active"
    result = desk.act("arriveConversation", channel="chat", customer={"contact": MARIA})
    assert result["resumed"] is True and result["sessionId"] == session_id
    assert desk.view(conversation_id)["customerConnected"] is True
