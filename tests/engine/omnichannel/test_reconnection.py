"""Reconnection: inside, at and past the limit; End, window closed, session closed; link, prompt."""

from __future__ import annotations

from typing import Any

import pytest

from cifbridge.engine.base.texts import RECONNECT_PROMPT_UNAUTHENTICATED
from tests.conftest import BridgeFactory
from tests.engine.omnichannel.desk import MARIA, Desk

LIMIT = 300.0
PORTAL = "https://portal.contoso.com/chat"
REDIRECT = "https://contoso.com/contact-us"


def chat_settings(**reconnection: Any) -> dict[str, Any]:
    settings = {"enabled": True, "timeLimitSeconds": LIMIT, "portalUrl": PORTAL, **reconnection}
    return {"channels": {"chat": {"reconnection": settings}}}


@pytest.fixture
def desk(make_bridge: BridgeFactory) -> Desk:
    return Desk(make_bridge(chat_settings()))


def dropped(desk: Desk, customer: dict[str, Any] | None = None) -> tuple[str, str, str]:
    """Start a chat and drop its customer; return (conversation, session, reconnect link)."""
    conversation_id, session_id = desk.start("chat", customer)
    status = desk.act("disconnectCustomer", conversation_id=conversation_id)
    return conversation_id, session_id, status["reconnectUrl"]


def test_the_link_is_the_portal_with_the_reconnect_id(desk: Desk) -> None:
    conversation_id, _, link = dropped(desk)
    reconnect_id = desk.conversation(conversation_id).reconnect_id
    assert link == f"{PORTAL}?oc.reconnectid={reconnect_id}"
    text = "Back? {ReconnectUrl{ReconnectID}}"
    reply = desk.act("agentReply", conversation_id=conversation_id, text=text)
    assert reply["text"] == f"Back? {link}"


def test_inside_the_limit_the_link_leads_back_to_the_same_session(desk: Desk) -> None:
    conversation_id, session_id, link = dropped(desk)
    desk.advance(LIMIT - 1)
    result = desk.act("reconnectCustomer", link=link)
    assert result["outcome"] == "reconnected"
    view = desk.view(conversation_id)
    assert (view["state"], view["sessionId"], view["customerConnected"]) == (
        "active",
        session_id,
        True,
    )
    assert [s["id"] for s in desk.workspace()["sessions"]] == ["session-id-0", session_id]
    desk.advance(10)  # the old deadline is gone: nothing moves any more
    assert desk.view(conversation_id)["state"] == "active"


def test_at_the_limit_it_has_passed(desk: Desk) -> None:
    conversation_id, _, link = dropped(desk)
    desk.clock.advance(LIMIT)  # no timer fired yet: the reconnection applies what is due first
    result = desk.act("reconnectCustomer", link=link)
    assert result["outcome"] == "new" and result["reason"] == "timeout"
    assert desk.view(conversation_id)["state"] == "wrapup"


def test_the_timer_moves_the_chat_to_wrap_up_at_the_limit(desk: Desk) -> None:
    conversation_id, _, _ = dropped(desk)
    desk.advance(LIMIT - 0.5)
    assert desk.view(conversation_id)["canReconnect"] is True
    assert desk.view(conversation_id)["reconnectSecondsLeft"] == 0.5
    desk.advance(0.5)
    view = desk.view(conversation_id)
    assert (view["state"], view["endedBy"], view["canReconnect"]) == ("wrapup", "timeout", False)


def test_past_the_limit_the_link_starts_a_fresh_conversation(desk: Desk) -> None:
    conversation_id, _, link = dropped(desk, {"contact": MARIA})
    desk.advance(LIMIT + 60)
    result = desk.act("reconnectCustomer", link=link)
    assert result["outcome"] == "new" and result["previousConversationId"] == conversation_id
    fresh = desk.view(result["conversationId"])
    assert (fresh["state"], fresh["customer"]["name"]) == ("open", MARIA)
    assert fresh["conversationId"] != conversation_id


def test_past_the_limit_the_link_leads_to_the_redirect_url(make_bridge: BridgeFactory) -> None:
    desk = Desk(make_bridge(chat_settings(redirectUrl=REDIRECT)))
    _, _, link = dropped(desk)
    desk.advance(LIMIT + 1)
    result = desk.act("reconnectCustomer", link=link)
    assert result == {
        "outcome": "redirected",
        "url": REDIRECT,
        "reason": "timeout",
        "previousState": "wrapup",
    }
    assert len(desk.engine.workspace.omnichannel.conversations) == 1


def test_no_reconnection_once_the_agent_ended_it(desk: Desk) -> None:
    conversation_id, _, link = dropped(desk)
    desk.act("endConversation", conversation_id=conversation_id)
    desk.advance(10)  # well inside the limit
    result = desk.act("reconnectCustomer", link=link)
    assert (result["outcome"], result["reason"]) == ("new", "agent")
    assert desk.view(conversation_id)["state"] == "wrapup"


