"""Reconnection: a disconnected chat customer comes back to the same agent and session.

Rules (issue 5; configure-reconnect-chat and oc-conv-state-chat-disconnect [DOC-OC]):
- only chat customers disconnect (their web socket drops); a disconnected chat stays active in
  its session, taking the agent's capacity, for its chat widget's `timeLimitSeconds` (default
  180), unless the agent closes the session, which closes the conversation and frees it;
- when the limit passes the chat moves to wrap-up (ended by timeout). At the limit exactly it
  has passed: the deadline fires at its time, like every engine deadline, and a reconnection
  first applies the deadlines already due, so the customer and the timer always agree;
- with reconnection enabled, the customer comes back inside the limit through the reconnect
  link `<portalUrl>?oc.reconnectid=<ReconnectID>` (what `{ReconnectUrl{ReconnectID}}` in an
  agent's reply becomes; any customer) or, authenticated customers only, by choosing to
  continue at the prompt: same conversation, session and agent, connected again;
- no reconnection once the agent ended the conversation or closed its session, or the customer
  closed the chat window: then, as past the limit, the link and the prompt lead to the redirect
  URL when one is configured, else to a fresh conversation of the same customer;
- choosing a new conversation at the prompt ends the previous one (wrap-up) and starts afresh;
- closing the chat window ends a chat from the customer's side (wrap-up), and a voice caller
  hanging up ends the call the same way; a persistent chat only loses its customer until they
  return; a customer who leaves before anyone accepted abandons the conversation (closed).
"""

from __future__ import annotations

import re
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.conversation_state import ACTIVE, OPEN, Conversation
from cifbridge.engine.base.deadlines import DeadlineTimer
from cifbridge.engine.base.errors import INVALID, NOT_FOUND, AgentActionRefused
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Workspace
from cifbridge.engine.base.texts import RECONNECT_PROMPT_UNAUTHENTICATED
from cifbridge.engine.cif import notifications
from cifbridge.engine.omnichannel import arrivals, persistent_chat
from cifbridge.engine.omnichannel.conversations import (
    find,
    move,
    note,
    require,
)
from cifbridge.engine.omnichannel.customers import resolve_customer
from cifbridge.engine.omnichannel.queries import channel_of, link, reconnectable

LINK_SLUG = "{ReconnectUrl{ReconnectID}}"
_LINK_ID = re.compile(r"[?&]oc\.reconnectid=([0-9A-Fa-f-]+)")


def disconnect(ctx: CallContext, *, conversation_id: str) -> dict[str, Any]:
    """Customer action: a chat customer's connection drops."""
    conversation = find(ctx, conversation_id)
    if conversation.channel != "chat":
        raise AgentActionRefused(
            f"Only chat customers disconnect; a {conversation.channel} customer closes the window"
        )
    require(conversation, (OPEN, ACTIVE), "lose its customer")
    if conversation.state == OPEN:
        _abandon(ctx, conversation)
    elif not conversation.connected:
        raise AgentActionRefused(f"The customer of conversation {conversation.id} is away")
    else:
        conversation.connected, conversation.disconnected_at = False, ctx.clock()
        if not persistent_chat.applies(ctx, conversation):
            limit = channel_of(ctx.config, conversation).reconnection.time_limit_seconds
            conversation.reconnect_deadline = ctx.clock() + limit
        note(ctx, conversation, "The customer disconnected")
    return _status(ctx, conversation)


def close_window(ctx: CallContext, *, conversation_id: str) -> dict[str, Any]:
    """Customer action: close the chat window (or hang up a call); no reconnection after."""
    conversation = find(ctx, conversation_id)
    if conversation.channel not in ("chat", "voice"):
        raise AgentActionRefused(f"A {conversation.channel} customer has no window to close")
    require(conversation, (OPEN, ACTIVE), "lose its customer")
    if conversation.state == OPEN:
        _abandon(ctx, conversation)
        return _status(ctx, conversation)
    conversation.window_closed, conversation.connected = True, False
    conversation.reconnect_deadline = None
    left = "hung up" if conversation.channel == "voice" else "closed the chat window"
    note(ctx, conversation, f"The customer {left}")
    if not persistent_chat.applies(ctx, conversation):
        conversation.ended_by = "customer"
        move(ctx, conversation, "end")
    return _status(ctx, conversation)


def _abandon(ctx: CallContext, conversation: Conversation) -> None:
    conversation.ended_by = "customer"
    move(ctx, conversation, "abandon")  # the answer to its notification no longer matters
    pending = next(
        (n for n in ctx.workspace.notifications if n.id == conversation.notification_id), None
    )
    conversation.notification_id = None
    if pending is not None:
        notifications.close(ctx, pending, notifications.CANCELLED, ctx.clock())


