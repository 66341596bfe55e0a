"""Completing work: the agent ends contacts, wraps them up, and closes their sessions.

Rules (issue 5; conversation states and wrap-up [DOC-OC]):
- End moves an active contact to wrap-up (ended by the agent): a chat can no longer be
  reconnected, a call hangs up;
- wrap-up is the post-contact work: the agent gives a disposition (non-empty text), which
  closes the contact; a contact is complete once closed with its disposition;
- a session is complete only when every contact in it is complete: one holding an elevated
  call stays incomplete while the call, or its wrap-up, goes on;
- closing a session (its X) settles every contact in it: wrap-up ones close as they are
  (no disposition); an active persistent chat waits for its customer (persistent_chat.py);
  every other active one closes, ended by the session: a disconnected chat frees the
  capacity it held and can no longer be reconnected.
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.conversation_state import ACTIVE, WRAPUP, Conversation
from cifbridge.engine.base.errors import INVALID, AgentActionRefused
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Session
from cifbridge.engine.cif import focus
from cifbridge.engine.omnichannel import persistent_chat
from cifbridge.engine.omnichannel.conversations import find, move, require
from cifbridge.engine.omnichannel.queries import contacts, session_status


def end_conversation(ctx: CallContext, *, conversation_id: str) -> dict[str, Any]:
    """Agent action: end an active contact (End); it moves to wrap-up."""
    conversation = find(ctx, conversation_id)
    require(conversation, (ACTIVE,), "be ended")
    conversation.ended_by = "agent"
    conversation.reconnect_deadline = None
    move(ctx, conversation, "end")
    return _status(ctx, conversation)


def wrap_up(ctx: CallContext, *, conversation_id: str, disposition: str) -> dict[str, Any]:
    """Agent action: finish a contact's post-contact work with a disposition; it closes."""
    conversation = find(ctx, conversation_id)
    if not disposition.strip():
        raise AgentActionRefused("disposition is a non-empty text", INVALID)
    require(conversation, (WRAPUP,), "be wrapped up (end it first)")
    conversation.disposition = disposition
    move(ctx, conversation, "complete")
    return _status(ctx, conversation)


def close_session_of(ctx: CallContext, *, conversation_id: str) -> dict[str, Any]:
    """Agent action: close the session holding a contact (its X), settling its contacts."""
    conversation = find(ctx, conversation_id)
    session_id = conversation.session_id or ""
    if ctx.workspace.session(session_id) is None:
        raise AgentActionRefused(f"Conversation {conversation.id} has no open session")
    focus.close(ctx, session_id)
    return _status(ctx, conversation)


def session_closed(ctx: CallContext, session: Session) -> None:
    """Settle the contacts of a session the agent closed (an on_session_closed hook)."""
    for conversation in contacts(ctx.workspace, session.id):
        if conversation.state == WRAPUP:
            move(ctx, conversation, "complete")
        elif conversation.state == ACTIVE and persistent_chat.applies(ctx, conversation):
            persistent_chat.park(ctx, conversation)
        elif conversation.state == ACTIVE:
            conversation.ended_by = "session"
            conversation.reconnect_deadline = None
            move(ctx, conversation, "drop")


def _status(ctx: CallContext, conversation: Conversation) -> dict[str, Any]:
    session_id = conversation.session_id or ""
    return {
        "conversationId": conversation.id,
        "state": conversation.state,
        "sessionId": conversation.session_id,
        "sessionStatus": session_status(ctx.workspace, session_id) if session_id else None,
    }


FEATURE = Feature(
    name="completion",
    agent_actions={
        "endConversation": end_conversation,
        "wrapUpConversation": wrap_up,
        "closeConversationSession": close_session_of,
    },
    on_session_closed=(session_closed,),
)