def test_no_reconnection_once_the_customer_closed_the_window(desk: Desk) -> None:
    conversation_id, _, link = dropped(desk)
    desk.act("closeWindow", conversation_id=conversation_id)
    view = desk.view(conversation_id)
    assert (view["state"], view["endedBy"], view["windowClosed"]) == ("wrapup", "customer", True)
    result = desk.act("reconnectCustomer", link=link)
    assert (result["outcome"], result["reason"]) == ("new", "customer")


def test_closing_the_window_while_connected_ends_the_chat(desk: Desk) -> None:
    conversation_id, _ = desk.start("chat")
    desk.act("closeWindow", conversation_id=conversation_id)
    assert desk.view(conversation_id)["state"] == "wrapup"
    link = desk.view(conversation_id)["reconnectUrl"]
    assert desk.act("reconnectCustomer", link=link)["outcome"] == "new"


def test_capacity_stays_blocked_until_the_agent_closes_the_session(
    make_bridge: BridgeFactory,
) -> None:
    desk = Desk(make_bridge({**chat_settings(), "conversations": {"capacity": 1}}))
    conversation_id, session_id, link = dropped(desk)
    waiting = desk.arrive("chat")
    assert desk.view(waiting)["offer"] == "queued"
    desk.advance(60)
    assert desk.view(waiting)["offer"] == "queued"  # the dropped chat still holds the agent
    desk.engine.close_session(session_id)
    assert desk.view(conversation_id)["state"] == "closed"
    assert desk.view(waiting)["offer"] == "offered"
    result = desk.act("reconnectCustomer", link=link)
    assert (result["outcome"], result["reason"]) == ("new", "session")


def test_an_authenticated_customer_continues_at_the_prompt(desk: Desk) -> None:
    conversation_id, session_id, _ = dropped(desk, {"contact": MARIA})
    desk.advance(100)
    result = desk.act("reconnectCustomer", conversation_id=conversation_id, choice="continue")
    assert result["outcome"] == "reconnected" and result["sessionId"] == session_id


def test_choosing_new_at_the_prompt_ends_the_previous_chat(desk: Desk) -> None:
    conversation_id, _, _ = dropped(desk, {"name": "Ana Ruiz"})
    result = desk.act("reconnectCustomer", conversation_id=conversation_id, choice="new")
    assert result["outcome"] == "new" and result["customerName"] == "Ana Ruiz"
    assert desk.view(conversation_id)["state"] == "wrapup"


def test_a_visitor_gets_no_prompt(desk: Desk) -> None:
    conversation_id, _, _ = dropped(desk)
    refusal = desk.refused("reconnectCustomer", conversation_id=conversation_id)
    assert refusal.message == RECONNECT_PROMPT_UNAUTHENTICATED


def test_reconnection_disabled_refuses_the_link(make_bridge: BridgeFactory) -> None:
    desk = Desk(make_bridge(chat_settings(enabled=False)))
    conversation_id, _ = desk.start("chat")
    assert desk.view(conversation_id)["reconnectUrl"] is None
    desk.act("disconnectCustomer", conversation_id=conversation_id)
    reconnect_id = desk.conversation(conversation_id).reconnect_id
    refusal = desk.refused("reconnectCustomer", reconnect_id=reconnect_id)
    assert refusal.message == "Reconnection is not enabled for the chat channel"
    desk.advance(LIMIT)  # the time limit still applies to a disconnected chat
    assert desk.view(conversation_id)["state"] == "wrapup"


@pytest.mark.parametrize(
    "params",
    [
        {"link": f"{PORTAL}?oc.reconnectid=00000000-0000-4000-8000-000000000000"},
        {"link": PORTAL},
        {"reconnect_id": "x", "choice": "maybe"},
    ],
)
def test_unknown_links_are_refused(desk: Desk, params: dict[str, Any]) -> None:
    # An unknown field ({"colour": "red"}) is the schema's: see test_control_bodies.py.
    assert desk.refused("reconnectCustomer", **params).kind == "not_found"


def test_a_connected_customer_has_nothing_to_reconnect(desk: Desk) -> None:
    conversation_id, _ = desk.start("chat")
    link = desk.view(conversation_id)["reconnectUrl"]
    refusal = desk.refused("reconnectCustomer", link=link)
    assert refusal.message == f"The customer of conversation {conversation_id} is connected"


def test_only_chat_customers_disconnect(desk: Desk) -> None:
    call, _ = desk.start("voice")
    refusal = desk.refused("disconnectCustomer", conversation_id=call)
    assert refusal.message.startswith("Only chat customers disconnect")
    desk.act("closeWindow", conversation_id=call)  # the caller hangs up
    assert desk.view(call)["state"] == "wrapup"


def test_the_engine_wakes_up_at_the_limit(desk: Desk) -> None:
    dropped(desk)
    assert desk.engine.next_deadline() == desk.clock() + LIMIT