def reconnect(
    ctx: CallContext,
    *,
    link: str | None = None,
    reconnect_id: str | None = None,
    conversation_id: str | None = None,
    choice: str = "continue",
) -> dict[str, Any]:
    """Customer action: come back by the reconnect link or, authenticated, at the prompt."""
    conversation, via = _returning(ctx, link, reconnect_id, conversation_id)
    if choice not in ("continue", "new") or (via == "link" and choice != "continue"):
        message = "choice is continue or new (new only at the prompt)"
        raise AgentActionRefused(message, INVALID)
    settings = channel_of(ctx.config, conversation).reconnection
    if not settings.enabled:
        raise AgentActionRefused(
            f"Reconnection is not enabled for the {conversation.channel} channel"
        )
    if conversation.state == ACTIVE and conversation.connected:
        raise AgentActionRefused(f"The customer of conversation {conversation.id} is connected")
    TIME_LIMITS.catch_up(
        ctx
    )  # a limit passed by now has passed for the customer too; nothing refuses after
    if reconnectable(conversation, ctx.clock()) and choice == "continue":
        conversation.connected, conversation.reconnect_deadline = True, None
        conversation.disconnected_at = None
        note(ctx, conversation, "The customer reconnected")
        return {"outcome": "reconnected", **_status(ctx, conversation)}
    if reconnectable(conversation, ctx.clock()):  # a new conversation, chosen at the prompt
        conversation.ended_by = "customer"
        move(ctx, conversation, "end")
    elif settings.redirect_url and choice == "continue":
        return {"outcome": "redirected", "url": settings.redirect_url, **_why(conversation)}
    return {"outcome": "new", **_fresh(ctx, conversation), **_why(conversation)}


def _returning(
    ctx: CallContext, link: str | None, reconnect_id: str | None, conversation_id: str | None
) -> tuple[Conversation, str]:
    if conversation_id is not None:
        if link or reconnect_id:
            message = "give a link, a reconnectId or a conversationId"
            raise AgentActionRefused(message, INVALID)
        conversation = find(ctx, conversation_id)
        if not conversation.customer.get("authenticated"):
            raise AgentActionRefused(RECONNECT_PROMPT_UNAUTHENTICATED)
        return conversation, "prompt"
    if link is not None:
        match = _LINK_ID.search(link)
        reconnect_id = match.group(1) if match else None
    found = next(
        (
            c
            for c in ctx.workspace.omnichannel.conversations.values()
            if reconnect_id and c.reconnect_id == reconnect_id.lower()
        ),
        None,
    )
    if found is None:
        raise AgentActionRefused(f"No chat has the reconnect id {reconnect_id}", NOT_FOUND)
    return found, "link"


def _fresh(ctx: CallContext, previous: Conversation) -> dict[str, Any]:
    customer = dict(previous.customer)
    if not customer.get("authenticated"):
        customer = resolve_customer(ctx, None, customer.get("caseId"))
    channel = channel_of(ctx.config, previous)
    fresh, _ = arrivals.start(ctx, channel, customer, dict(previous.details), previous.provider)
    return {**arrivals.summary(fresh), "previousConversationId": previous.id}


def _why(conversation: Conversation) -> dict[str, Any]:
    # ended_by: agent (End), customer (window closed, new chosen), timeout (limit), session.
    return {"reason": conversation.ended_by, "previousState": conversation.state}


def _status(ctx: CallContext, conversation: Conversation) -> dict[str, Any]:
    return {
        "conversationId": conversation.id,
        "state": conversation.state,
        "sessionId": conversation.session_id,
        "connected": conversation.connected,
        "reconnectDeadline": conversation.reconnect_deadline,
        "reconnectUrl": link(ctx.config, conversation),
    }


def _active(workspace: Workspace) -> list[Conversation]:
    return [c for c in workspace.omnichannel.conversations.values() if c.state == ACTIVE]


def _time_out(ctx: CallContext, conversation: Conversation) -> None:
    conversation.reconnect_deadline = None
    conversation.ended_by = "timeout"
    note(ctx, conversation, "The customer did not come back in time")
    move(ctx, conversation, "end")


# The time limits of disconnected chats: past one, the chat moves to wrap-up.
TIME_LIMITS = DeadlineTimer.over(_active, lambda c: c.reconnect_deadline, _time_out)

FEATURE = Feature(
    name="reconnection",
    agent_actions={
        "disconnectCustomer": disconnect,
        "closeWindow": close_window,
        "reconnectCustomer": reconnect,
    },
    timers=(TIME_LIMITS,),
)
