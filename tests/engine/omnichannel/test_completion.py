"""Completion: a session completes only when every contact in it is wrapped up."""

from __future__ import annotations

import pytest

from tests.conftest import Bridge
from tests.engine.omnichannel.desk import MARIA, Desk


@pytest.fixture
def desk(bridge: Bridge) -> Desk:
    return Desk(bridge)


def test_a_session_completes_only_after_every_contact_is_wrapped_up(desk: Desk) -> None:
    chat, session_id = desk.start("chat", {"contact": MARIA})
    call = desk.act("elevateConversation", conversation_id=chat, channel="voice")["conversationId"]

    def status() -> str:
        value: str = desk.session(session_id)["omnichannel"]["status"]
        return value

    desk.act("endConversation", conversation_id=chat)
    desk.act("wrapUpConversation", conversation_id=chat, disposition="Moved to phone")
    assert status() == "active"  # the call goes on
    desk.act("endConversation", conversation_id=call)
    assert status() == "wrapup"  # the call's post-contact work is not done
    result = desk.act("wrapUpConversation", conversation_id=call, disposition="Refund agreed")
    assert result["sessionStatus"] == status() == "completed"
    completed = [desk.view(c)["completed"] for c in (chat, call)]
    assert completed == [True, True]


def test_wrap_up_needs_the_contact_ended_and_a_disposition(desk: Desk) -> None:
    chat, _ = desk.start("chat")
    refusal = desk.refused("wrapUpConversation", conversation_id=chat, disposition="Done")
    wanted = f"Conversation {chat} is active, so it cannot be wrapped up (end it first)"
    assert refusal.message == wanted
    desk.act("endConversation", conversation_id=chat)
    refusal = desk.refused("wrapUpConversation", conversation_id=chat, disposition="  ")
    assert refusal.kind == "invalid"
    assert desk.view(chat)["state"] == "wrapup"


def test_closing_the_session_settles_its_contacts(desk: Desk) -> None:
    chat, session_id = desk.start("chat")
    call = desk.act("elevateConversation", conversation_id=chat, channel="voice")["conversationId"]
    desk.act("endConversation", conversation_id=call)
    desk.act("closeSession", session_id=session_id)  # its X
    chat_view, call_view = desk.view(chat), desk.view(call)
    assert (chat_view["state"], chat_view["endedBy"]) == ("closed", "session")
    assert (call_view["state"], call_view["completed"]) == ("closed", False)  # no disposition
    assert desk.workspace()["omnichannel"]["capacity"]["used"] == 0
    assert desk.named("onSessionClosed")[-1]["sessionId"] == session_id


def test_close_session_action_closes_the_session_holding_the_contact(desk: Desk) -> None:
    chat, session_id = desk.start("chat")
    desk.act("closeConversationSession", conversation_id=chat)
    assert session_id not in desk.engine.workspace.sessions
    refusal = desk.refused("closeConversationSession", conversation_id=chat)
    assert refusal.message == f"Conversation {chat} has no open session"
